"""A line chart of a patient's scores across the course, for a clinician to paste into a note.

The SVG carries no name and no identifier (the note already says whose it is), and no script:
pygal links a tooltip script from a CDN and inlines its settings as another, and a document
that goes into a health record should be a picture, not a program.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pygal
from pygal.style import DefaultStyle
from sqlalchemy import select

from companion import instruments
from companion.extensions import db
from companion.models import Appointment, AppointmentStatus, Patient, SelfReport, TreatmentCourse
from companion.services import appointments, baselines
from companion.services.reports import current_only
from companion.services.summary import course_of

TITLE = "Scores across the course"
# Bands are drawn for this instrument: the chart has one axis and PHQ-9 is the headline outcome.
BANDED = ("phq9", "gad7", "pain_nrs")


def _reports(patient: Patient, course: TreatmentCourse | None) -> list[SelfReport]:
    """The course's reports with a total, from its start date (and its baselines, which may come earlier)."""
    query = select(SelfReport).where(SelfReport.patient_id == patient.id, SelfReport.total.is_not(None), current_only())
    if course is None:
        return list(db.session.scalars(query.order_by(SelfReport.completed_at)))
    since = datetime.combine(course.start_date, time(0), tzinfo=UTC)
    found = {r.id: r for r in db.session.scalars(query.where(SelfReport.completed_at >= since))}
    for baseline in baselines.baselines(course):
        if baseline.report.total is not None:
            found.setdefault(baseline.report.id, baseline.report)
    return sorted(found.values(), key=lambda r: r.completed_at)


def _band_marks(shown: list[str]) -> list[dict]:
    """Guide lines where the bands of the first banded instrument shown begin, labelled with the band."""
    for name in BANDED:
        if name in shown:
            definition = instruments.get(name)
            return [{"label": f"{band.label} ({band.low})", "value": band.low} for band in definition.bands]
    return []


def _without_scripts(root):
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def render(patient: Patient) -> bytes:
    """The SVG document."""
    course = course_of(patient.id)
    reports = _reports(patient, course)
    infusions = []
    if course is not None:
        booked = list(
            db.session.scalars(
                select(Appointment)
                .where(Appointment.course_id == course.id, Appointment.status != AppointmentStatus.CANCELLED)
                .order_by(Appointment.starts_at)
            )
        )
        numbers = appointments.numbers(booked) if booked else {}
        infusions = [(a.starts_at, numbers[a.id][0]) for a in booked]

    chart = pygal.DateTimeLine(
        title=TITLE,
        js=[],
        style=DefaultStyle,
        x_title="Date",
        y_title="Total score",
        x_value_formatter=lambda instant: instant.strftime("%d %b"),
        show_y_guides=True,
        dots_size=3,
        legend_at_bottom=True,
        no_data_text="No scores yet",
        print_values=False,
        print_labels=True,  # only the infusion dots carry labels: "Infusion 1", ...; readable without script
    )
    series: dict[str, list] = {}
    for report in reports:
        series.setdefault(report.instrument_id, []).append((report.completed_at, report.total))
    highest = 0
    for name, points in series.items():
        definition = instruments.get(name)
        highest = max(highest, definition.max_total or 0)
        chart.add(definition.title.split(" ")[0], points)
    if series and infusions:
        # Dots on the floor of the chart, one per infusion, each labelled with its number.
        chart.add(
            "Infusions",
            [{"value": (starts_at, 0), "label": f"Infusion {number}"} for starts_at, number in infusions],
            stroke=False,
            dots_size=6,
        )
    marks = _band_marks(list(series))
    if marks:
        chart.y_labels = marks
    if highest:
        chart.range = (0, highest)
    chart.add_xml_filter(_without_scripts)
    return chart.render()
