"""Request and response policy shared by every endpoint: content types, CORS, security headers."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import UnsupportedMediaType

from companion.errors import ValidationFailed

_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def init_http_policy(app: Flask) -> None:
    @app.before_request
    def _require_storable_query() -> None:
        bad = sorted(
            {name for name, value in request.args.items(multi=True) if _unstorable(value) or _unstorable(name)}
        )
        if bad:
            raise ValidationFailed(
                f"{', '.join(bad)}: text with a NUL character or an unpaired surrogate.",
                errors={name: ["Text must be valid Unicode without NUL characters."] for name in bad},
            )

    @app.before_request
    def _require_json_bodies() -> None:
        if request.method not in _BODY_METHODS or not request.path.startswith("/v1/"):
            return
        has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
        if has_body and not _is_json(request.mimetype):
            raise UnsupportedMediaType(
                f"Send the body as application/json (got {request.mimetype or 'no content type'})."
            )
        if has_body and _unstorable(request.get_json(silent=True)):
            # JSON can escape a NUL or half a UTF-16 pair ("\u0000", "\ud800"); neither can be stored as text.
            raise ValidationFailed(
                "The body contains text with a NUL character or an unpaired surrogate.",
                errors={"body": ["Text must be valid Unicode without NUL characters."]},
            )

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if request.path.startswith("/v1/"):
            # Patient data must not linger in shared or device caches unless a view opts in.
            headers.setdefault("Cache-Control", "no-store")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        _apply_cors(response)
        return response


def _unstorable(value: object) -> bool:
    """Text no database column can hold: NUL, or half of a UTF-16 surrogate pair."""
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(item) for item in value)
    return False


def _apply_cors(response: Response) -> None:
    origin = request.headers.get("Origin")
    allowed = current_app.config["CORS_ORIGINS"]
    if not origin or origin not in allowed:
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Idempotency-Key, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "600"
