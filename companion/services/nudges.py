"""Nudges in the database: the pure planner's output upserted into the outbox, per patient.

Called in the same transaction as whatever changed (a reschedule, a cancellation, new
settings), and by the scheduler for everyone. Pending nudges whose purpose is no longer
planned are cancelled, or marked stale if their moment has passed.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import lazyload

from companion.extensions import db
from companion.models import (
    Appointment,
    AppointmentStatus,
    Clinic,
    Nudge,
    NudgeStatus,
    Patient,
    Phase,
    ReportPhase,
    SelfReport,
    TreatmentCourse,
)
from companion.models.base import utcnow
from companion.scheduling import planner
from companion.services.paging import page_of

HORIZON = timedelta(days=14)
# Far enough back to see completed infusions whose week-later check-in is still fresh.
LOOKBACK = timedelta(days=10)
FIRST_POST_REPORT_AFTER = timedelta(hours=4)


@dataclass
class PlanReport:
    inserted: int = 0
    moved: int = 0
    cancelled: int = 0
    staled: int = 0


def clinic_rules(clinic: Clinic) -> planner.ClinicRules:
    return planner.ClinicRules(
        fasting_solid_hours=clinic.fasting_solid_hours,
        fasting_clear_liquid_hours=clinic.fasting_clear_liquid_hours,
        post_checkin_offsets=tuple(timedelta(hours=h) for h in clinic.checkin_offsets_hours or [4, 24, 168]),
    )


def patient_settings(patient: Patient) -> planner.PatientSettings:
    return planner.PatientSettings(
        patient_id=patient.id,
        timezone=patient.timezone,
        quiet_start=patient.quiet_hours_start,
        quiet_end=patient.quiet_hours_end,
        muted_kinds=frozenset(patient.muted_nudge_kinds or ()),
        language=patient.preferred_language,
    )


def _inputs(patient_ids: Sequence[uuid.UUID], now: datetime):
    appointments: dict[uuid.UUID, list[Appointment]] = defaultdict(list)
    for appointment in db.session.scalars(
        select(Appointment).where(
            Appointment.patient_id.in_(patient_ids),
            Appointment.starts_at >= now - LOOKBACK,
            Appointment.status.in_([AppointmentStatus.SCHEDULED, AppointmentStatus.COMPLETED]),
        )
    ):
        appointments[appointment.patient_id].append(appointment)
    courses = {
        c.patient_id: c
        for c in db.session.scalars(
            select(TreatmentCourse).where(
                TreatmentCourse.patient_id.in_(patient_ids), TreatmentCourse.phase != Phase.ENDED
            )
        )
    }
    completed_ids = [a.id for items in appointments.values() for a in items if a.status == AppointmentStatus.COMPLETED]
    reported = (
        set(
            db.session.scalars(
                select(SelfReport.appointment_id).where(
                    SelfReport.appointment_id.in_(completed_ids), SelfReport.phase == ReportPhase.POST
                )
            )
        )
        if completed_ids
        else set()
    )
    return appointments, courses, reported


def _plan_one(patient: Patient, rules: planner.ClinicRules, appointments, course, reported, now):
    plans = [
        planner.AppointmentPlan(a.id, a.starts_at, a.status.value, 0)
        for a in sorted(appointments, key=lambda a: a.starts_at)
    ]
    expected = [
        planner.ExpectedReport(f"post:{a.id}", a.starts_at + FIRST_POST_REPORT_AFTER, a.id in reported)
        for a in appointments
        if a.status == AppointmentStatus.COMPLETED
    ]
    state = planner.CourseState(course.phase.value, course.maintenance_since) if course else None
    return planner.plan_nudges(patient_settings(patient), rules, plans, state, expected, now, HORIZON)


def replan(patient_ids: Iterable[uuid.UUID], now: datetime | None = None) -> PlanReport:
    """Bring these patients' pending nudges in line with their current plan. Flushes; the caller commits."""
    now = now or utcnow()
    ids = list(dict.fromkeys(patient_ids))
    report = PlanReport()
    if not ids:
        return report
    # Row locks make an API re-plan and the scheduler's take turns on PostgreSQL.
    db.session.execute(select(Patient.id).where(Patient.id.in_(ids)).with_for_update())
    patients = list(db.session.scalars(select(Patient).where(Patient.id.in_(ids)).options(lazyload(Patient.account))))
    clinics = {
        c.id: c for c in db.session.scalars(select(Clinic).where(Clinic.id.in_({p.clinic_id for p in patients})))
    }
    appointments, courses, reported = _inputs(ids, now)
    existing: dict[uuid.UUID, list[Nudge]] = defaultdict(list)
    inserts: list[dict] = []
    for nudge in db.session.scalars(
        select(Nudge).where(Nudge.patient_id.in_(ids), Nudge.is_safety.is_(False), Nudge.due_at >= now - LOOKBACK)
    ):
        existing[nudge.patient_id].append(nudge)
    for patient in patients:
        planned = _plan_one(
            patient,
            clinic_rules(clinics[patient.clinic_id]),
            appointments[patient.id],
            courses.get(patient.id),
            reported,
            now,
        )
        inserts += _reconcile(patient, planned, existing[patient.id], now, report)
    db.session.flush()
    if inserts:
        db.session.execute(insert(Nudge), inserts)
    return report


def _reconcile(patient: Patient, planned, rows: list[Nudge], now: datetime, report: PlanReport) -> list[dict]:
    """Update this patient's rows in place and return the new ones to insert."""
    exact = {(n.dedup_key, n.due_at): n for n in rows}
    pending = {n.dedup_key: n for n in rows if n.status == NudgeStatus.PENDING}
    kept: set[uuid.UUID] = set()
    new: dict[tuple[str, datetime], dict] = {}
    for plan in planned:
        row = exact.get((plan.dedup_key, plan.due_at))
        if row is None and plan.dedup_key in pending and pending[plan.dedup_key].id not in kept:
            row = pending[plan.dedup_key]  # same purpose, new time: the appointment moved
            row.due_at = plan.due_at
            report.moved += 1
        if row is not None:
            kept.add(row.id)
            if row.status == NudgeStatus.CANCELLED:
                row.status = NudgeStatus.PENDING  # withdrawn earlier (a mute, a cancellation), wanted again
            if row.status == NudgeStatus.PENDING:
                _refresh(row, plan)
            continue
        new[(plan.dedup_key, plan.due_at)] = {
            "id": uuid.uuid4(),
            "clinic_id": patient.clinic_id,
            "patient_id": patient.id,
            "appointment_id": plan.appointment_id,
            "kind": plan.kind,
            "dedup_key": plan.dedup_key,
            "template": plan.template,
            "params": dict(plan.params),
            "is_safety": False,
            "due_at": plan.due_at,
            "stale_at": plan.stale_at,
            "status": NudgeStatus.PENDING,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
    for row in pending.values():
        if row.id not in kept:
            if row.stale_at <= now:
                row.status = NudgeStatus.STALE
                report.staled += 1
            else:
                row.status = NudgeStatus.CANCELLED
                report.cancelled += 1
    report.inserted += len(new)
    return list(new.values())


def _refresh(row: Nudge, plan) -> None:
    # Assign only what changed: an unchanged plan should cost no UPDATE.
    if row.stale_at != plan.stale_at:
        row.stale_at = plan.stale_at
    if row.params != plan.params:
        row.params = dict(plan.params)
    if row.appointment_id != plan.appointment_id:
        row.appointment_id = plan.appointment_id


def enqueue_safety(patient: Patient, reason_key: str, now: datetime | None = None) -> Nudge:
    """A safety message due at once; quiet hours and mutes do not apply."""
    plan = planner.plan_safety_nudge(patient_settings(patient), now or utcnow(), reason_key)
    nudge = Nudge(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        kind=plan.kind,
        dedup_key=plan.dedup_key,
        template=plan.template,
        params={},
        is_safety=True,
        due_at=plan.due_at,
        stale_at=plan.stale_at,
    )
    db.session.add(nudge)
    return nudge


def expire_stale(now: datetime) -> int:
    return db.session.execute(
        update(Nudge)
        .where(Nudge.status.in_([NudgeStatus.PENDING, NudgeStatus.FAILED]), Nudge.stale_at <= now)
        .values(status=NudgeStatus.STALE, updated_at=now)
    ).rowcount


def inbox(patient_id: uuid.UUID, now: datetime, page: int, per_page: int) -> tuple[list[Nudge], int, int]:
    """A page of the patient's messages that are due, the total, and how many are unread."""
    shown = and_(
        Nudge.patient_id == patient_id,
        Nudge.due_at <= now,
        Nudge.status.notin_([NudgeStatus.CANCELLED, NudgeStatus.STALE]),
    )
    rows, total = page_of(select(Nudge).where(shown), Nudge.due_at.desc(), Nudge.id, page=page, per_page=per_page)
    unread = db.session.scalar(select(db.func.count()).select_from(Nudge).where(shown, Nudge.read_at.is_(None))) or 0
    return rows, total, unread
