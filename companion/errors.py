"""Domain errors and the one error contract: RFC 9457 problem details for everything.

Every error the API returns is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and, for validation failures, ``errors`` mapping a field to its
messages. Unexpected exceptions are logged with the request id and answered without
internals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, json
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
PROBLEM_BASE = "https://companion.example/problems/"


class DomainError(Exception):
    """An error a client caused; services raise these, the API turns them into problems."""

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(
        self,
        detail: str,
        *,
        errors: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors) if errors else None
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


class ValidationFailed(DomainError):
    status, title, slug = 422, "Validation failed", "validation-failed"


class Unauthorized(DomainError):
    status, title, slug = 401, "Not authenticated", "unauthorized"

    def __init__(self, detail: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", "Bearer")


class Forbidden(DomainError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(DomainError):
    status, title, slug = 404, "Not found", "not-found"


class Conflict(DomainError):
    status, title, slug = 409, "Conflict", "conflict"


class TooManyRequests(DomainError):
    status, title, slug = 429, "Too many requests", "too-many-requests"


def field_error(field: str, message: str, cls: type[DomainError] = ValidationFailed) -> DomainError:
    """A validation problem about one field, phrased for a person."""
    return cls(f"{field}: {message}", errors={field: [message]})


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or _slugify(title)),
        "title": title,
        "status": status,
        "detail": detail,
    }
    request_id = g.get("request_id")
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = dict(errors)
    if extra:
        body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _slugify(title: str) -> str:
    return "-".join(title.lower().replace("'", "").split())


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow/webargs nested messages into {"a.b.0": ["..."]}, dropping the location."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            key = str(key)
            if not prefix and key in {"json", "query", "headers", "form", "files", "view_args", "cookies"}:
                flat.update(flatten_messages(value, ""))
                continue
            name = "body" if key == "_schema" and not prefix else key
            flat.update(flatten_messages(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        flat.setdefault(prefix or "body", []).extend(messages)
    elif isinstance(messages, list | tuple):
        for item in messages:
            for key, value in flatten_messages(item, prefix).items():
                flat.setdefault(key, []).extend(value)
    else:
        flat.setdefault(prefix or "body", []).append(str(messages))
    return flat


def _summarise(errors: Mapping[str, list[str]]) -> str:
    parts = [f"{field}: {'; '.join(msgs)}" for field, msgs in list(errors.items())[:5]]
    more = len(errors) - 5
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


_HTTP_DETAILS = {
    400: "The request could not be understood.",
    401: "Sign in to use this endpoint.",
    403: "You are not allowed to do this.",
    404: "Nothing exists at this address.",
    405: "This address does not accept that method.",
    406: "This endpoint answers in JSON only.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    429: "Too many requests: wait and try again.",
}


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        return handle_unexpected(error)
    data = getattr(error, "data", None) or {}
    raw = data.get("errors") or data.get("messages")
    errors = flatten_messages(raw) if raw else None
    if errors and status == 400 and "body" in errors and any("JSON" in m for m in errors["body"]):
        detail = "The request body is not valid JSON."
        errors = {"body": ["Not valid JSON."]}
    elif errors:
        status = 422 if status in (400, 422) else status
        detail = _summarise(errors)
    else:
        detail = data.get("message") or _HTTP_DETAILS.get(status) or error.description or error.name
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    retry_after = error.get_response().headers.get("Retry-After")
    if retry_after:
        headers["Retry-After"] = retry_after
    title = "Validation failed" if status == 422 else error.name
    return problem(status, title, detail, errors=errors, headers=headers)


def handle_domain_error(error: DomainError) -> Response:
    return problem(
        error.status,
        error.title,
        error.detail,
        slug=error.slug,
        errors=error.errors,
        headers=error.headers,
        extra=error.extra,
    )


def handle_unexpected(error: BaseException) -> Response:
    original = getattr(error, "original_exception", None) or error
    _rollback()
    log.error(
        "unhandled error",
        exc_info=(type(original), original, original.__traceback__),
        extra={"request_id": g.get("request_id")},
    )
    return problem(
        500,
        "Internal server error",
        "Something went wrong on our side. It has been logged; quote the request id if you contact support.",
        slug="internal-error",
    )


def handle_database_busy(error: OperationalError) -> Response:
    """The database could not be reached or was locked: a retry can succeed, and keys make it safe."""
    _rollback()
    log.warning(
        "database unavailable", extra={"request_id": g.get("request_id"), "error_class": type(error.orig).__name__}
    )
    return problem(
        503,
        "Service unavailable",
        "The service is busy or its database is unreachable; please retry in a moment.",
        slug="unavailable",
        headers={"Retry-After": "1"},
    )


def _rollback() -> None:
    # Imported here: extensions imports this module for the problem media type.
    from companion.extensions import db

    db.session.rollback()


def handle_data_error(error: DataError) -> Response:
    """A value the database cannot hold (out of range, unstorable text): the client's input, not our fault."""
    _rollback()
    log.warning("value refused by the database", extra={"request_id": g.get("request_id")})
    return problem(422, "Validation failed", "A value is out of range or cannot be stored.", slug="validation-failed")


def register_error_handlers(app: Flask) -> None:
    # Registered after flask-smorest so these replace its JSON error handler.
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(OperationalError, handle_database_busy)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
