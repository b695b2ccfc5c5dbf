"""The audit trail: every staff or service read or change of patient data, and its outcome."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import g
from sqlalchemy import select

from companion.auth.principal import Principal
from companion.extensions import db
from companion.models import AuditEvent
from companion.services.paging import page_of


def record(
    principal: Principal,
    action: str,
    *,
    patient_id: uuid.UUID | None = None,
    target_id: uuid.UUID | None = None,
    outcome: str = "allowed",
) -> AuditEvent:
    """Add an event to the current transaction; the caller's commit makes it durable with the change."""
    event = AuditEvent(
        clinic_id=principal.clinic_id,
        actor_kind=principal.kind,
        actor_id=principal.id,
        actor_role=principal.role.value,
        action=action,
        patient_id=patient_id,
        target_id=target_id,
        outcome=outcome,
        request_id=g.get("request_id"),
    )
    db.session.add(event)
    return event


def record_now(principal: Principal, action: str, **kwargs) -> None:
    """For reads and refusals, which have no transaction of their own to ride on."""
    record(principal, action, **kwargs)
    db.session.commit()


def list_events(
    clinic_id: uuid.UUID,
    *,
    patient_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditEvent], int]:
    query = select(AuditEvent).where(AuditEvent.clinic_id == clinic_id)
    if patient_id:
        query = query.where(AuditEvent.patient_id == patient_id)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.occurred_at >= since)
    if until:
        query = query.where(AuditEvent.occurred_at < until)
    return page_of(query, AuditEvent.occurred_at.desc(), AuditEvent.id, page=page, per_page=per_page)
