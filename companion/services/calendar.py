"""A patient's calendar subscription: upcoming infusions as RFC 5545 at a secret, rotatable URL."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import select

from companion.errors import NotFound
from companion.extensions import db
from companion.models import Appointment, AppointmentStatus, CalendarFeed, Clinic, Patient
from companion.models.base import utcnow

PRODUCT_ID = "-//Companion//Appointments//EN"  # no treatment name: calendars get synced and shared
# Calendars are often shared or shown on lock screens: the event says "clinic appointment", not the treatment.
EVENT_TITLE = {"en": "Clinic appointment", "es": "Cita en la clínica"}


def _digest(token: str) -> str:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), token.encode(), hashlib.sha256).hexdigest()


def issue(patient: Patient) -> str:
    """A new secret for the feed; any earlier URL stops working at once."""
    token = secrets.token_urlsafe(32)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id))
    if feed is None:
        db.session.add(CalendarFeed(patient_id=patient.id, token_digest=_digest(token)))
    else:
        feed.token_digest = _digest(token)
        feed.created_at = utcnow()
    db.session.commit()
    return token


def render(token: str) -> bytes:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_digest == _digest(token)))
    if feed is None:
        raise NotFound("No calendar at this address; the link may have been replaced in the app.")
    patient = db.session.get(Patient, feed.patient_id)
    clinic = db.session.get(Clinic, patient.clinic_id)
    upcoming = db.session.scalars(
        select(Appointment)
        .where(
            Appointment.patient_id == patient.id,
            Appointment.status == AppointmentStatus.SCHEDULED,
            Appointment.starts_at >= utcnow() - timedelta(days=1),
        )
        .order_by(Appointment.starts_at)
    )
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", clinic.name)
    for appointment in upcoming:
        event = Event()
        event.add("uid", f"{appointment.id}@companion")
        event.add("summary", f"{EVENT_TITLE.get(patient.preferred_language, EVENT_TITLE['en'])}: {clinic.name}")
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("dtstamp", appointment.updated_at)
        event.add("sequence", appointment.version)
        calendar.add_component(event)
    return calendar.to_ical()
