"""Signing in: passwords, two-factor codes, machine clients, refresh, sign-out and password change."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from sqlalchemy import or_, select, update

from companion.auth import codes, passwords, sealing
from companion.auth.principal import Principal
from companion.auth.tokens import (
    IssuedTokens,
    revoke_all_sessions,
    revoke_family,
    start_account_session,
    start_service_session,
    two_factor_token,
)
from companion.errors import Conflict, Unauthorized, ValidationFailed, field_error
from companion.extensions import db
from companion.models import Account, AccountStatus, RecoveryCode, ServiceClient, TokenFamily
from companion.models.base import utcnow
from companion.services.enrollment import normalise_email

TOTP_ISSUER = "Ketamine Infusion Companion"
RECOVERY_CODE_COUNT = 10
_WRONG_CREDENTIALS = "The email or password is not right."


@dataclass(frozen=True)
class SignInResult:
    status: str  # signed_in, two_factor_required, two_factor_setup_required
    tokens: IssuedTokens | None = None
    two_factor_token: str | None = None

    def as_dict(self) -> dict:
        body: dict = {"status": self.status}
        if self.tokens:
            body.update(self.tokens.as_dict())
        if self.two_factor_token:
            body["two_factor_token"] = self.two_factor_token
        return body


def login(email: str, password: str) -> SignInResult:
    account = db.session.scalar(select(Account).where(Account.email == normalise_email(email)))
    # verify_password costs one hash even without an account, so timing does not reveal which emails exist.
    if not passwords.verify_password(account.password_hash if account else None, password):
        raise Unauthorized(_WRONG_CREDENTIALS)
    if account is None or account.status != AccountStatus.ACTIVE:
        raise Unauthorized(_WRONG_CREDENTIALS)
    if passwords.needs_rehash(account.password_hash or ""):
        account.password_hash = passwords.hash_password(password)
    if account.is_staff and (account.two_factor_enabled or account.clinic.require_two_factor):
        db.session.commit()
        status = "two_factor_required" if account.two_factor_enabled else "two_factor_setup_required"
        return SignInResult(status, two_factor_token=two_factor_token(account))
    return _signed_in(account)


def _signed_in(account: Account) -> SignInResult:
    account.last_login_at = utcnow()
    tokens = start_account_session(account)
    db.session.commit()
    return SignInResult("signed_in", tokens=tokens)


def begin_two_factor_setup(account: Account) -> dict:
    if account.two_factor_enabled:
        raise Conflict("Two-factor sign-in is already on for this account.")
    secret = pyotp.random_base32()
    account.totp_secret = sealing.seal(secret)
    account.totp_last_step = None
    db.session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=TOTP_ISSUER)
    return {"secret": secret, "otpauth_uri": uri}


def confirm_two_factor(account: Account, code: str, *, sign_in: bool) -> dict:
    if account.two_factor_enabled:
        raise Conflict("Two-factor sign-in is already on for this account.")
    if not account.totp_secret:
        raise Conflict("Start two-factor setup first.")
    _spend_totp_code(account, code)
    account.totp_confirmed_at = utcnow()
    recovery = _new_recovery_codes(account)
    body: dict = {"recovery_codes": recovery}
    if sign_in:
        body.update(_signed_in(account).as_dict())
    else:
        db.session.commit()
    return body


def verify_two_factor(account: Account, code: str | None, recovery_code: str | None) -> SignInResult:
    if not account.two_factor_enabled or account.status != AccountStatus.ACTIVE:
        raise Unauthorized("Two-factor sign-in is not set up for this account.")
    if code:
        _spend_totp_code(account, code)
    elif recovery_code:
        used = db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.account_id == account.id,
                RecoveryCode.code_digest == codes.digest(recovery_code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        ).rowcount
        if not used:
            raise field_error("recovery_code", "This recovery code is not valid or was already used.")
    else:
        raise ValidationFailed(
            "Send a code from your authenticator app or a recovery code.",
            errors={"code": ["Send a code or a recovery code."]},
        )
    return _signed_in(account)


def _spend_totp_code(account: Account, code: str) -> None:
    """Accept a code from this or a neighbouring 30-second step, once.

    The step a code belongs to is recorded with a conditional update, so a code read over a
    shoulder or replayed from a captured request fails, even when two requests race.
    """
    if not account.totp_secret:
        raise field_error("code", "Two-factor sign-in is not set up for this account.")
    totp = pyotp.TOTP(sealing.unseal(account.totp_secret))
    now = utcnow()
    step = next(
        (
            totp.timecode(now) + offset
            for offset in (-1, 0, 1)
            if totp.verify(code, for_time=now + timedelta(seconds=offset * totp.interval))
        ),
        None,
    )
    if step is None:
        raise field_error("code", "This code is not right; check the time on your device and try again.")
    spent = db.session.execute(
        update(Account)
        .where(Account.id == account.id, or_(Account.totp_last_step.is_(None), Account.totp_last_step < step))
        .values(totp_last_step=step)
    ).rowcount
    if not spent:
        raise field_error("code", "This code was already used. Wait for the next code in your authenticator app.")


def _new_recovery_codes(account: Account) -> list[str]:
    db.session.execute(update(RecoveryCode).where(RecoveryCode.account_id == account.id).values(used_at=utcnow()))
    fresh = [codes.new_code(groups=2, group_length=4) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(account_id=account.id, code_digest=codes.digest(c)) for c in fresh)
    return fresh


def client_credentials(client_id: str, client_secret: str) -> IssuedTokens:
    client = db.session.scalar(select(ServiceClient).where(ServiceClient.client_id == client_id))
    if not passwords.verify_password(client.secret_hash if client else None, client_secret):
        raise Unauthorized("The client id or secret is not right.")
    if client is None or not client.active:
        raise Unauthorized("The client id or secret is not right.")
    tokens = start_service_session(client)
    db.session.commit()
    return tokens


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def logout(principal: Principal) -> None:
    family = db.session.get(TokenFamily, principal.family_id)
    if family is not None:
        revoke_family(family, "logout")
        db.session.commit()


def change_password(principal: Principal, current: str, new: str) -> None:
    account = db.session.get(Account, principal.id)
    if account is None or not passwords.verify_password(account.password_hash, current):
        raise field_error("current_password", "The current password is not right.")
    problems = passwords.password_problems(new, email=account.email)
    if new == current:
        problems.append("Choose a password different from the current one.")
    if problems:
        raise ValidationFailed("new_password: " + " ".join(problems), errors={"new_password": problems})
    account.password_hash = passwords.hash_password(new)
    # Anyone holding an old session loses it; this device stays signed in.
    revoke_all_sessions(account.id, "password-changed", keep=principal.family_id)
    db.session.commit()


def account_of(principal_id: uuid.UUID) -> Account:
    account = db.session.get(Account, principal_id)
    if account is None:
        raise Unauthorized("This account cannot sign in.")
    return account
