"""Safety alerts for clinicians: raised in the same transaction as what caused them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from companion.models.base import Base, str_enum, utcnow


class AlertStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        # One alert per cause: a retried or replayed submission cannot raise a second one.
        UniqueConstraint("source_type", "source_id", "reason"),
        Index("ix_alerts_clinic_status_raised", "clinic_id", "status", "raised_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    reason: Mapped[str] = mapped_column(String(60))  # suicidality_item_positive, severe_side_effect, clinic_rule:...
    source_type: Mapped[str] = mapped_column(String(20))  # self_report or side_effect
    source_id: Mapped[uuid.UUID]
    status: Mapped[AlertStatus] = mapped_column(str_enum(AlertStatus, "alert_status"), default=AlertStatus.OPEN)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
