"""A patient's history built straight through the models, with scores made by the real scorer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from companion import instruments
from companion.content.checklist import STANDARD_ITEMS
from companion.extensions import db
from companion.models import (
    Alert,
    AlertStatus,
    Appointment,
    AppointmentStatus,
    ChecklistTick,
    ClinicianRating,
    Indication,
    Patient,
    Phase,
    ReportPhase,
    SelfReport,
    SideEffect,
    Symptom,
    TreatmentCourse,
)

CHECKLIST = list(STANDARD_ITEMS)  # five standard items when the clinic adds none


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def answers_for(instrument: str, total: int) -> dict[str, int]:
    """Answers adding up to ``total``, filled item by item; safety items stay at their lowest."""
    definition = instruments.get(instrument)
    answers, left = {}, total
    for item in definition.items:
        value = item.min_value if item.safety_flag else min(item.max_value, left)
        answers[item.id] = value
        left -= value
    assert left == 0, f"{instrument} cannot reach {total} without its safety items"
    return answers


def course(patient: Patient, *, start: date = date(2026, 3, 2), planned: int = 6, phase=Phase.INDUCTION):
    obj = TreatmentCourse(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        indication=Indication.DEPRESSION,
        start_date=start,
        planned_induction_infusions=planned,
        phase=phase,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def infusion(course: TreatmentCourse, starts_at: datetime, status=AppointmentStatus.COMPLETED) -> Appointment:
    obj = Appointment(
        clinic_id=course.clinic_id,
        patient_id=course.patient_id,
        course_id=course.id,
        starts_at=starts_at,
        status=status,
        clinic_timezone="America/New_York",
        patient_timezone="America/New_York",
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def report(
    patient: Patient,
    total: int,
    completed_at: datetime,
    *,
    instrument: str = "phq9",
    around: Appointment | None = None,
    phase: ReportPhase | None = None,
    corrects: SelfReport | None = None,
) -> SelfReport:
    answers = answers_for(instrument, total)
    score = instruments.score(instrument, answers)
    obj = SelfReport(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        course_id=around.course_id if around else None,
        appointment_id=around.id if around else None,
        phase=phase,
        instrument_id=instrument,
        instrument_version=score.version,
        answers=answers,
        total=score.total,
        band=score.band,
        item_scores=dict(score.item_scores),
        completed_at=completed_at,
        received_at=completed_at + timedelta(minutes=1),
        supersedes_id=corrects.id if corrects else None,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def pre_post(patient: Patient, appointment: Appointment, pre: int | None, post: int | None, **kw) -> None:
    """A pre report two hours before the infusion and a post report the next morning."""
    if pre is not None:
        report(
            patient, pre, appointment.starts_at - timedelta(hours=2), around=appointment, phase=ReportPhase.PRE, **kw
        )
    if post is not None:
        report(
            patient, post, appointment.starts_at + timedelta(hours=19), around=appointment, phase=ReportPhase.POST, **kw
        )


def side_effect(
    patient: Patient,
    symptom: Symptom,
    severity: int,
    onset_at: datetime,
    *,
    minutes: int | None = None,
    around: Appointment | None = None,
    other_text: str | None = None,
) -> SideEffect:
    obj = SideEffect(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        appointment_id=around.id if around else None,
        symptom=symptom,
        other_text=other_text,
        severity=severity,
        onset_at=onset_at,
        duration_minutes=minutes,
        ongoing=minutes is None,
        reported_at=onset_at + timedelta(minutes=5),
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def rating(patient: Patient, total: int, rated_at: datetime, instrument: str = "madrs") -> ClinicianRating:
    obj = ClinicianRating(
        clinic_id=patient.clinic_id, patient_id=patient.id, instrument=instrument, total=total, rated_at=rated_at
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def ticks(appointment: Appointment, count: int) -> None:
    db.session.add_all(ChecklistTick(appointment_id=appointment.id, item_key=key) for key in CHECKLIST[:count])
    db.session.commit()


def alert(patient: Patient, source, *, status=AlertStatus.OPEN, raised_at: datetime | None = None) -> Alert:
    obj = Alert(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        reason="severe_side_effect",
        source_type="side_effect",
        source_id=source.id,
        status=status,
        raised_at=raised_at or at(2026, 3, 10),
    )
    db.session.add(obj)
    db.session.commit()
    return obj
