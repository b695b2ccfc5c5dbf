"""A patient of a clinic: the profile and settings the app and reminders work from."""

from __future__ import annotations

import uuid
from datetime import time

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.models.account import Account
from companion.models.base import Base, TimestampMixin

DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(8, 0)


class Patient(TimestampMixin, Base):
    __tablename__ = "patients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64))
    quiet_hours_start: Mapped[time] = mapped_column(default=DEFAULT_QUIET_START)
    quiet_hours_end: Mapped[time] = mapped_column(default=DEFAULT_QUIET_END)
    # Kinds of nudge the patient switched off; safety messages cannot be switched off.
    muted_nudge_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    enrolled_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))

    account: Mapped[Account] = relationship(foreign_keys=[account_id], lazy="joined")
