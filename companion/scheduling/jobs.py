"""The scheduler's tick jobs: a short table of periodic chores over the outbox and housekeeping.

Per-patient reminders are rows (see services/nudges.py), not APScheduler jobs, so a restart
loses nothing: the next tick plans what is due and sends late what is not yet stale.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, text, update

from companion.api.idempotency import purge_expired as purge_idempotency_keys
from companion.extensions import db
from companion.models import Nudge, NudgeStatus, Patient, Phase, RefreshToken, TokenFamily, TreatmentCourse
from companion.models.base import utcnow
from companion.services import delivery, nudges

log = logging.getLogger(__name__)
PLAN_BATCH = 500
KEEP_ENDED_SESSIONS = timedelta(days=30)


def plan_upcoming(now: datetime) -> int:
    """Re-plan every patient with an active course or pending nudges, a batch per transaction."""
    active = select(TreatmentCourse.patient_id).where(TreatmentCourse.phase != Phase.ENDED)
    waiting = select(Nudge.patient_id).where(Nudge.status == NudgeStatus.PENDING)
    # One pass to find who needs planning; re-running these subqueries per batch grows with the clinic.
    everyone = sorted(set(db.session.scalars(active.union(waiting))))
    db.session.commit()
    planned = 0
    for start in range(0, len(everyone), PLAN_BATCH):
        batch = everyone[start : start + PLAN_BATCH]
        # SKIP LOCKED: a patient being re-planned by an API request right now is left to it.
        ids = list(
            db.session.scalars(select(Patient.id).where(Patient.id.in_(batch)).with_for_update(skip_locked=True))
        )
        nudges.replan(ids, now)
        db.session.commit()
        planned += len(ids)
    return planned


def expire_stale(now: datetime) -> int:
    count = nudges.expire_stale(now)
    db.session.commit()
    return count


def reclaim_leases(now: datetime) -> int:
    count = delivery.reclaim_expired_leases(now)
    db.session.commit()
    return count


def purge_keys(now: datetime) -> int:
    return purge_idempotency_keys()


def purge_sessions(now: datetime) -> int:
    """Ended sign-in sessions (revoked or expired a month ago) and their refresh tokens go, and so do
    the sealed pairs kept for refresh retries once their retry window has passed."""
    cutoff = now - KEEP_ENDED_SESSIONS
    count = db.session.execute(
        delete(TokenFamily).where(or_(TokenFamily.revoked_at < cutoff, TokenFamily.expires_at < cutoff))
    ).rowcount
    retry_window = timedelta(seconds=current_app.config["JWT_REFRESH_RETRY_SECONDS"])
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.successor_sealed.is_not(None), RefreshToken.used_at < now - retry_window)
        .values(successor_sealed=None)
    )
    db.session.commit()
    return count


def outbox_backlog(now: datetime) -> int:
    """Due nudges still waiting for the push service: deliverable now, and worth watching."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Nudge)
            .where(
                Nudge.status.in_([NudgeStatus.PENDING, NudgeStatus.FAILED]), Nudge.due_at <= now, Nudge.stale_at > now
            )
        )
        or 0
    )


@dataclass(frozen=True)
class TickJob:
    name: str
    run: Callable[[datetime], int]
    every: timedelta


JOBS = (
    TickJob("plan-nudges", plan_upcoming, timedelta(minutes=5)),
    TickJob("expire-stale-nudges", expire_stale, timedelta(minutes=1)),
    TickJob("reclaim-expired-leases", reclaim_leases, timedelta(minutes=1)),
    TickJob("count-deliverable-nudges", outbox_backlog, timedelta(minutes=1)),
    TickJob("purge-idempotency-keys", purge_keys, timedelta(hours=1)),
    TickJob("purge-ended-sessions", purge_sessions, timedelta(hours=1)),
)


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """On PostgreSQL, one scheduler at a time runs a given job (advisory lock); elsewhere always true."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    key = zlib.crc32(f"companion:{name}".encode())
    with db.engine.connect() as conn:
        got = conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
        try:
            yield bool(got)
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


def run_job(job: TickJob, now: datetime | None = None) -> int | None:
    """Run one tick of a job unless another scheduler holds it; errors are logged, never fatal."""
    now = now or utcnow()
    with exclusive(job.name) as mine:
        if not mine:
            log.info("job skipped: another scheduler has it", extra={"job": job.name})
            return None
        try:
            result = job.run(now)
        except Exception:
            db.session.rollback()
            log.exception("job failed", extra={"job": job.name})
            return None
    log.info("job ran", extra={"job": job.name, "count": result})
    return result


def run_all(now: datetime | None = None) -> dict[str, int | None]:
    return {job.name: run_job(job, now) for job in JOBS}
