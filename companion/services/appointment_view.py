"""Appointments as people see them: numbered, in their local time, with their checklist."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from companion.extensions import db
from companion.models import Appointment, Clinic, Patient, SessionRecord
from companion.services import appointments, checklists
from companion.timeutil import in_zone


def present(items: Sequence[Appointment], *, language: str | None = None) -> list[dict]:
    """Dicts for the schemas; a fixed number of queries however many appointments there are."""
    if not items:
        return []
    numbered = appointments.numbers(items)
    ticks = checklists.ticks_for(a.id for a in items)
    patients = {
        p.id: p for p in db.session.scalars(select(Patient).where(Patient.id.in_({a.patient_id for a in items})))
    }
    records = {
        r.appointment_id: r
        for r in db.session.scalars(select(SessionRecord).where(SessionRecord.appointment_id.in_(ticks.keys())))
    }
    clinics = {c.id: c for c in db.session.scalars(select(Clinic).where(Clinic.id.in_({a.clinic_id for a in items})))}
    shown = []
    for appointment in items:
        patient, clinic = patients[appointment.patient_id], clinics[appointment.clinic_id]
        number, planned = numbered[appointment.id]
        shown.append(
            {
                "id": appointment.id,
                "course_id": appointment.course_id,
                "patient_id": appointment.patient_id,
                "patient_name": patient.full_name,
                "number": number,
                "planned_infusions": planned,
                "starts_at": appointment.starts_at,
                "ends_at": appointment.ends_at,
                "starts_local": in_zone(appointment.starts_at, patient.timezone),
                "starts_clinic_local": in_zone(appointment.starts_at, clinic.timezone),
                "duration_minutes": appointment.duration_minutes,
                "status": appointment.status.value,
                "version": appointment.version,
                "clinic_timezone": appointment.clinic_timezone,
                "patient_timezone": appointment.patient_timezone,
                "record": records.get(appointment.id),
                "checklist": checklists.build(
                    appointment, clinic, patient.timezone, language or patient.preferred_language, ticks[appointment.id]
                ),
            }
        )
    return shown
