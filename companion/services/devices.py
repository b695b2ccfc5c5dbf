"""Push tokens of a patient's devices."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from companion.errors import NotFound
from companion.extensions import db
from companion.models import Device, DevicePlatform, Patient
from companion.models.base import utcnow


def register(patient: Patient, platform: str, token: str, app_version: str | None) -> tuple[Device, bool]:
    """Add a token, or refresh it when seen again; a token moves to whoever now holds the phone."""
    device = db.session.scalar(select(Device).where(Device.token == token))
    created = device is None
    if created:
        device = Device(patient_id=patient.id, platform=DevicePlatform(platform), token=token)
        db.session.add(device)
    device.patient_id, device.platform, device.app_version = patient.id, DevicePlatform(platform), app_version
    device.active, device.deactivated_reason, device.last_seen_at = True, None, utcnow()
    db.session.commit()
    return device, created


def remove(patient: Patient, device_id: uuid.UUID) -> None:
    removed = db.session.execute(delete(Device).where(Device.id == device_id, Device.patient_id == patient.id)).rowcount
    if not removed:
        raise NotFound("You have no device with this id.")
    db.session.commit()


def of_patient(patient: Patient) -> list[Device]:
    return list(db.session.scalars(select(Device).where(Device.patient_id == patient.id).order_by(Device.created_at)))
