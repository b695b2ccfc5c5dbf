"""Append-only record of who read or changed patient data. It holds no health data itself."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from companion.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_clinic_occurred", "clinic_id", "occurred_at"),
        Index("ix_audit_events_patient_occurred", "patient_id", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    clinic_id: Mapped[uuid.UUID | None]
    actor_kind: Mapped[str] = mapped_column(String(20))  # account or service
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))  # e.g. patient.read, patient.enroll
    patient_id: Mapped[uuid.UUID | None]
    target_id: Mapped[uuid.UUID | None]
    outcome: Mapped[str] = mapped_column(String(20))  # allowed, denied, not_found
    request_id: Mapped[str | None] = mapped_column(String(64))


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_rewrite(_mapper, _connection, _target) -> None:
    raise RuntimeError("audit events are append-only")
