"""Side-effect log: what the patient felt, how strongly, from when and for how long."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select

from companion.errors import Conflict, NotFound, field_error
from companion.extensions import db
from companion.models import Appointment, Clinic, Patient, SideEffect, Symptom
from companion.models.base import utcnow
from companion.services import safety
from companion.services.paging import page_of
from companion.services.reports import CLOCK_SKEW, OLDEST_ACCEPTED


@dataclass(frozen=True)
class Logged:
    side_effect: SideEffect
    guidance: safety.Guidance | None


def log(patient: Patient, data: dict) -> Logged:
    """Store one side effect with any alert it raises. Flushes; the caller commits."""
    now = utcnow()
    onset, reported = data["onset_at"], data.get("reported_at") or now
    for field, value in (("onset_at", onset), ("reported_at", reported)):
        if value > now + CLOCK_SKEW:
            raise field_error(field, "Cannot be in the future; check the phone's clock.")
        if value < now - OLDEST_ACCEPTED:
            raise field_error(field, "Side effects older than 30 days are not accepted here; tell your clinic.")
    if onset > reported + CLOCK_SKEW:
        raise field_error("onset_at", "Cannot be after the time you reported it.")
    if data["symptom"] == Symptom.OTHER and not data.get("other_text"):
        raise field_error("other_text", "Describe the symptom when choosing other.")
    if data.get("ongoing") and data.get("duration_minutes") is not None:
        raise field_error("duration_minutes", "Leave this out while the symptom is still going on.")
    if not data.get("ongoing") and data.get("duration_minutes") is None:
        raise field_error("duration_minutes", "Say how long it lasted, or mark it as still going on.")
    appointment_id = data.get("appointment_id")
    if appointment_id:
        appointment = db.session.get(Appointment, appointment_id)
        if appointment is None or appointment.patient_id != patient.id:
            raise field_error("appointment_id", "You have no appointment with this id.")
    effect = SideEffect(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        appointment_id=appointment_id,
        symptom=Symptom(data["symptom"]),
        other_text=data.get("other_text"),
        severity=data["severity"],
        onset_at=onset,
        duration_minutes=data.get("duration_minutes"),
        ongoing=bool(data.get("ongoing")),
        reported_at=reported,
        received_at=now,
    )
    clinic = db.session.get(Clinic, patient.clinic_id)
    reasons = safety.side_effect_reasons(clinic, effect, patient.timezone, now)
    effect.safety_event = bool(reasons)
    db.session.add(effect)
    db.session.flush()
    safety.raise_alerts(patient, "side_effect", effect.id, reasons)
    db.session.flush()
    return Logged(effect, safety.guidance(clinic, patient.preferred_language, reasons))


def resolve(patient: Patient, effect_id: uuid.UUID, resolved_at: datetime) -> SideEffect:
    """Mark an ongoing side effect as over; doing it again with the same time is harmless."""
    effect = db.session.get(SideEffect, effect_id)
    if effect is None or effect.patient_id != patient.id:
        raise NotFound("You have no side effect with this id.")
    if resolved_at > utcnow() + CLOCK_SKEW:
        raise field_error("resolved_at", "Cannot be in the future.")
    if resolved_at < effect.onset_at:
        raise field_error("resolved_at", "Cannot be before the symptom started.")
    if effect.resolved_at is not None:
        if effect.resolved_at == resolved_at:
            return effect
        raise Conflict("This side effect was already marked as over.")
    if not effect.ongoing:
        raise Conflict("This side effect was logged with a duration; it is already over.")
    effect.resolved_at = resolved_at
    effect.ongoing = False
    effect.duration_minutes = int((resolved_at - effect.onset_at) / timedelta(minutes=1))
    db.session.commit()
    return effect


def history(
    patient_id: uuid.UUID,
    *,
    symptom: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[SideEffect], int]:
    conditions = [SideEffect.patient_id == patient_id]
    if symptom:
        conditions.append(SideEffect.symptom == Symptom(symptom))
    if since:
        conditions.append(SideEffect.onset_at >= since)
    if until:
        conditions.append(SideEffect.onset_at < until)
    return page_of(
        select(SideEffect).where(and_(*conditions)),
        SideEffect.onset_at.desc(),
        SideEffect.id,
        page=page,
        per_page=per_page,
    )
