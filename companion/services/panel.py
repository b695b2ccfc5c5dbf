"""The clinic's triage panel: which patients a clinician should look at first.

The whole clinic is ranked in one statement (per-patient figures are correlated sub-selects
that each read a few index entries), because priority order needs every patient's flags
before a page can be cut. Priority: open alerts, then worsening PHQ-9, then overdue
post-infusion reports, then everyone else.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, or_, select, text
from sqlalchemy.orm import aliased

from companion.auth.principal import Principal
from companion.extensions import db
from companion.models import (
    Alert,
    AlertStatus,
    Appointment,
    AppointmentStatus,
    CourseBaseline,
    Patient,
    Phase,
    ReportPhase,
    SelfReport,
    TreatmentCourse,
)
from companion.models.base import utcnow
from companion.services import audit
from companion.services.reports import current_only
from companion.services.summary_infusions import EXPECTED_INSTRUMENT

# A completed infusion this recent with no post-infusion PHQ-9 yet makes the report overdue.
OVERDUE_WINDOW = timedelta(days=7)
# Before any infusion every report is pre-treatment; a far-off cutoff keeps the index range usable.
NO_INFUSION_YET = datetime(9999, 12, 31, tzinfo=UTC)


def _phq9_newest_first():
    return (
        select(SelfReport.total)
        .where(
            SelfReport.patient_id == Patient.id,
            SelfReport.instrument_id == EXPECTED_INSTRUMENT,
            SelfReport.total.is_not(None),
            current_only(),
        )
        .order_by(SelfReport.completed_at.desc(), SelfReport.received_at.desc(), SelfReport.id.desc())
        .limit(1)
    )


def _per_patient(clinic_id: uuid.UUID, now: datetime):
    """One row per patient of the clinic with the figures the flags are made of."""
    # Every per-patient figure is a sub-select that seeks an index by patient (or course):
    # joining derived tables instead made SQLite scan one of them once per patient.
    candidate = aliased(TreatmentCourse)
    ended_last = case((candidate.phase == Phase.ENDED, 1), else_=0)
    chosen_course = (
        select(candidate.id)
        .where(candidate.patient_id == Patient.id)
        .order_by(ended_last, candidate.start_date.desc(), candidate.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    first_start = (
        select(func.min(Appointment.starts_at))
        .where(Appointment.course_id == TreatmentCourse.id, Appointment.status != AppointmentStatus.CANCELLED)
        .correlate(TreatmentCourse)  # two levels down, inside the baseline sub-select
        .scalar_subquery()
    )
    alerts = (
        select(
            Alert.patient_id,
            func.count().label("open_alerts"),
            func.min(Alert.raised_at).label("oldest_alert"),
        )
        .where(Alert.clinic_id == clinic_id, Alert.status == AlertStatus.OPEN)
        .group_by(Alert.patient_id)
        .subquery("open_alerts")
    )
    # The same choice as services.baselines: a clinician's mark, else the last report before infusion 1.
    marked = (
        select(SelfReport.total)
        .join(CourseBaseline, CourseBaseline.report_id == SelfReport.id)
        .where(CourseBaseline.course_id == TreatmentCourse.id, CourseBaseline.instrument_id == EXPECTED_INSTRUMENT)
        .scalar_subquery()
    )
    by_rule = (
        _phq9_newest_first()
        .where(SelfReport.completed_at < func.coalesce(first_start, NO_INFUSION_YET))
        .scalar_subquery()
    )
    post_sent = (
        select(SelfReport.id)
        .where(
            SelfReport.appointment_id == Appointment.id,
            SelfReport.phase == ReportPhase.POST,
            SelfReport.instrument_id == EXPECTED_INSTRUMENT,
            current_only(),
        )
        .exists()
    )
    overdue = (
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.patient_id == Patient.id,
            Appointment.status == AppointmentStatus.COMPLETED,
            Appointment.starts_at >= now - OVERDUE_WINDOW,
            Appointment.starts_at <= now,
            ~post_sent,
        )
        .scalar_subquery()
    )
    return (
        select(
            Patient.id.label("patient_id"),
            Patient.full_name.label("patient_name"),
            TreatmentCourse.phase.label("course_phase"),
            func.coalesce(alerts.c.open_alerts, 0).label("open_alerts"),
            alerts.c.oldest_alert,
            _phq9_newest_first().scalar_subquery().label("latest"),
            _phq9_newest_first().offset(1).scalar_subquery().label("previous"),
            case((TreatmentCourse.id.is_(None), None), else_=func.coalesce(marked, by_rule)).label("baseline"),
            overdue.label("overdue"),
            # Any report, corrected ones included: the question is when the patient last wrote in.
            select(func.max(SelfReport.completed_at))
            .where(SelfReport.patient_id == Patient.id)
            .scalar_subquery()
            .label("last_report_at"),
        )
        .select_from(Patient)
        .outerjoin(TreatmentCourse, TreatmentCourse.id == chosen_course)
        .outerjoin(alerts, alerts.c.patient_id == Patient.id)
        .where(Patient.clinic_id == clinic_id)
        .cte("panel_rows")
    )


def panel(
    principal: Principal,
    *,
    sort: str = "priority",
    phase: str | None = None,
    flag: list[str] | None = None,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
) -> tuple[list[dict], int]:
    """One page of the caller's clinic, ranked; the read is audit-logged as one event."""
    rows = _per_patient(principal.clinic_id, now or utcnow())
    has_alert = rows.c.open_alerts > 0
    worsening = or_(rows.c.latest > rows.c.baseline, rows.c.latest > rows.c.previous)
    overdue = rows.c.overdue > 0
    is_worsening = case((worsening, True), else_=False).label("worsening")
    tier = case((has_alert, 0), (worsening, 1), (overdue, 2), else_=3)
    conditions = []
    if phase:
        conditions.append(rows.c.course_phase == Phase(phase))
    if flag:
        chosen = {"open_alert": has_alert, "worsening": worsening, "overdue": overdue}
        conditions.append(or_(*(chosen[name] for name in flag)))
    order = {
        "priority": (tier, rows.c.oldest_alert, rows.c.patient_name, rows.c.patient_id),
        "name": (rows.c.patient_name, rows.c.patient_id),
        "last_report": (rows.c.last_report_at.desc().nulls_last(), rows.c.patient_name, rows.c.patient_id),
    }[sort]
    query = select(rows, is_worsening).where(*conditions)
    if db.engine.dialect.name == "postgresql":
        # The planner prices this statement high enough to JIT-compile it, which costs more than
        # the query itself; for this transaction only, run it interpreted.
        db.session.execute(text("SET LOCAL jit = off"))
    found = db.session.execute(
        query.add_columns(func.count().over().label("matching"))
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if found:
        total = found[0].matching
    else:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) if page > 1 else 0
    audit.record_now(principal, "panel.read")
    return [_shown(row) for row in found], total or 0


def _shown(row) -> dict:
    raised = {"open_alert": row.open_alerts > 0, "worsening": row.worsening, "overdue": row.overdue > 0}
    flags = [name for name, on in raised.items() if on]
    return {
        "patient_id": row.patient_id,
        "patient_name": row.patient_name,
        "course_phase": row.course_phase,
        "flags": flags,
        "open_alerts": row.open_alerts,
        "overdue_infusions": row.overdue,
        "phq9": {"baseline": row.baseline, "previous": row.previous, "latest": row.latest},
        "last_report_at": row.last_report_at,
    }
