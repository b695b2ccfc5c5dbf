"""Request and response policy shared by every endpoint: content types, CORS, security headers."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import UnsupportedMediaType

_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def init_http_policy(app: Flask) -> None:
    @app.before_request
    def _require_json_bodies() -> None:
        if request.method not in _BODY_METHODS or not request.path.startswith("/v1/"):
            return
        has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
        if has_body and not _is_json(request.mimetype):
            raise UnsupportedMediaType(
                f"Send the body as application/json (got {request.mimetype or 'no content type'})."
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
