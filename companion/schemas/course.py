"""Courses, appointments, session records and checklists."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from companion.models import AppointmentStatus, Indication, Phase


def Instant(**kwargs) -> fields.AwareDateTime:
    """An absolute instant: ISO 8601 with a zone offset; a bare local time is ambiguous and refused."""
    return fields.AwareDateTime(
        error_messages={
            "invalid_awareness": "Include a time zone offset, e.g. 2026-03-09T10:00:00-04:00.",
            "invalid": "Use an ISO 8601 date-time with an offset, e.g. 2026-03-09T10:00:00-04:00.",
        },
        **kwargs,
    )


class CourseSchema(Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    indication = fields.String(required=True)
    phase = fields.String(required=True)
    planned_induction_infusions = fields.Integer(required=True)
    induction_window_days = fields.Integer(required=True)
    start_date = fields.Date(required=True)
    maintenance_since = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)


class CourseCreateSchema(Schema):
    indication = fields.String(required=True, validate=validate.OneOf([i.value for i in Indication]))
    planned_induction_infusions = fields.Integer(load_default=6, validate=validate.Range(min=1, max=12))
    induction_window_days = fields.Integer(load_default=21, validate=validate.Range(min=7, max=42))
    start_date = fields.Date(required=True)


class CourseUpdateSchema(Schema):
    phase = fields.String(validate=validate.OneOf([p.value for p in Phase]))
    planned_induction_infusions = fields.Integer(validate=validate.Range(min=1, max=12))
    induction_window_days = fields.Integer(validate=validate.Range(min=7, max=42))


class AppointmentCreateSchema(Schema):
    starts_at = Instant(required=True)
    duration_minutes = fields.Integer(validate=validate.Range(min=30, max=480))


class SeriesCreateSchema(Schema):
    starts_at = fields.List(Instant(), required=True, validate=validate.Length(min=1, max=12))
    duration_minutes = fields.Integer(validate=validate.Range(min=30, max=480))


class RescheduleSchema(Schema):
    starts_at = Instant(required=True)
    reason = fields.String(validate=validate.Length(max=300))


class ReasonSchema(Schema):
    reason = fields.String(validate=validate.Length(max=300))


def _vital(low: int, high: int) -> fields.Integer:
    return fields.Integer(allow_none=True, validate=validate.Range(min=low, max=high))


class SessionRecordSchema(Schema):
    started_at = Instant(allow_none=True)
    ended_at = Instant(allow_none=True)
    bp_systolic_before = _vital(50, 260)
    bp_diastolic_before = _vital(30, 180)
    heart_rate_before = _vital(20, 250)
    bp_systolic_40min = _vital(50, 260)
    bp_diastolic_40min = _vital(30, 180)
    heart_rate_40min = _vital(20, 250)
    bp_systolic_discharge = _vital(50, 260)
    bp_diastolic_discharge = _vital(30, 180)
    heart_rate_discharge = _vital(20, 250)
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))

    @validates_schema
    def _ends_after_start(self, data, **kwargs):
        if data.get("started_at") and data.get("ended_at") and data["ended_at"] < data["started_at"]:
            raise ValidationError("Must not be before started_at.", field_name="ended_at")


class ChecklistItemSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    due_at = fields.DateTime(allow_none=True)
    due_local = fields.DateTime(allow_none=True, metadata={"description": "due_at in the patient's zone"})
    done = fields.Boolean(required=True)
    ticked_at = fields.DateTime(allow_none=True)


class PatientAppointmentSchema(Schema):
    id = fields.UUID(required=True)
    course_id = fields.UUID(required=True)
    number = fields.Integer(allow_none=True, metadata={"description": "Infusion n of the course"})
    planned_infusions = fields.Integer(required=True, metadata={"description": "N, the planned induction series"})
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    starts_local = fields.DateTime(required=True, metadata={"description": "Start in the patient's current zone"})
    starts_clinic_local = fields.DateTime(required=True, metadata={"description": "Start in the clinic's zone"})
    duration_minutes = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in AppointmentStatus]})
    version = fields.Integer(required=True)
    checklist = fields.List(fields.Nested(ChecklistItemSchema), required=True)


class AppointmentSchema(PatientAppointmentSchema):
    patient_id = fields.UUID(required=True)
    patient_name = fields.String(required=True)
    clinic_timezone = fields.String(required=True)
    patient_timezone = fields.String(required=True)
    record = fields.Nested(SessionRecordSchema, allow_none=True)


class AppointmentEventSchema(Schema):
    version = fields.Integer(required=True)
    kind = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    previous_starts_at = fields.DateTime(allow_none=True)
    status = fields.String(required=True)
    reason = fields.String(allow_none=True)
    actor_id = fields.UUID(allow_none=True)
    occurred_at = fields.DateTime(required=True)


class WhenArgsSchema(Schema):
    when = fields.String(load_default="upcoming", validate=validate.OneOf(["upcoming", "past", "all"]))


class DayArgsSchema(Schema):
    date = fields.Date(required=True, metadata={"description": "A calendar day in the clinic's zone"})


class CalendarLinkSchema(Schema):
    url = fields.String(required=True, metadata={"description": "Secret subscription URL; rotate it if shared"})
