"""A patient's devices and in-app inbox, and the push service's delivery exchange."""

from dataclasses import asdict
from datetime import timedelta
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from companion.auth.principal import current_principal, roles_required
from companion.content import render_nudge
from companion.errors import NotFound
from companion.extensions import db
from companion.models import Nudge, NudgeStatus, Role
from companion.models.base import utcnow
from companion.schemas.nudges import (
    DeliveryOutcomesSchema,
    DeliveryReportSchema,
    DeviceCreateSchema,
    DeviceSchema,
    LeaseRequestSchema,
    LeaseSchema,
    NotificationArgsSchema,
    NotificationPageSchema,
    NotificationSchema,
)
from companion.services import delivery, devices, nudges, patients

blp = Blueprint("nudges", __name__, url_prefix="/v1", description="Devices, inbox and push delivery.")


@blp.route("/me/devices")
class MyDevices(MethodView):
    @roles_required(Role.PATIENT)
    @blp.response(200, DeviceSchema(many=True))
    def get(self):
        """Your registered devices."""
        return devices.of_patient(patients.own(current_principal()))

    @roles_required(Role.PATIENT)
    @blp.arguments(DeviceCreateSchema)
    @blp.response(200, DeviceSchema)
    @blp.alt_response(201, schema=DeviceSchema, description="A new device was registered.")
    def post(self, data):
        """Register this device's push token; sending it again just refreshes it."""
        device, created = devices.register(patients.own(current_principal()), **data)
        return device, 201 if created else 200


@blp.route("/me/devices/<uuid:device_id>")
class MyDevice(MethodView):
    @roles_required(Role.PATIENT)
    @blp.response(204)
    def delete(self, device_id: UUID):
        """Stop push notifications to this device."""
        devices.remove(patients.own(current_principal()), device_id)


def _notification(nudge: Nudge, language: str) -> dict:
    title, body = render_nudge(nudge.template, language, nudge.params)
    return {
        **{k: getattr(nudge, k) for k in ("id", "kind", "due_at", "sent_at", "read_at", "appointment_id", "is_safety")},
        "title": title,
        "body": body,
    }


@blp.route("/me/notifications")
class MyNotifications(MethodView):
    @roles_required(Role.PATIENT)
    @blp.arguments(NotificationArgsSchema, location="query")
    @blp.response(200, NotificationPageSchema)
    def get(self, args):
        """Your reminders and messages, newest first, with read state."""
        patient = patients.own(current_principal())
        items, total, unread = nudges.inbox(patient.id, utcnow(), args["page"], args["per_page"])
        return {
            "items": [_notification(n, patient.preferred_language) for n in items],
            "unread": unread,
            "total": total,
            **args,
        }


@blp.route("/me/notifications/<uuid:nudge_id>/read")
class MyNotificationRead(MethodView):
    @roles_required(Role.PATIENT)
    @blp.response(200, NotificationSchema)
    def post(self, nudge_id: UUID):
        """Mark a message as read (marking it again changes nothing)."""
        patient = patients.own(current_principal())
        nudge = db.session.scalar(select(Nudge).where(Nudge.id == nudge_id, Nudge.patient_id == patient.id))
        if nudge is None or nudge.status in (NudgeStatus.CANCELLED, NudgeStatus.STALE) or nudge.due_at > utcnow():
            raise NotFound("You have no message with this id.")
        if nudge.read_at is None:
            nudge.read_at = utcnow()
            db.session.commit()
        return _notification(nudge, patient.preferred_language)


@blp.route("/push/leases")
class PushLeases(MethodView):
    @roles_required(Role.PUSH_SERVICE)
    @blp.arguments(LeaseRequestSchema)
    @blp.response(200, LeaseSchema)
    def post(self, data):
        """Lease a batch of due nudges with their device tokens and rendered texts."""
        leased = delivery.lease(current_principal(), data["limit"], timedelta(seconds=data["lease_seconds"]))
        return {
            "nudges": [
                {
                    "nudge_id": item.nudge.id,
                    "kind": item.nudge.kind,
                    "is_safety": item.nudge.is_safety,
                    "attempt": item.nudge.attempts,
                    "lease_expires_at": item.nudge.lease_expires_at,
                    "title": item.title,
                    "body": item.body,
                    "devices": item.devices,
                }
                for item in leased
            ]
        }


@blp.route("/push/reports")
class PushReports(MethodView):
    @roles_required(Role.PUSH_SERVICE)
    @blp.arguments(DeliveryReportSchema)
    @blp.response(200, DeliveryOutcomesSchema)
    def post(self, data):
        """Report delivered or failed per nudge; repeating a report is harmless."""
        return {"results": [asdict(o) for o in delivery.report(current_principal(), data["results"])]}
