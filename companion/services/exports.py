"""CSV exports: one patient's reports and side effects for the clinic, and a pseudonymised research file.

Every file has a fixed header (all items of every questionnaire version), so two exports line
up column for column. Only current reports are exported: a corrected report is replaced by its
correction, which names it in ``corrects_report_id``.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import uuid
from collections.abc import Iterable, Iterator

from sqlalchemy import select, tuple_

from companion.auth.principal import Principal
from companion.extensions import db
from companion.instruments.definitions import DEFINITIONS
from companion.models import Appointment, Patient, SelfReport, SideEffect, TreatmentCourse
from companion.services import appointments, audit
from companion.services.reports import current_only

PSEUDONYM_LENGTH = 16  # hex digits of the HMAC: 64 bits, ample for a clinic's patients
ITEM_COLUMNS = tuple(dict.fromkeys(item_id for definition in DEFINITIONS for item_id in definition.item_ids))
_ITEMS = frozenset(ITEM_COLUMNS)
REPORT_COLUMNS = (
    "report_id",
    "instrument",
    "instrument_version",
    "completed_at",
    "received_at",
    "course_id",
    "appointment_id",
    "infusion_number",
    "phase",
    "total",
    "band",
    "safety_event",
    "flags",
    "corrects_report_id",
    *ITEM_COLUMNS,
)
SIDE_EFFECT_COLUMNS = (
    "side_effect_id",
    "symptom",
    "other_text",
    "severity",
    "onset_at",
    "duration_minutes",
    "ongoing",
    "resolved_at",
    "appointment_id",
    "infusion_number",
    "safety_event",
    "reported_at",
)
RESEARCH_COLUMNS = (
    "pseudonym",
    "indication",
    "days_since_course_start",
    "infusion_number",
    "phase",
    "instrument",
    "instrument_version",
    "total",
    "band",
    "safety_event",
    *ITEM_COLUMNS,
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def pseudonym(patient_id: uuid.UUID, secret: str) -> str:
    """Stable across exports while the secret is; not reversible without it."""
    digest = hmac.new(secret.encode(), str(patient_id).encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def _text(value: str | None) -> str | None:
    # A spreadsheet would run a patient's "=..." as a formula; a leading quote keeps it text.
    return "'" + value if value and value.startswith(_FORMULA_STARTS) else value


def _lines(columns: Iterable[str], rows: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _infusion_numbers(query) -> dict[uuid.UUID, int | None]:
    booked = list(db.session.scalars(query))
    return {key: number for key, (number, _) in appointments.numbers(booked).items()} if booked else {}


def patient_reports(patient: Patient) -> Iterator[str]:
    """One row per current self-report, answers item by item."""
    numbers = _infusion_numbers(select(Appointment).where(Appointment.patient_id == patient.id))
    # Read now: the stream is consumed after the request's session has closed.
    reports = list(
        db.session.scalars(
            select(SelfReport)
            .where(SelfReport.patient_id == patient.id, current_only())
            .order_by(SelfReport.completed_at, SelfReport.id)
        )
    )
    return _lines(REPORT_COLUMNS, (_report_row(r, numbers) for r in reports))


def _report_row(report: SelfReport, numbers: dict) -> dict:
    return {
        "report_id": report.id,
        "instrument": report.instrument_id,
        "instrument_version": report.instrument_version,
        "completed_at": report.completed_at.isoformat(),
        "received_at": report.received_at.isoformat(),
        "course_id": report.course_id,
        "appointment_id": report.appointment_id,
        "infusion_number": numbers.get(report.appointment_id),
        "phase": report.phase.value if report.phase else None,
        "total": report.total,
        "band": report.band,
        "safety_event": report.safety_event,
        "flags": ";".join(report.flags or []),
        "corrects_report_id": report.supersedes_id,
        **{item: value for item, value in (report.answers or {}).items() if item in _ITEMS},
    }


def patient_side_effects(patient: Patient) -> Iterator[str]:
    """One row per logged side effect."""
    numbers = _infusion_numbers(select(Appointment).where(Appointment.patient_id == patient.id))
    effects = list(
        db.session.scalars(
            select(SideEffect).where(SideEffect.patient_id == patient.id).order_by(SideEffect.onset_at, SideEffect.id)
        )
    )
    return _lines(
        SIDE_EFFECT_COLUMNS,
        (
            {
                "side_effect_id": e.id,
                "symptom": e.symptom.value,
                "other_text": _text(e.other_text),
                "severity": e.severity,
                "onset_at": e.onset_at.isoformat(),
                "duration_minutes": e.duration_minutes,
                "ongoing": e.ongoing,
                "resolved_at": e.resolved_at.isoformat() if e.resolved_at else None,
                "appointment_id": e.appointment_id,
                "infusion_number": numbers.get(e.appointment_id),
                "safety_event": e.safety_event,
                "reported_at": e.reported_at.isoformat(),
            }
            for e in effects
        ),
    )


def research(principal: Principal, secret: str) -> Iterator[str]:
    """Every current report of the caller's clinic with the patient replaced by a pseudonym.

    No names, contact details, free text or record ids; times are days from the course start,
    since exact dates help re-identify a person. The read is audit-logged as one event.
    """
    audit.record_now(principal, "research_export.read")
    clinic_id = principal.clinic_id
    numbers = _infusion_numbers(select(Appointment).where(Appointment.clinic_id == clinic_id))
    courses = {
        c.id: (c.indication.value, c.start_date)
        for c in db.session.scalars(select(TreatmentCourse).where(TreatmentCourse.clinic_id == clinic_id))
    }
    reports = _in_batches(select(SelfReport).where(SelfReport.clinic_id == clinic_id, current_only()))
    return _lines(RESEARCH_COLUMNS, (_research_row(r, numbers, courses, secret) for r in reports))


def _in_batches(query, size: int = 2000) -> Iterator[SelfReport]:
    """Reports in time order, a keyset page per query.

    The CSV streams after the view has returned and its session has been closed, so a
    server-side cursor held across the stream would be gone (PostgreSQL drops it with the
    transaction); each page is its own short query instead, and memory stays flat.
    """
    after = None
    while True:
        page = query.order_by(SelfReport.completed_at, SelfReport.id).limit(size)
        if after is not None:
            page = page.where(tuple_(SelfReport.completed_at, SelfReport.id) > after)
        rows = list(db.session.scalars(page))
        yield from rows
        if len(rows) < size:
            return
        after = (rows[-1].completed_at, rows[-1].id)


def _research_row(report: SelfReport, numbers: dict, courses: dict, secret: str) -> dict:
    indication, start = courses.get(report.course_id, (None, None))
    return {
        "pseudonym": pseudonym(report.patient_id, secret),
        "indication": indication,
        "days_since_course_start": (report.completed_at.date() - start).days if start else None,
        "infusion_number": numbers.get(report.appointment_id),
        "phase": report.phase.value if report.phase else None,
        "instrument": report.instrument_id,
        "instrument_version": report.instrument_version,
        "total": report.total,
        "band": report.band,
        "safety_event": report.safety_event,
        **{item: value for item, value in (report.answers or {}).items() if item in _ITEMS},
    }
