"""Preparation checklists: derived from the clinic's rules and the appointment time, ticked by the patient."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from companion.content.checklist import DAY_BEFORE, STANDARD_ITEMS
from companion.errors import Conflict, NotFound
from companion.extensions import db
from companion.models import Appointment, AppointmentStatus, ChecklistTick, Clinic
from companion.timeutil import hhmm, in_zone


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    due_at: datetime | None
    due_local: datetime | None
    done: bool
    ticked_at: datetime | None


def build(
    appointment: Appointment, clinic: Clinic, zone: str, language: str, ticks: dict[str, datetime]
) -> list[ChecklistItem]:
    """The checklist for one appointment, with times in ``zone`` (the patient's current zone)."""
    starts_local = in_zone(appointment.starts_at, zone)
    timed = {
        "stop_solid_food": appointment.starts_at - timedelta(hours=clinic.fasting_solid_hours),
        "stop_clear_liquids": appointment.starts_at - timedelta(hours=clinic.fasting_clear_liquid_hours),
    }
    items = []
    for key, words in STANDARD_ITEMS.items():
        text = words.get(language, words["en"])
        due = timed.get(key)
        if due is not None:
            suffix = (
                DAY_BEFORE.get(language, DAY_BEFORE["en"]) if in_zone(due, zone).date() < starts_local.date() else ""
            )
            text = text.format(time=hhmm(due, zone)) + suffix
        items.append(ChecklistItem(key, text, due, in_zone(due, zone) if due else None, key in ticks, ticks.get(key)))
    for extra in clinic.checklist_items or []:
        key = f"clinic:{extra['key']}"
        items.append(ChecklistItem(key, extra["label"], None, None, key in ticks, ticks.get(key)))
    return items


def ticks_for(appointment_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, datetime]]:
    ids = list(appointment_ids)
    found: dict[uuid.UUID, dict[str, datetime]] = {i: {} for i in ids}
    if ids:
        for tick in db.session.scalars(select(ChecklistTick).where(ChecklistTick.appointment_id.in_(ids))):
            found[tick.appointment_id][tick.item_key] = tick.ticked_at
    return found


def valid_keys(clinic: Clinic) -> set[str]:
    return set(STANDARD_ITEMS) | {f"clinic:{item['key']}" for item in clinic.checklist_items or []}


def set_tick(appointment: Appointment, clinic: Clinic, key: str, done: bool) -> None:
    """Tick or untick an item; doing either twice is harmless (a phone may retry)."""
    if key not in valid_keys(clinic):
        raise NotFound(f"This appointment's checklist has no item {key!r}.")
    if appointment.status != AppointmentStatus.SCHEDULED:
        raise Conflict("The checklist can only change before the appointment is completed or cancelled.")
    if done:
        if db.session.scalar(
            select(ChecklistTick.id).where(
                ChecklistTick.appointment_id == appointment.id, ChecklistTick.item_key == key
            )
        ):
            return
        db.session.add(ChecklistTick(appointment_id=appointment.id, item_key=key))
    else:
        db.session.execute(
            delete(ChecklistTick).where(ChecklistTick.appointment_id == appointment.id, ChecklistTick.item_key == key)
        )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent retry ticked it first: the outcome is the same
