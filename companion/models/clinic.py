"""A clinic owns its staff, patients and settings; nothing crosses between clinics."""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from companion.content import default_crisis_resources
from companion.models.base import Base, TimestampMixin


class Clinic(TimestampMixin, Base):
    __tablename__ = "clinics"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    require_two_factor: Mapped[bool] = mapped_column(default=False)
    # Fasting rules differ between clinics, so they are settings with a default, never constants.
    fasting_solid_hours: Mapped[int] = mapped_column(default=6)
    fasting_clear_liquid_hours: Mapped[int] = mapped_column(default=2)
    # Crisis contacts go stale when hard-coded; each clinic keeps its own list, seeded with defaults.
    crisis_resources: Mapped[list[dict]] = mapped_column(JSON, default=default_crisis_resources)
    # Extra preparation items the clinic adds to every checklist: [{"key": ..., "label": ...}].
    checklist_items: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # Extra alert rules, e.g. [{"instrument": "phq9", "total_at_least": 20}].
    alert_rules: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # Clinic wording for questionnaire items (licensed text or translations): {lang: {instrument: {item: text}}}.
    instrument_prompts: Mapped[dict] = mapped_column(JSON, default=dict)
    # Remission threshold per instrument (a total below it); the default is PHQ-9 below 5.
    remission_thresholds: Mapped[dict] = mapped_column(JSON, default=dict)
    # When post-infusion check-ins go out, in hours after the start (about 4 h, 24 h and 7 days by default).
    checkin_offsets_hours: Mapped[list[int]] = mapped_column(JSON, default=lambda: [4, 24, 168])
