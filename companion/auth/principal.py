"""Who is calling: every protected view names the roles it admits; the token says who the caller is."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import jwt as pyjwt
from flask import g
from flask_jwt_extended import decode_token, get_jwt, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from sqlalchemy import select

from companion.errors import Forbidden, Unauthorized, handle_domain_error
from companion.extensions import db, jwt
from companion.models import Account, AccountStatus, Patient, Role, ServiceClient, TokenFamily
from companion.models.base import utcnow

_UNAUTHORIZED_DOC = {
    "description": "Missing, expired, revoked or invalid token.",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
_FORBIDDEN_DOC = {
    "description": "Signed in, but this role may not do this.",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


@dataclass(frozen=True)
class Principal:
    kind: str  # "account" or "service"
    id: uuid.UUID
    role: Role
    clinic_id: uuid.UUID
    family_id: uuid.UUID
    patient_id: uuid.UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.CLINICIAN, Role.ADMIN)


def current_principal() -> Principal:
    return g.principal


def verified_claims(*, refresh: bool = False) -> dict[str, Any]:
    """Decode and verify the bearer token; every failure is the same kind of 401."""
    try:
        verify_jwt_in_request(refresh=refresh)
    except (JWTExtendedException, pyjwt.PyJWTError) as exc:
        raise Unauthorized(_describe(exc)) from exc
    return get_jwt()


def refresh_claims(token: str) -> dict[str, Any]:
    """Verify a refresh token sent in a body (signature, expiry, algorithm, type)."""
    try:
        claims = decode_token(token)
    except (JWTExtendedException, pyjwt.PyJWTError) as exc:
        raise Unauthorized(_describe(exc)) from exc
    if claims.get("type") != "refresh" or "fam" not in claims or "jti" not in claims:
        raise Unauthorized("This kind of token cannot be used here.")
    return claims


def _describe(exc: Exception) -> str:
    if isinstance(exc, pyjwt.ExpiredSignatureError):
        return "The token has expired; refresh it or sign in again."
    if exc.__class__.__name__ == "NoAuthorizationError":
        return "Send a bearer token in the Authorization header."
    if exc.__class__.__name__ == "WrongTokenError":
        return "This kind of token cannot be used here."
    return "The token is not valid."


def _load_principal(claims: dict[str, Any]) -> Principal:
    if claims.get("type") != "access" or claims.get("purpose") or "fam" not in claims:
        raise Unauthorized("This kind of token cannot be used here.")
    try:
        family_id = uuid.UUID(claims["fam"])
        subject = str(claims["sub"])
        is_service = subject.startswith("svc:")
        principal_id = uuid.UUID(subject.removeprefix("svc:"))
    except (ValueError, TypeError, KeyError) as exc:
        raise Unauthorized("The token is not valid.") from exc

    if is_service:
        row = db.session.execute(
            select(
                TokenFamily.revoked_at,
                TokenFamily.expires_at,
                ServiceClient.active,
                ServiceClient.role,
                ServiceClient.clinic_id,
            )
            .join(ServiceClient, ServiceClient.id == TokenFamily.service_client_id)
            .where(TokenFamily.id == family_id, ServiceClient.id == principal_id)
        ).one_or_none()
        if row is None or row.revoked_at or row.expires_at <= utcnow() or not row.active:
            raise Unauthorized("This session has ended; sign in again.")
        return Principal("service", principal_id, Role(row.role), row.clinic_id, family_id)

    row = db.session.execute(
        select(
            TokenFamily.revoked_at,
            TokenFamily.expires_at,
            Account.status,
            Account.role,
            Account.clinic_id,
            Patient.id.label("patient_id"),
        )
        .join(Account, Account.id == TokenFamily.account_id)
        .outerjoin(Patient, Patient.account_id == Account.id)
        .where(TokenFamily.id == family_id, Account.id == principal_id)
    ).one_or_none()
    if row is None or row.revoked_at or row.expires_at <= utcnow():
        raise Unauthorized("This session has ended; sign in again.")
    if row.status != AccountStatus.ACTIVE:
        raise Unauthorized("This account cannot sign in.")
    return Principal("account", principal_id, Role(row.role), row.clinic_id, family_id, row.patient_id)


def authenticate() -> Principal:
    principal = _load_principal(verified_claims())
    g.principal = principal
    return principal


def roles_required(*roles: Role) -> Callable:
    """Admit only callers with a valid access token whose role is one of ``roles``."""
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = authenticate()
            if principal.role not in allowed:
                raise Forbidden("Your role may not do this.")
            return view(*args, **kwargs)

        doc = wrapper.__dict__.setdefault("_apidoc", {})
        manual = doc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}]
        responses = manual.setdefault("responses", {})
        responses.setdefault("401", _UNAUTHORIZED_DOC)
        responses.setdefault("403", _FORBIDDEN_DOC)
        wrapper.__doc__ = (view.__doc__ or "").strip() + f"\n\nRoles: {', '.join(sorted(allowed))}."
        return wrapper

    return decorator


def init_jwt() -> None:
    """flask-jwt-extended answers 422 by default in places; here every token failure is a 401 problem."""

    def _unauthorized(message: str) -> Any:
        return handle_domain_error(Unauthorized(message))

    jwt.expired_token_loader(lambda _h, _p: _unauthorized("The token has expired; refresh it or sign in again."))
    jwt.invalid_token_loader(lambda _msg: _unauthorized("The token is not valid."))
    jwt.unauthorized_loader(lambda _msg: _unauthorized("Send a bearer token in the Authorization header."))
    jwt.revoked_token_loader(lambda _h, _p: _unauthorized("This session has ended; sign in again."))
    jwt.needs_fresh_token_loader(lambda _h, _p: _unauthorized("Sign in again to do this."))
    jwt.user_lookup_error_loader(lambda _h, _p: _unauthorized("This account cannot sign in."))
    jwt.token_verification_failed_loader(lambda _h, _p: _unauthorized("The token is not valid."))
