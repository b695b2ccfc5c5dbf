"""A clinician's summary of one patient's course: outcomes, infusions, side effects, adherence, alerts.

Everything is read with a fixed set of queries, whatever the length of the history, and then
worked out in memory. What cannot be worked out is named in ``missing``, never guessed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select

from companion.extensions import db
from companion.models import (
    Alert,
    AlertStatus,
    Appointment,
    AppointmentStatus,
    ChecklistTick,
    Clinic,
    ClinicianRating,
    Patient,
    Phase,
    SelfReport,
    SideEffect,
    TreatmentCourse,
)
from companion.models.base import utcnow
from companion.services import appointments, baselines, checklists
from companion.services.reports import current_only
from companion.services.summary_infusions import adherence, burden, infusions
from companion.services.summary_outcomes import outcomes


@dataclass(frozen=True)
class Window:
    """The since/until a clinician asked for; open at either end when not given."""

    since: datetime | None = None
    until: datetime | None = None

    def holds(self, instant: datetime) -> bool:
        return (self.since is None or instant >= self.since) and (self.until is None or instant < self.until)


@dataclass(frozen=True)
class History:
    course: TreatmentCourse | None
    appointments: list[Appointment]  # the course's, in time order, cancelled ones included
    numbers: dict[uuid.UUID, int | None]
    reports: list[SelfReport]  # current only, oldest first
    side_effects: list[SideEffect]
    ratings: list[ClinicianRating]
    ticks: dict[uuid.UUID, set[str]]  # appointment -> ticked item keys
    alerts: list[Alert]
    baselines: list[baselines.Baseline]


def course_of(patient_id: uuid.UUID) -> TreatmentCourse | None:
    """The active course, or else the one that ended last: the course a clinician means by "the course"."""
    ended_last = case((TreatmentCourse.phase == Phase.ENDED, 1), else_=0)
    return db.session.scalar(
        select(TreatmentCourse)
        .where(TreatmentCourse.patient_id == patient_id)
        .order_by(ended_last, TreatmentCourse.start_date.desc(), TreatmentCourse.created_at.desc())
        .limit(1)
    )


def load(patient: Patient) -> History:
    """Every row the summary needs, in a fixed number of statements."""
    course = course_of(patient.id)
    course_id = course.id if course else None
    booked = list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.course_id == course_id)
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )
    numbered = appointments.numbers(booked) if booked else {}
    ticks: dict[uuid.UUID, set[str]] = {}
    for appointment_id, key in db.session.execute(
        select(ChecklistTick.appointment_id, ChecklistTick.item_key)
        .join(Appointment, Appointment.id == ChecklistTick.appointment_id)
        .where(Appointment.course_id == course_id)
    ):
        ticks.setdefault(appointment_id, set()).add(key)
    return History(
        course=course,
        appointments=booked,
        numbers={appointment_id: number for appointment_id, (number, _) in numbered.items()},
        reports=_all(
            select(SelfReport)
            .where(SelfReport.patient_id == patient.id, current_only())
            .order_by(SelfReport.completed_at, SelfReport.received_at, SelfReport.id)
        ),
        side_effects=_all(
            select(SideEffect).where(SideEffect.patient_id == patient.id).order_by(SideEffect.onset_at, SideEffect.id)
        ),
        ratings=_all(
            select(ClinicianRating)
            .where(ClinicianRating.patient_id == patient.id)
            .order_by(ClinicianRating.rated_at, ClinicianRating.created_at, ClinicianRating.id)
        ),
        ticks=ticks,
        alerts=_all(
            select(Alert)
            .where(Alert.patient_id == patient.id, Alert.status == AlertStatus.OPEN)
            .order_by(Alert.raised_at, Alert.id)
        ),
        baselines=baselines.baselines(course) if course else [],
    )


def _all(query) -> list:
    return list(db.session.scalars(query))


def patient_summary(
    patient: Patient, *, since: datetime | None = None, until: datetime | None = None, now: datetime | None = None
) -> dict:
    """The summary as plain data for the schema.

    ``since``/``until`` pick the infusions (by start) and the latest scores and unlinked side
    effects (by their own time); baselines and open alerts are shown whatever the range.
    """
    window = Window(since, until)
    clinic = db.session.get(Clinic, patient.clinic_id)
    history = load(patient)
    course = history.course
    first_start = min(
        (a.starts_at for a in history.appointments if a.status != AppointmentStatus.CANCELLED), default=None
    )
    shown = [a for a in history.appointments if a.status != AppointmentStatus.CANCELLED and window.holds(a.starts_at)]
    completed = [a for a in shown if a.status == AppointmentStatus.COMPLETED]
    checklist_keys = checklists.valid_keys(clinic)

    missing = [] if course else ["course"]
    scored, missing_scores = outcomes(
        history.baselines,
        [r for r in history.reports if window.holds(r.completed_at)],
        history.ratings,
        [r for r in history.ratings if window.holds(r.rated_at)],
        first_start=first_start,
        thresholds=clinic.remission_thresholds or {},
        had_infusion=bool(completed),
    )
    per_infusion, missing_reports = infusions(
        shown, history.numbers, history.reports, history.side_effects, history.ticks, checklist_keys
    )
    return {
        "patient_id": patient.id,
        "generated_at": now or utcnow(),
        "since": since,
        "until": until,
        "course": course,
        "outcomes": scored,
        "infusions": per_infusion,
        "side_effects_not_linked": burden(
            [e for e in history.side_effects if e.appointment_id is None and window.holds(e.onset_at)]
        ),
        "adherence": adherence(course, completed, shown, history.reports, history.ticks, checklist_keys),
        "open_alerts": history.alerts,
        "missing": missing + missing_scores + missing_reports,
    }
