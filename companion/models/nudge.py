"""The outbox of nudges a push service pulls from, and the devices it delivers to."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from companion.models.base import Base, TimestampMixin, str_enum, utcnow


class NudgeStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its due time
    LEASED = "leased"  # handed to the push service, awaiting its report
    SENT = "sent"
    FAILED = "failed"  # a retryable failure; tried again after next_attempt_at
    CANCELLED = "cancelled"  # no longer planned (appointment moved or cancelled, kind muted)
    STALE = "stale"  # its moment passed before it could be sent
    DEAD = "dead"  # gave up after too many attempts


class Nudge(TimestampMixin, Base):
    __tablename__ = "nudges"
    __table_args__ = (
        # Planning twice, or from two processes, cannot plan the same reminder twice.
        UniqueConstraint("dedup_key", "due_at"),
        Index("ix_nudges_status_due", "status", "due_at"),
        Index("ix_nudges_patient_due", "patient_id", "due_at"),
        Index("ix_nudges_lease_token", "lease_token"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointments.id"))
    kind: Mapped[str] = mapped_column(String(40))
    dedup_key: Mapped[str] = mapped_column(String(160))
    template: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    is_safety: Mapped[bool] = mapped_column(default=False)
    due_at: Mapped[datetime]
    stale_at: Mapped[datetime]
    status: Mapped[NudgeStatus] = mapped_column(str_enum(NudgeStatus, "nudge_status"), default=NudgeStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    lease_token: Mapped[uuid.UUID | None]
    leased_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_clients.id"))
    lease_expires_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    read_at: Mapped[datetime | None]


class DevicePlatform(enum.StrEnum):
    IOS = "ios"
    ANDROID = "android"
    WEB = "web"


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    platform: Mapped[DevicePlatform] = mapped_column(str_enum(DevicePlatform, "device_platform"))
    token: Mapped[str] = mapped_column(String(512), unique=True)
    app_version: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    deactivated_reason: Mapped[str | None] = mapped_column(String(40))
