from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


class ReadinessSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ready or not-ready"})
    database = fields.String(required=True, metadata={"description": "ok or the reason it is not"})
    migrations = fields.String(required=True, metadata={"description": "at-head, behind, or unknown"})
