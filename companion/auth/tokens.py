"""Access and refresh tokens: short-lived access, rotating refresh, one family per sign-in.

Claims carry identity and role only (sub, role, clinic, fam): never names, emails or health data.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import update

from companion.auth import sealing
from companion.errors import Unauthorized
from companion.extensions import db
from companion.models import Account, RefreshToken, ServiceClient, TokenFamily
from companion.models.base import utcnow

TWO_FACTOR_PURPOSE = "two_factor"
TWO_FACTOR_TOKEN_MINUTES = 5


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str | None
    expires_in: int

    def as_dict(self) -> dict:
        body = {"access_token": self.access_token, "token_type": "Bearer", "expires_in": self.expires_in}  # nosec B105
        if self.refresh_token:
            body["refresh_token"] = self.refresh_token
        return body


def _access_lifetime() -> timedelta:
    return timedelta(minutes=current_app.config["JWT_ACCESS_TOKEN_MINUTES"])


def _refresh_lifetime() -> timedelta:
    return timedelta(days=current_app.config["JWT_REFRESH_TOKEN_DAYS"])


def _access_token(subject: str, role: str, clinic_id: uuid.UUID, family_id: uuid.UUID) -> str:
    return create_access_token(
        identity=subject,
        additional_claims={"role": role, "clinic": str(clinic_id), "fam": str(family_id)},
        expires_delta=_access_lifetime(),
    )


def _refresh_token(subject: str, family: TokenFamily) -> tuple[str, str]:
    """A new refresh token and its jti; only the jti is stored."""
    token = create_refresh_token(
        identity=subject, additional_claims={"fam": str(family.id)}, expires_delta=_refresh_lifetime()
    )
    jti = decode_token(token)["jti"]
    db.session.add(RefreshToken(jti=jti, family_id=family.id, expires_at=family.expires_at))
    return token, jti


def start_account_session(account: Account) -> IssuedTokens:
    """A new sign-in: a new family, an access token and the first refresh token. Caller commits."""
    family = TokenFamily(account_id=account.id, expires_at=utcnow() + _refresh_lifetime())
    db.session.add(family)
    db.session.flush()
    access = _access_token(str(account.id), account.role.value, account.clinic_id, family.id)
    refresh, _ = _refresh_token(str(account.id), family)
    return IssuedTokens(access, refresh, int(_access_lifetime().total_seconds()))


def start_service_session(client: ServiceClient) -> IssuedTokens:
    """Client-credentials sign-in: an access token only; the client signs in again when it expires."""
    family = TokenFamily(service_client_id=client.id, expires_at=utcnow() + _access_lifetime())
    db.session.add(family)
    db.session.flush()
    access = _access_token(f"svc:{client.id}", client.role.value, client.clinic_id, family.id)
    return IssuedTokens(access, None, int(_access_lifetime().total_seconds()))


def two_factor_token(account: Account) -> str:
    """Proof that the password was right, good only for finishing two-factor sign-in."""
    return create_access_token(
        identity=str(account.id),
        additional_claims={"purpose": TWO_FACTOR_PURPOSE, "role": account.role.value},
        expires_delta=timedelta(minutes=TWO_FACTOR_TOKEN_MINUTES),
    )


def rotate(refresh_claims: dict) -> IssuedTokens:
    """Trade a refresh token for a new pair; a second use of the same token ends the session.

    The conditional UPDATE is the race guard: of two concurrent refreshes with one token,
    exactly one changes the row. The other, like a phone retrying a refresh whose answer it
    lost, gets the same pair again, but only within JWT_REFRESH_RETRY_SECONDS and only while
    the new refresh token is unused; any later use of the old token is reuse and ends the family.
    """
    jti, family_id = refresh_claims["jti"], uuid.UUID(refresh_claims["fam"])
    now = utcnow()
    claimed = db.session.execute(
        update(RefreshToken).where(RefreshToken.jti == jti, RefreshToken.used_at.is_(None)).values(used_at=now)
    ).rowcount
    family = db.session.get(TokenFamily, family_id)
    account = db.session.get(Account, family.account_id) if family and family.account_id else None
    if family is None or family.revoked_at is not None or family.expires_at <= now:
        db.session.rollback()
        raise Unauthorized("This session has ended; sign in again.")
    if account is None or account.status != "active":
        db.session.rollback()
        raise Unauthorized("This account cannot sign in.")
    if not claimed:
        token = db.session.get(RefreshToken, jti)
        again = _same_answer_again(token, now)
        if again is not None:
            return again
        if token is not None:
            revoke_family(family, "refresh-reuse")
            db.session.commit()
        raise Unauthorized("This refresh token was already used; sign in again.")
    access = _access_token(str(account.id), account.role.value, account.clinic_id, family.id)
    refresh, successor_jti = _refresh_token(str(account.id), family)
    issued = IssuedTokens(access, refresh, int(_access_lifetime().total_seconds()))
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.jti == jti)
        .values(successor_jti=successor_jti, successor_sealed=sealing.seal(json.dumps(issued.as_dict())))
    )
    # Using this token closes the retry window of the one it was traded for.
    db.session.execute(update(RefreshToken).where(RefreshToken.successor_jti == jti).values(successor_sealed=None))
    db.session.commit()
    return issued


def _same_answer_again(token: RefreshToken | None, now: datetime) -> IssuedTokens | None:
    if token is None or token.used_at is None or token.successor_sealed is None:
        return None
    elapsed = now - token.used_at
    if elapsed > timedelta(seconds=current_app.config["JWT_REFRESH_RETRY_SECONDS"]):
        return None
    answer = json.loads(sealing.unseal(token.successor_sealed))
    db.session.rollback()  # nothing to write: the pair was issued and committed the first time
    remaining = answer["expires_in"] - int(elapsed.total_seconds())
    return IssuedTokens(answer["access_token"], answer["refresh_token"], max(remaining, 0))


def revoke_family(family: TokenFamily, reason: str) -> None:
    if family.revoked_at is None:
        family.revoked_at = utcnow()
        family.revoked_reason = reason


def revoke_all_sessions(account_id: uuid.UUID, reason: str, *, keep: uuid.UUID | None = None) -> None:
    db.session.execute(
        update(TokenFamily)
        .where(TokenFamily.account_id == account_id, TokenFamily.revoked_at.is_(None))
        .where(TokenFamily.id != keep if keep else True)
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
