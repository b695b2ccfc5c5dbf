"""Signing in and out: passwords, activation codes, refresh, machine clients, two-factor."""

from __future__ import annotations

import uuid

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import (
    authenticate,
    current_principal,
    refresh_claims,
    roles_required,
    verified_claims,
)
from companion.auth.tokens import TWO_FACTOR_PURPOSE, rotate
from companion.errors import Forbidden, Unauthorized
from companion.extensions import limiter
from companion.models import Role
from companion.schemas.auth import (
    ActivationSchema,
    ClientCredentialsSchema,
    LoginSchema,
    RefreshSchema,
    SignInSchema,
    TokenSchema,
    TwoFactorCodeSchema,
    TwoFactorConfirmedSchema,
    TwoFactorSetupSchema,
    TwoFactorVerifySchema,
)
from companion.services import enrollment, signin

blp = Blueprint("auth", __name__, url_prefix="/v1/auth", description="Sign in, refresh, sign out, two-factor.")


def _login_account_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "login-account:" + (email.strip().lower() if isinstance(email, str) else "-")


def _failed(response) -> bool:
    return response.status_code == 401


def _limit(name: str) -> str:
    return current_app.config[name]


@blp.route("/login")
class Login(MethodView):
    decorators = [
        limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_IP")),
        limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_ACCOUNT"), key_func=_login_account_key, deduct_when=_failed),
    ]

    @blp.arguments(LoginSchema)
    @blp.response(200, SignInSchema)
    def post(self, data):
        """Sign in with email and password; staff may then need a two-factor code."""
        return signin.login(data["email"], data["password"]).as_dict()


@blp.route("/activate")
class Activate(MethodView):
    decorators = [limiter.limit(lambda: _limit("ACTIVATION_LIMIT_PER_IP"))]

    @blp.arguments(ActivationSchema)
    @blp.response(201, TokenSchema)
    def post(self, data):
        """Activate an invited account with its one-time code and a new password."""
        return enrollment.activate(data["code"], data["password"], data.get("email")).as_dict()


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Trade a refresh token for a new pair; reusing an old one ends the whole session.

        A retry within a minute, before the new refresh token has been used (the answer was lost
        on the way), gets the same pair again instead.
        """
        return rotate(refresh_claims(data["refresh_token"])).as_dict()


@blp.route("/logout")
class Logout(MethodView):
    @roles_required(*Role)
    @blp.response(204)
    def post(self):
        """End this session: its access and refresh tokens stop working at once."""
        signin.logout(current_principal())


@blp.route("/token")
class ServiceToken(MethodView):
    decorators = [limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_IP"))]

    @blp.arguments(ClientCredentialsSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Client-credentials sign-in for machine clients such as the push service."""
        return signin.client_credentials(data["client_id"], data["client_secret"]).as_dict()


def _two_factor_caller():
    """The account finishing sign-in (two-factor token) or a signed-in staff member turning 2FA on."""
    claims = verified_claims()
    if claims.get("purpose") == TWO_FACTOR_PURPOSE:
        return signin.account_of(uuid.UUID(claims["sub"])), True
    principal = authenticate()
    if not principal.is_staff:
        raise Forbidden("Two-factor sign-in is for clinic staff.")
    return signin.account_of(principal.id), False


@blp.route("/two-factor/setup")
class TwoFactorSetup(MethodView):
    @blp.response(200, TwoFactorSetupSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self):
        """Start two-factor setup: returns the secret to add to an authenticator app."""
        account, _ = _two_factor_caller()
        return signin.begin_two_factor_setup(account)


@blp.route("/two-factor/confirm")
class TwoFactorConfirm(MethodView):
    decorators = [limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_IP"))]

    @blp.arguments(TwoFactorCodeSchema)
    @blp.response(200, TwoFactorConfirmedSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, data):
        """Confirm setup with a first code; returns recovery codes (and tokens when signing in)."""
        account, signing_in = _two_factor_caller()
        return signin.confirm_two_factor(account, data["code"], sign_in=signing_in)


@blp.route("/two-factor/verify")
class TwoFactorVerify(MethodView):
    decorators = [limiter.limit(lambda: _limit("LOGIN_LIMIT_PER_IP"))]

    @blp.arguments(TwoFactorVerifySchema)
    @blp.response(200, SignInSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, data):
        """Finish sign-in with an authenticator code or a one-time recovery code."""
        claims = verified_claims()
        if claims.get("purpose") != TWO_FACTOR_PURPOSE:
            raise Unauthorized("Send the two_factor_token from the sign-in response.")
        account = signin.account_of(uuid.UUID(claims["sub"]))
        return signin.verify_two_factor(account, data.get("code"), data.get("recovery_code")).as_dict()
