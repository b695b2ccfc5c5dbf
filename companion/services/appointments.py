"""Infusion appointments: scheduling rules, and every change recorded as a versioned event."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select

from companion.auth.principal import Principal
from companion.errors import Conflict, NotFound, ValidationFailed, field_error
from companion.extensions import db
from companion.models import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    Clinic,
    Patient,
    SessionRecord,
    TreatmentCourse,
)
from companion.models.base import utcnow
from companion.services import audit, nudges
from companion.services.courses import active_course
from companion.timeutil import local_day_bounds

DEFAULT_DURATION_MINUTES = 120  # about an hour of infusion plus observation before going home


def _log(
    appointment: Appointment,
    kind: str,
    actor: Principal | None,
    *,
    previous: datetime | None = None,
    reason: str | None = None,
) -> None:
    db.session.add(
        AppointmentEvent(
            appointment_id=appointment.id,
            version=appointment.version,
            kind=kind,
            starts_at=appointment.starts_at,
            previous_starts_at=previous,
            status=appointment.status.value,
            reason=reason,
            actor_id=actor.id if actor and actor.kind == "account" else None,
        )
    )


def _lock_patient(patient_id: uuid.UUID) -> None:
    # Serialises scheduling per patient on PostgreSQL so two requests cannot both pass the overlap check.
    db.session.execute(select(Patient.id).where(Patient.id == patient_id).with_for_update())


def _check_free(patient_id: uuid.UUID, starts_at: datetime, minutes: int, ignore: uuid.UUID | None = None) -> None:
    ends_at = starts_at + timedelta(minutes=minutes)
    nearby = db.session.scalars(
        select(Appointment).where(
            Appointment.patient_id == patient_id,
            Appointment.status == AppointmentStatus.SCHEDULED,
            Appointment.starts_at < ends_at,
            Appointment.starts_at > starts_at - timedelta(days=1),
        )
    )
    for other in nearby:
        if other.id != ignore and other.ends_at > starts_at:
            raise Conflict(
                f"This patient already has an infusion from {other.starts_at.isoformat()} to "
                f"{other.ends_at.isoformat()}; appointments cannot overlap.",
                errors={"starts_at": ["Overlaps another appointment of this patient."]},
            )


def _check_future(starts_at: datetime, field: str = "starts_at") -> None:
    if starts_at <= utcnow():
        raise field_error(field, "Must be in the future.")


def schedule(
    principal: Principal, patient: Patient, starts: Sequence[datetime], minutes: int | None = None
) -> list[Appointment]:
    """Schedule one or several infusions in the active course; all or nothing."""
    course = active_course(patient.id)
    if course is None:
        raise Conflict("Start a treatment course for this patient before scheduling infusions.")
    minutes = minutes or DEFAULT_DURATION_MINUTES
    ordered = sorted(starts)
    for i, starts_at in enumerate(ordered):
        _check_future(starts_at, "starts_at" if len(starts) == 1 else f"starts_at.{starts.index(starts_at)}")
        if i and ordered[i - 1] + timedelta(minutes=minutes) > starts_at:
            raise ValidationFailed("Two of these infusions overlap.", errors={"starts_at": ["Times overlap."]})
    _lock_patient(patient.id)
    clinic = db.session.get(Clinic, patient.clinic_id)
    created = []
    for starts_at in ordered:
        _check_free(patient.id, starts_at, minutes)
        appointment = Appointment(
            clinic_id=patient.clinic_id,
            patient_id=patient.id,
            course_id=course.id,
            starts_at=starts_at,
            duration_minutes=minutes,
            clinic_timezone=clinic.timezone,
            patient_timezone=patient.timezone,
        )
        db.session.add(appointment)
        db.session.flush()
        _log(appointment, "scheduled", principal)
        created.append(appointment)
    nudges.replan([patient.id])
    db.session.commit()
    return created


def for_staff(principal: Principal, appointment_id: uuid.UUID, action: str) -> Appointment:
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.clinic_id != principal.clinic_id:
        audit.record_now(principal, action, target_id=appointment_id, outcome="not_found")
        raise NotFound("No appointment with this id in your clinic.")
    audit.record_now(principal, action, patient_id=appointment.patient_id, target_id=appointment.id)
    return appointment


def _require_scheduled(appointment: Appointment, doing: str) -> None:
    if appointment.status != AppointmentStatus.SCHEDULED:
        raise Conflict(f"Only a scheduled appointment can be {doing}; this one is {appointment.status.value}.")


def reschedule(principal: Principal, appointment: Appointment, starts_at: datetime, reason: str | None) -> Appointment:
    _require_scheduled(appointment, "moved")
    _check_future(starts_at)
    _lock_patient(appointment.patient_id)
    _check_free(appointment.patient_id, starts_at, appointment.duration_minutes, ignore=appointment.id)
    previous = appointment.starts_at
    appointment.starts_at = starts_at
    appointment.version += 1
    _log(appointment, "rescheduled", principal, previous=previous, reason=reason)
    # Reminders follow the appointment in the same transaction: none can keep the old time.
    nudges.replan([appointment.patient_id])
    db.session.commit()
    return appointment


def cancel(principal: Principal, appointment: Appointment, reason: str | None) -> Appointment:
    _require_scheduled(appointment, "cancelled")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.version += 1
    _log(appointment, "cancelled", principal, reason=reason)
    nudges.replan([appointment.patient_id])
    db.session.commit()
    return appointment


def close(principal: Principal, appointment: Appointment, outcome: AppointmentStatus) -> Appointment:
    """Mark an appointment completed or missed; neither can happen before it starts."""
    _require_scheduled(appointment, "closed")
    if appointment.starts_at > utcnow():
        raise Conflict("This appointment has not started yet; it cannot be completed or marked missed.")
    appointment.status = outcome
    appointment.version += 1
    _log(appointment, outcome.value, principal)
    nudges.replan([appointment.patient_id])
    db.session.commit()
    return appointment


def record_session(principal: Principal, appointment: Appointment, data: dict) -> SessionRecord:
    if appointment.status == AppointmentStatus.CANCELLED or appointment.starts_at > utcnow():
        raise Conflict("A session can only be recorded for an appointment that has started.")
    record = appointment.record or SessionRecord(appointment_id=appointment.id)
    for field, value in data.items():
        setattr(record, field, value)
    record.recorded_by_id = principal.id
    db.session.add(record)
    appointment.version += 1
    _log(appointment, "recorded", principal)
    db.session.commit()
    return record


def events(appointment: Appointment) -> list[AppointmentEvent]:
    return list(
        db.session.scalars(
            select(AppointmentEvent)
            .where(AppointmentEvent.appointment_id == appointment.id)
            .order_by(AppointmentEvent.version)
        )
    )


def of_patient(patient_id: uuid.UUID, *, upcoming: bool | None = None) -> list[Appointment]:
    query = select(Appointment).where(Appointment.patient_id == patient_id)
    now = utcnow()
    if upcoming is True:
        query = query.where(Appointment.starts_at >= now, Appointment.status == AppointmentStatus.SCHEDULED)
    elif upcoming is False:
        query = query.where((Appointment.starts_at < now) | (Appointment.status != AppointmentStatus.SCHEDULED))
    return list(db.session.scalars(query.order_by(Appointment.starts_at)))


def numbers(appointments: Sequence[Appointment]) -> dict[uuid.UUID, tuple[int | None, int]]:
    """Infusion n of N within each course: cancelled ones do not count, and carry no number."""
    course_ids = {a.course_id for a in appointments}
    if not course_ids:
        return {}
    rows = db.session.execute(
        select(Appointment.id, Appointment.course_id, Appointment.status, TreatmentCourse.planned_induction_infusions)
        .join(TreatmentCourse, TreatmentCourse.id == Appointment.course_id)
        .where(Appointment.course_id.in_(course_ids))
        .order_by(Appointment.course_id, Appointment.starts_at, Appointment.id)
    ).all()
    result: dict[uuid.UUID, tuple[int | None, int]] = {}
    counters: dict[uuid.UUID, int] = {}
    for row in rows:
        if row.status == AppointmentStatus.CANCELLED:
            result[row.id] = (None, row.planned_induction_infusions)
            continue
        counters[row.course_id] = counters.get(row.course_id, 0) + 1
        result[row.id] = (counters[row.course_id], row.planned_induction_infusions)
    return result


def clinic_day(principal: Principal, day: date, zone: str) -> list[Appointment]:
    start, end = local_day_bounds(day, zone)
    found = list(
        db.session.scalars(
            select(Appointment)
            .where(
                Appointment.clinic_id == principal.clinic_id,
                Appointment.starts_at >= start,
                Appointment.starts_at < end,
            )
            .order_by(Appointment.starts_at)
        )
    )
    for appointment in found:
        audit.record(principal, "appointment.list", patient_id=appointment.patient_id, target_id=appointment.id)
    db.session.commit()
    return found
