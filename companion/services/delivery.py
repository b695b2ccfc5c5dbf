"""The push service's side of the outbox: lease deliverable nudges, report what happened.

Leases use row locks with SKIP LOCKED on PostgreSQL, so two push workers never take the
same nudge; on SQLite the single writer gives the same guarantee. A lease that is not
reported in time expires and the nudge goes back to the queue.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update

from companion.auth.principal import Principal
from companion.content import render_nudge
from companion.extensions import db
from companion.models import Device, Nudge, NudgeStatus, Patient
from companion.models.base import utcnow

MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
_QUEUED = (NudgeStatus.PENDING, NudgeStatus.FAILED)


@dataclass(frozen=True)
class Leased:
    nudge: Nudge
    devices: list[Device]
    title: str
    body: str


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Exponential with jitter, so a failing push provider is not hammered in lockstep."""
    delay = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(attempts - 1, 0)))
    return delay * (rng or random).uniform(0.5, 1.0)


def _deliverable(client: Principal, status: NudgeStatus, safety: bool, now: datetime):
    has_device = exists().where(Device.patient_id == Nudge.patient_id, Device.active.is_(True))
    query = select(Nudge.id).where(
        Nudge.status == status,
        Nudge.due_at <= now,
        Nudge.is_safety.is_(safety),
        Nudge.clinic_id == client.clinic_id,
        Nudge.stale_at > now,
        has_device,
    )
    if status == NudgeStatus.FAILED:
        query = query.where(Nudge.next_attempt_at <= now)
    return query.order_by(Nudge.due_at)


def lease(client: Principal, limit: int, lease_for: timedelta, now: datetime | None = None) -> list[Leased]:
    now = now or utcnow()
    candidates: list[uuid.UUID] = []
    # Safety messages first, then ordinary ones by due time. Each query walks the (status, due_at)
    # index and stops at the limit, so a backlog of thousands costs no more than a short queue.
    for status, safety in (
        (NudgeStatus.PENDING, True),
        (NudgeStatus.FAILED, True),
        (NudgeStatus.PENDING, False),
        (NudgeStatus.FAILED, False),
    ):
        if len(candidates) >= limit:
            break
        candidates += db.session.scalars(
            _deliverable(client, status, safety, now).limit(limit - len(candidates)).with_for_update(skip_locked=True)
        )
    if not candidates:
        db.session.rollback()
        return []
    token = uuid.uuid4()
    db.session.execute(
        update(Nudge)
        .where(Nudge.id.in_(candidates), Nudge.status.in_(_QUEUED))
        .values(
            status=NudgeStatus.LEASED,
            lease_token=token,
            leased_by_id=client.id,
            lease_expires_at=now + lease_for,
            attempts=Nudge.attempts + 1,
            updated_at=now,
        )
    )
    db.session.commit()
    nudges = list(db.session.scalars(select(Nudge).where(Nudge.lease_token == token).order_by(Nudge.due_at)))
    patient_ids = {n.patient_id for n in nudges}
    languages = dict(
        db.session.execute(select(Patient.id, Patient.preferred_language).where(Patient.id.in_(patient_ids))).all()
    )
    devices: dict[uuid.UUID, list[Device]] = defaultdict(list)
    for device in db.session.scalars(select(Device).where(Device.patient_id.in_(patient_ids), Device.active.is_(True))):
        devices[device.patient_id].append(device)
    leased = []
    for nudge in nudges:
        title, body = render_nudge(nudge.template, languages.get(nudge.patient_id, "en"), nudge.params)
        leased.append(Leased(nudge, devices[nudge.patient_id], title, body))
    return leased


@dataclass(frozen=True)
class Outcome:
    nudge_id: uuid.UUID
    accepted: bool
    status: str | None
    detail: str


def report(client: Principal, results: list[dict], now: datetime | None = None) -> list[Outcome]:
    """Record each delivery result; reporting the same result twice changes nothing."""
    now = now or utcnow()
    outcomes = []
    ids = [result["nudge_id"] for result in results]
    # One locked read for the whole report instead of a round trip per nudge.
    found = {n.id: n for n in db.session.scalars(select(Nudge).where(Nudge.id.in_(ids)).with_for_update())}
    for result in results:
        nudge = found.get(result["nudge_id"])
        if nudge is None or nudge.clinic_id != client.clinic_id:
            outcomes.append(Outcome(result["nudge_id"], False, None, "No such nudge for this client."))
            continue
        _deactivate(nudge.patient_id, result.get("invalid_device_ids") or [])
        outcomes.append(_apply(client, nudge, result, now))
    db.session.commit()
    return outcomes


def _deactivate(patient_id: uuid.UUID, device_ids: list[uuid.UUID]) -> None:
    if device_ids:
        db.session.execute(
            update(Device)
            .where(Device.id.in_(device_ids), Device.patient_id == patient_id)
            .values(active=False, deactivated_reason="invalid_token")
        )


def _apply(client: Principal, nudge: Nudge, result: dict, now: datetime) -> Outcome:
    if result["outcome"] == "delivered":
        if nudge.status != NudgeStatus.SENT:
            # Delivered is delivered, even after the lease lapsed: marking it sent prevents a second push.
            nudge.status, nudge.sent_at, nudge.lease_expires_at = NudgeStatus.SENT, now, None
        return Outcome(nudge.id, True, nudge.status.value, "Recorded as sent.")
    if nudge.status != NudgeStatus.LEASED or nudge.leased_by_id != client.id:
        return Outcome(nudge.id, False, nudge.status.value, "Not leased by this client (already recorded, or expired).")
    nudge.last_error = (result.get("reason") or "unspecified")[:200]
    nudge.lease_expires_at = None
    if not result.get("retryable", True) or nudge.attempts >= MAX_ATTEMPTS:
        nudge.status = NudgeStatus.DEAD
    else:
        nudge.status, nudge.next_attempt_at = NudgeStatus.FAILED, now + backoff(nudge.attempts)
    return Outcome(nudge.id, True, nudge.status.value, "Recorded as failed.")


def reclaim_expired_leases(now: datetime) -> int:
    """Leases nobody reported on go back to the queue (or to dead after too many tries)."""
    expired = (Nudge.status == NudgeStatus.LEASED, Nudge.lease_expires_at <= now)
    dead = db.session.execute(
        update(Nudge)
        .where(*expired, Nudge.attempts >= MAX_ATTEMPTS)
        .values(status=NudgeStatus.DEAD, last_error="lease expired", updated_at=now)
    ).rowcount
    back = db.session.execute(
        update(Nudge)
        .where(*expired)
        .values(status=NudgeStatus.FAILED, next_attempt_at=now, last_error="lease expired", updated_at=now)
    ).rowcount
    return dead + back
