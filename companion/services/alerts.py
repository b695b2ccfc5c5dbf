"""Clinicians see, acknowledge and resolve safety alerts; every step is audited."""

from __future__ import annotations

import uuid

from sqlalchemy import case, select

from companion.auth.principal import Principal
from companion.errors import Conflict, NotFound
from companion.extensions import db
from companion.models import Alert, AlertStatus, Patient
from companion.models.base import utcnow
from companion.services import audit
from companion.services.paging import page_of

_OPEN_FIRST = case((Alert.status == AlertStatus.OPEN, 0), (Alert.status == AlertStatus.ACKNOWLEDGED, 1), else_=2)


def list_for_clinic(
    principal: Principal,
    *,
    status: str | None = None,
    patient_id: uuid.UUID | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[tuple[Alert, str]], int]:
    query = (
        select(Alert, Patient.full_name)
        .join(Patient, Patient.id == Alert.patient_id)
        .where(Alert.clinic_id == principal.clinic_id)
    )
    if status:
        query = query.where(Alert.status == AlertStatus(status))
    if patient_id:
        query = query.where(Alert.patient_id == patient_id)
    rows, total = page_of(query, _OPEN_FIRST, Alert.raised_at.desc(), Alert.id, page=page, per_page=per_page)
    for alert, _ in rows:
        audit.record(principal, "alert.read", patient_id=alert.patient_id, target_id=alert.id)
    db.session.commit()
    return [(alert, name) for alert, name in rows], total


def _own(principal: Principal, alert_id: uuid.UUID, action: str) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None or alert.clinic_id != principal.clinic_id:
        audit.record_now(principal, action, target_id=alert_id, outcome="not_found")
        raise NotFound("No alert with this id in your clinic.")
    return alert


def acknowledge(principal: Principal, alert_id: uuid.UUID) -> Alert:
    alert = _own(principal, alert_id, "alert.acknowledge")
    if alert.status == AlertStatus.RESOLVED:
        raise Conflict("This alert is already resolved.")
    if alert.status == AlertStatus.OPEN:
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), principal.id
    audit.record(principal, "alert.acknowledge", patient_id=alert.patient_id, target_id=alert.id)
    db.session.commit()
    return alert


def resolve(principal: Principal, alert_id: uuid.UUID, note: str) -> Alert:
    alert = _own(principal, alert_id, "alert.resolve")
    if alert.status == AlertStatus.RESOLVED:
        raise Conflict("This alert is already resolved.")
    now = utcnow()
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by_id = now, principal.id
    alert.status = AlertStatus.RESOLVED
    alert.resolved_at, alert.resolved_by_id, alert.resolution_note = now, principal.id, note
    audit.record(principal, "alert.resolve", patient_id=alert.patient_id, target_id=alert.id)
    db.session.commit()
    return alert
