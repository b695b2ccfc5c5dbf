from marshmallow import Schema, fields


class ProblemSchema(Schema):
    """RFC 9457 problem details, the body of every error response."""

    type = fields.String(required=True, metadata={"description": "URI naming the kind of problem"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong, for a person"})
    request_id = fields.String(metadata={"description": "Quote this when contacting support"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Validation failures: field name (dotted for nested) to messages"},
    )
