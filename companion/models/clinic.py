"""A clinic owns its staff, patients and settings; nothing crosses between clinics."""

from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from companion.models.base import Base, TimestampMixin


class Clinic(TimestampMixin, Base):
    __tablename__ = "clinics"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    require_two_factor: Mapped[bool] = mapped_column(default=False)
