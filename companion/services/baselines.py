"""Course baselines: the last report of each questionnaire before the first infusion, unless a clinician chose one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from companion.auth.principal import Principal
from companion.errors import field_error
from companion.extensions import db
from companion.models import Appointment, AppointmentStatus, CourseBaseline, SelfReport, TreatmentCourse
from companion.services.reports import current_only

RULE = "last-report-before-first-infusion@1"


@dataclass(frozen=True)
class Baseline:
    instrument: str
    report: SelfReport
    source: str  # "marked" by a clinician, or the default RULE


def first_infusion_start(course: TreatmentCourse):
    return db.session.scalar(
        select(func.min(Appointment.starts_at)).where(
            Appointment.course_id == course.id, Appointment.status != AppointmentStatus.CANCELLED
        )
    )


def baselines(course: TreatmentCourse) -> list[Baseline]:
    """One per questionnaire the patient has answered; missing ones are simply absent, never guessed."""
    marked = {
        b.instrument_id: b.report_id
        for b in db.session.scalars(select(CourseBaseline).where(CourseBaseline.course_id == course.id))
    }
    cutoff = first_infusion_start(course)
    query = select(SelfReport).where(SelfReport.patient_id == course.patient_id, current_only())
    if cutoff is not None:
        query = query.where(SelfReport.completed_at < cutoff)
    latest: dict[str, SelfReport] = {}
    for report in db.session.scalars(query.order_by(SelfReport.completed_at)):
        latest[report.instrument_id] = report
    found = {name: Baseline(name, report, RULE) for name, report in latest.items()}
    if marked:
        for report in db.session.scalars(select(SelfReport).where(SelfReport.id.in_(marked.values()))):
            found[report.instrument_id] = Baseline(report.instrument_id, report, "marked")
    return sorted(found.values(), key=lambda b: b.instrument)


def mark(principal: Principal, course: TreatmentCourse, instrument: str, report_id) -> Baseline:
    report = db.session.get(SelfReport, report_id)
    if report is None or report.patient_id != course.patient_id:
        raise field_error("report_id", "This patient has no report with this id.")
    if report.instrument_id != instrument:
        raise field_error("report_id", f"This report is a {report.instrument_id} report, not {instrument}.")
    chosen = db.session.scalar(
        select(CourseBaseline).where(CourseBaseline.course_id == course.id, CourseBaseline.instrument_id == instrument)
    )
    if chosen is None:
        chosen = CourseBaseline(course_id=course.id, instrument_id=instrument, report_id=report.id)
        db.session.add(chosen)
    chosen.report_id, chosen.marked_by_id = report.id, principal.id
    db.session.commit()
    return Baseline(instrument, report, "marked")
