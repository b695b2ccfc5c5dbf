"""Idempotency-Key for POSTs from phones on bad networks (IETF httpapi idempotency-key draft).

The first request with a key claims it; its response is stored in the same transaction as
the data it created, so a retry replays exactly that response. The same key with another
body is refused (422); a retry while the first is still running gets 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Response, request
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from companion.auth.principal import current_principal
from companion.errors import Conflict, ValidationFailed, field_error
from companion.extensions import db
from companion.models import IdempotencyKey
from companion.models.base import utcnow

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(days=30)
# A claim older than this belongs to a request that died; a retry may take it over.
LOCK_TIMEOUT = timedelta(seconds=60)
REPLAYED_HEADER = "Idempotent-Replayed"

_DOC_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": True,
    "description": "A unique value per submission (a UUID); retries send the same value and get the first answer.",
    "schema": {"type": "string", "minLength": 8, "maxLength": 255},
}
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _key() -> str:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise field_error(HEADER, "Send an Idempotency-Key header (e.g. a new UUID per submission).")
    if not 8 <= len(key) <= 255 or not key.isprintable():
        raise field_error(HEADER, "Use 8 to 255 printable characters, e.g. a UUID.")
    return key


def _digest() -> str:
    body = request.get_json(silent=True)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")) if body is not None else request.get_data()
    return hashlib.sha256(canonical if isinstance(canonical, bytes) else canonical.encode()).hexdigest()


def _claim(owner: str, key: str, endpoint: str, digest: str) -> IdempotencyKey | Response:
    """Our own claim on the key, or the stored response to replay."""
    now = utcnow()
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.owner == owner, IdempotencyKey.key == key, IdempotencyKey.expires_at <= now
        )
    )
    claim = IdempotencyKey(owner=owner, key=key, endpoint=endpoint, request_digest=digest, expires_at=now + KEEP_FOR)
    db.session.add(claim)
    try:
        db.session.commit()
        return claim
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.owner == owner, IdempotencyKey.key == key))
    if existing is None:  # expired and purged between our insert and this read
        raise Conflict("This request is being processed; retry shortly.", headers={"Retry-After": "1"})
    if existing.endpoint != endpoint or existing.request_digest != digest:
        raise ValidationFailed(
            "This Idempotency-Key was already used for a different request; use a new key for a new submission.",
            errors={HEADER: ["Already used with a different request body."]},
        )
    if existing.status == "completed":
        return Response(
            existing.response_body,
            status=existing.response_status,
            mimetype="application/json",
            headers={REPLAYED_HEADER: "true"},
        )
    taken_over = db.session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.id == existing.id,
            IdempotencyKey.status == "in_flight",
            IdempotencyKey.locked_at <= now - LOCK_TIMEOUT,
        )
        .values(locked_at=now)
    ).rowcount
    db.session.commit()
    if taken_over:
        return db.session.get(IdempotencyKey, existing.id)
    raise Conflict(
        "A request with this Idempotency-Key is still being processed; retry shortly.", headers={"Retry-After": "1"}
    )


def idempotent(view: Callable) -> Callable:
    """Wrap a POST view whose service flushes but does not commit; the commit here makes data and reply one."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        principal = current_principal()
        endpoint = f"{request.method} {request.url_rule.rule if request.url_rule else request.path}"
        claim = _claim(f"{principal.kind}:{principal.id}", _key(), endpoint, _digest())
        if isinstance(claim, Response):
            return claim
        claim_id = claim.id
        try:
            response = view(*args, **kwargs)
            claimed = db.session.get(IdempotencyKey, claim_id)
            claimed.status = "completed"
            claimed.response_status = response.status_code
            claimed.response_body = response.get_data(as_text=True)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            # Let the client retry (perhaps with a corrected body) under the same key.
            db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim_id))
            db.session.commit()
            raise
        return response

    manual = wrapper.__dict__.setdefault("_apidoc", {}).setdefault("manual_doc", {})
    manual.setdefault("parameters", []).append(_DOC_PARAMETER)
    responses = manual.setdefault("responses", {})
    responses.setdefault("409", {"description": "A request with this key is still running.", "content": _PROBLEM})
    return wrapper


def purge_expired() -> int:
    """Delete keys past their 30 days (run by the scheduler)."""
    removed = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= utcnow())).rowcount
    db.session.commit()
    return removed
