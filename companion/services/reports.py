"""Self-reports: validated and scored on the server, placed in their infusion window, never edited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from companion import instruments
from companion.errors import Conflict, ValidationFailed, field_error
from companion.extensions import db
from companion.models import (
    Appointment,
    AppointmentStatus,
    Clinic,
    Patient,
    ReportPhase,
    SelfReport,
)
from companion.models.base import utcnow
from companion.services import nudges, safety
from companion.services.courses import active_course
from companion.services.paging import page_of

PRE_WINDOW = timedelta(hours=24)
POST_WINDOW = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=5)
OLDEST_ACCEPTED = timedelta(days=30)


@dataclass(frozen=True)
class Submission:
    report: SelfReport
    score: instruments.Score
    guidance: safety.Guidance | None


def _check_completed_at(completed_at: datetime, now: datetime) -> None:
    if completed_at > now + CLOCK_SKEW:
        raise field_error("completed_at", "Cannot be in the future; check the phone's clock.")
    if completed_at < now - OLDEST_ACCEPTED:
        raise field_error("completed_at", "Reports older than 30 days are not accepted; please fill in a new one.")


def _window(appointment: Appointment, completed_at: datetime, phase: ReportPhase | None) -> ReportPhase:
    """Pre within 24 h before the infusion; post within 7 days after it starts."""
    before = completed_at < appointment.starts_at
    if phase is None:
        phase = ReportPhase.PRE if before else ReportPhase.POST
    if phase == ReportPhase.PRE and not (before and appointment.starts_at - completed_at <= PRE_WINDOW):
        raise field_error("phase", "A pre-infusion report must be filled in within the 24 hours before the infusion.")
    if phase == ReportPhase.POST and not (not before and completed_at - appointment.starts_at <= POST_WINDOW):
        raise field_error("phase", "A post-infusion report must be filled in within 7 days after the infusion starts.")
    return phase


def _appointment(patient: Patient, appointment_id: uuid.UUID) -> Appointment:
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.patient_id != patient.id:
        raise field_error("appointment_id", "You have no appointment with this id.")
    if appointment.status == AppointmentStatus.CANCELLED:
        raise field_error("appointment_id", "This appointment was cancelled.", Conflict)
    return appointment


def _superseded(patient: Patient, report_id: uuid.UUID, instrument_id: str) -> SelfReport:
    old = db.session.get(SelfReport, report_id)
    if old is None or old.patient_id != patient.id:
        raise field_error("supersedes", "You have no report with this id.")
    if old.instrument_id != instrument_id:
        raise field_error("supersedes", "A correction must use the same questionnaire as the report it replaces.")
    if db.session.scalar(select(SelfReport.id).where(SelfReport.supersedes_id == old.id)):
        raise field_error("supersedes", "This report has already been corrected; correct the newest version.", Conflict)
    return old


def submit(patient: Patient, data: dict) -> Submission:
    """Score and store one report with any alerts it raises. Flushes; the caller commits."""
    now = utcnow()
    try:
        definition = instruments.get(data["instrument"])
    except instruments.UnknownInstrument as exc:
        raise field_error("instrument", str(exc)) from exc
    clinic = db.session.get(Clinic, patient.clinic_id)
    try:
        score = instruments.score(definition, data["answers"])
    except instruments.AnswerError as exc:
        errors = {f"answers.{item}": messages for item, messages in exc.errors.items()}
        raise ValidationFailed("Some answers are missing or not valid: " + str(exc), errors=errors) from exc
    completed_at = data["completed_at"]
    _check_completed_at(completed_at, now)

    appointment = _appointment(patient, data["appointment_id"]) if data.get("appointment_id") else None
    phase = data.get("phase")
    if appointment is not None:
        phase = _window(appointment, completed_at, phase)
    elif phase is not None:
        raise field_error("appointment_id", "Name the appointment this pre/post report belongs to.")
    supersedes = _superseded(patient, data["supersedes"], definition.id) if data.get("supersedes") else None
    course = appointment.course if appointment else active_course(patient.id)

    report = SelfReport(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        course_id=course.id if course else None,
        appointment_id=appointment.id if appointment else None,
        phase=phase,
        instrument_id=definition.id,
        instrument_version=definition.version,
        answers=dict(data["answers"]),
        total=score.total,
        band=score.band,
        cluster_scores=dict(score.cluster_scores),
        item_scores=dict(score.item_scores),
        flags=list(score.flags),
        safety_event=score.safety_event,
        completed_at=completed_at,
        received_at=now,
        supersedes_id=supersedes.id if supersedes else None,
    )
    db.session.add(report)
    db.session.flush()
    reasons = safety.report_reasons(clinic, report, score)
    safety.raise_alerts(patient, "self_report", report.id, reasons)
    if appointment is not None:
        nudges.replan([patient.id])  # a post report settles its overdue follow-up
    db.session.flush()
    return Submission(report, score, safety.guidance(clinic, patient.preferred_language, reasons))


def current_only():
    """Reports not replaced by a correction."""
    newer = aliased(SelfReport)
    return ~select(newer.id).where(newer.supersedes_id == SelfReport.id).exists()


def history(
    patient_id: uuid.UUID,
    *,
    instrument: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_superseded: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[SelfReport], int]:
    conditions = [SelfReport.patient_id == patient_id]
    if instrument:
        conditions.append(SelfReport.instrument_id == instrument)
    if since:
        conditions.append(SelfReport.completed_at >= since)
    if until:
        conditions.append(SelfReport.completed_at < until)
    if not include_superseded:
        conditions.append(current_only())
    return page_of(
        select(SelfReport).where(and_(*conditions)),
        SelfReport.completed_at.desc(),
        SelfReport.id,
        page=page,
        per_page=per_page,
    )


def superseded_by(report_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    if not report_ids:
        return {}
    rows = db.session.execute(
        select(SelfReport.supersedes_id, SelfReport.id).where(SelfReport.supersedes_id.in_(report_ids))
    )
    return {old: new for old, new in rows}
