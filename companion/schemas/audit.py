from marshmallow import Schema, fields, validate

from companion.schemas.fields import PageArgsSchemaMixin, PageSchema


class AuditEventSchema(Schema):
    id = fields.UUID(required=True)
    occurred_at = fields.DateTime(required=True)
    actor_kind = fields.String(required=True)
    actor_id = fields.UUID(allow_none=True)
    actor_role = fields.String(required=True)
    action = fields.String(required=True)
    patient_id = fields.UUID(allow_none=True)
    target_id = fields.UUID(allow_none=True)
    outcome = fields.String(required=True)
    request_id = fields.String(allow_none=True)


class AuditQueryArgsSchema(PageArgsSchemaMixin, Schema):
    patient_id = fields.UUID()
    actor_id = fields.UUID()
    action = fields.String(validate=validate.Length(max=60))
    since = fields.AwareDateTime(default_timezone=None)
    until = fields.AwareDateTime(default_timezone=None)


class AuditPageSchema(PageSchema):
    items = fields.List(fields.Nested(AuditEventSchema), required=True)


class AccessLogEntrySchema(Schema):
    """What a patient sees of who opened their record: role and action, not staff identities."""

    occurred_at = fields.DateTime(required=True)
    actor_role = fields.String(required=True)
    action = fields.String(required=True)
