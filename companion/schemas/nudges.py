"""Devices, the in-app inbox, and the push service's lease/report exchange."""

from marshmallow import Schema, fields, validate

from companion.models import DevicePlatform
from companion.schemas.fields import PageArgsSchemaMixin


class DeviceCreateSchema(Schema):
    platform = fields.String(required=True, validate=validate.OneOf([p.value for p in DevicePlatform]))
    token = fields.String(required=True, validate=validate.Length(min=8, max=512))
    app_version = fields.String(validate=validate.Length(max=40), load_default=None)


class DeviceSchema(Schema):
    id = fields.UUID(required=True)
    platform = fields.String(required=True)
    token_ending = fields.Function(lambda d: d.token[-6:], metadata={"description": "Last characters of the token"})
    app_version = fields.String(allow_none=True)
    active = fields.Boolean(required=True)
    last_seen_at = fields.DateTime(required=True)


class NotificationSchema(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    due_at = fields.DateTime(required=True)
    sent_at = fields.DateTime(allow_none=True)
    read_at = fields.DateTime(allow_none=True)
    appointment_id = fields.UUID(allow_none=True)
    is_safety = fields.Boolean(required=True)


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema), required=True)
    unread = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class NotificationArgsSchema(PageArgsSchemaMixin, Schema):
    pass


class LeaseRequestSchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    lease_seconds = fields.Integer(load_default=120, validate=validate.Range(min=15, max=900))


class LeasedDeviceSchema(Schema):
    id = fields.UUID(required=True)
    platform = fields.String(required=True)
    token = fields.String(required=True)


class LeasedNudgeSchema(Schema):
    nudge_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    is_safety = fields.Boolean(required=True)
    attempt = fields.Integer(required=True)
    lease_expires_at = fields.DateTime(required=True)
    title = fields.String(required=True, metadata={"description": "In the patient's language; no health details"})
    body = fields.String(required=True)
    devices = fields.List(fields.Nested(LeasedDeviceSchema), required=True)


class LeaseSchema(Schema):
    nudges = fields.List(fields.Nested(LeasedNudgeSchema), required=True)


class DeliveryResultSchema(Schema):
    nudge_id = fields.UUID(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(["delivered", "failed"]))
    retryable = fields.Boolean(load_default=True, metadata={"description": "For failures: try again later?"})
    reason = fields.String(validate=validate.Length(max=200))
    invalid_device_ids = fields.List(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "Devices whose token the provider rejected; they are deactivated"},
    )


class DeliveryReportSchema(Schema):
    results = fields.List(fields.Nested(DeliveryResultSchema), required=True, validate=validate.Length(min=1, max=200))


class DeliveryOutcomeSchema(Schema):
    nudge_id = fields.UUID(required=True)
    accepted = fields.Boolean(required=True)
    status = fields.String(allow_none=True)
    detail = fields.String(required=True)


class DeliveryOutcomesSchema(Schema):
    results = fields.List(fields.Nested(DeliveryOutcomeSchema), required=True)
