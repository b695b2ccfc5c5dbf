"""Clinician summaries and the triage panel."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from companion.models import Phase
from companion.schemas.course import Instant
from companion.schemas.fields import PageArgsSchemaMixin


class SummaryArgsSchema(Schema):
    since = Instant(metadata={"description": "Only infusions, scores and side effects from this instant"})
    until = Instant(metadata={"description": "Only those before this instant"})

    @validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise ValidationError("Must be after since.", "until")


class CourseBriefSchema(Schema):
    id = fields.UUID(required=True)
    indication = fields.String(required=True)
    phase = fields.String(required=True)
    start_date = fields.Date(required=True)
    planned_induction_infusions = fields.Integer(required=True)


class TotalShownSchema(Schema):
    total = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    source_id = fields.UUID(required=True, metadata={"description": "The self-report or clinician rating"})
    rule = fields.String(metadata={"description": "How the baseline was chosen: a rule id, or marked"})


class ResponseStampSchema(Schema):
    met = fields.Boolean(required=True)
    rule = fields.String(required=True)
    threshold = fields.Float(required=True, metadata={"description": "Fall from baseline, as a fraction"})
    instrument = fields.String(required=True)
    definition_version = fields.String(allow_none=True)
    baseline = fields.Integer(required=True)
    current = fields.Integer(required=True)
    percent_change = fields.Float(allow_none=True)


class RemissionStampSchema(Schema):
    met = fields.Boolean(required=True)
    rule = fields.String(required=True)
    threshold = fields.Integer(required=True, metadata={"description": "Remission is a total below this"})
    instrument = fields.String(required=True)
    definition_version = fields.String(allow_none=True)
    total = fields.Integer(required=True)


class OutcomeSchema(Schema):
    instrument = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "self_report or clinician_rating"})
    definition_version = fields.String(allow_none=True)
    baseline = fields.Nested(TotalShownSchema, allow_none=True)
    latest = fields.Nested(TotalShownSchema, allow_none=True)
    change_points = fields.Integer(allow_none=True)
    change_percent = fields.Float(allow_none=True)
    response = fields.Nested(ResponseStampSchema, allow_none=True)
    remission = fields.Nested(RemissionStampSchema, allow_none=True)


class PrePostSchema(Schema):
    pre = fields.Integer(allow_none=True)
    post = fields.Integer(allow_none=True)
    change = fields.Integer(allow_none=True)
    pre_report_id = fields.UUID(allow_none=True)
    post_report_id = fields.UUID(allow_none=True)


class SymptomBurdenSchema(Schema):
    symptom = fields.String(required=True)
    count = fields.Integer(required=True)
    max_severity = fields.Integer(allow_none=True)
    duration_minutes_total = fields.Integer(required=True, metadata={"description": "Effects that are over"})
    duration_minutes_median = fields.Float(allow_none=True)
    ongoing = fields.Integer(required=True, metadata={"description": "Still going on, so no duration yet"})


class BurdenSchema(Schema):
    count = fields.Integer(required=True)
    max_severity = fields.Integer(allow_none=True)
    duration_minutes_total = fields.Integer(required=True)
    duration_minutes_median = fields.Float(allow_none=True)
    ongoing = fields.Integer(required=True)
    by_symptom = fields.List(fields.Nested(SymptomBurdenSchema), required=True)


class ChecklistProgressSchema(Schema):
    ticked = fields.Integer(required=True)
    total = fields.Integer(required=True)


class InfusionSummarySchema(Schema):
    appointment_id = fields.UUID(required=True)
    number = fields.Integer(required=True, metadata={"description": "Infusion n within the course"})
    starts_at = fields.DateTime(required=True)
    status = fields.String(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Nested(PrePostSchema), required=True)
    side_effects = fields.Nested(BurdenSchema, required=True)
    checklist = fields.Nested(ChecklistProgressSchema, required=True)


class RatioSchema(Schema):
    done = fields.Integer(required=True)
    of = fields.Integer(allow_none=True)
    percent = fields.Float(allow_none=True)


class AdherenceSchema(Schema):
    infusions = fields.Nested(RatioSchema, required=True, metadata={"description": "Completed of planned"})
    missed_infusions = fields.Integer(required=True)
    self_reports = fields.Nested(
        RatioSchema, required=True, metadata={"description": "Pre and post PHQ-9s of those expected"}
    )
    checklist = fields.Nested(RatioSchema, required=True, metadata={"description": "Items ticked of items offered"})


class OpenAlertSchema(Schema):
    id = fields.UUID(required=True)
    reason = fields.String(required=True)
    source_type = fields.String(required=True)
    source_id = fields.UUID(required=True)
    raised_at = fields.DateTime(required=True)


class PatientSummarySchema(Schema):
    patient_id = fields.UUID(required=True)
    generated_at = fields.DateTime(required=True)
    since = fields.DateTime(allow_none=True)
    until = fields.DateTime(allow_none=True)
    course = fields.Nested(CourseBriefSchema, allow_none=True)
    outcomes = fields.List(fields.Nested(OutcomeSchema), required=True)
    infusions = fields.List(fields.Nested(InfusionSummarySchema), required=True)
    side_effects_not_linked = fields.Nested(BurdenSchema, required=True)
    adherence = fields.Nested(AdherenceSchema, required=True)
    open_alerts = fields.List(fields.Nested(OpenAlertSchema), required=True)
    missing = fields.List(
        fields.String(),
        required=True,
        metadata={"description": 'What could not be worked out, e.g. "baseline:phq9", "post:appointment-3"'},
    )


PANEL_FLAGS = ("open_alert", "worsening", "overdue")
PANEL_SORTS = ("priority", "name", "last_report")


class PanelArgsSchema(PageArgsSchemaMixin, Schema):
    sort = fields.String(load_default="priority", validate=validate.OneOf(PANEL_SORTS))
    phase = fields.String(validate=validate.OneOf([p.value for p in Phase]))
    flag = fields.List(
        fields.String(validate=validate.OneOf(PANEL_FLAGS)),
        metadata={"description": "Only patients with any of these flags (repeat the parameter for several)"},
    )


class Phq9TrendSchema(Schema):
    baseline = fields.Integer(allow_none=True)
    previous = fields.Integer(allow_none=True)
    latest = fields.Integer(allow_none=True)


class PanelRowSchema(Schema):
    patient_id = fields.UUID(required=True)
    patient_name = fields.String(required=True)
    course_phase = fields.String(allow_none=True)
    flags = fields.List(fields.String(), required=True)
    open_alerts = fields.Integer(required=True)
    overdue_infusions = fields.Integer(required=True)
    phq9 = fields.Nested(Phq9TrendSchema, required=True)
    last_report_at = fields.DateTime(allow_none=True)


class PanelPageSchema(Schema):
    items = fields.List(fields.Nested(PanelRowSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
