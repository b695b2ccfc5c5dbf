"""Self-reports, side effects, alerts and questionnaire definitions."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from companion import instruments
from companion.models import AlertStatus, ReportPhase, Symptom
from companion.schemas.course import Instant
from companion.schemas.fields import SUPPORTED_LANGUAGES, PageArgsSchemaMixin, PageSchema

INSTRUMENT_IDS = [i.id for i in instruments.all_instruments()] + [i.versioned_id for i in instruments.all_instruments()]


class SelfReportCreateSchema(Schema):
    instrument = fields.String(
        required=True,
        validate=validate.OneOf(INSTRUMENT_IDS, error="Unknown questionnaire; see GET /v1/instruments."),
        metadata={"description": "Questionnaire id, e.g. phq9 (see GET /v1/instruments)"},
    )
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        values=fields.Raw(allow_none=True),
        required=True,
        metadata={"description": 'Item id to the chosen option\'s value, e.g. {"phq9_1": 2}'},
    )
    completed_at = Instant(required=True, metadata={"description": "When the patient filled it in"})
    appointment_id = fields.UUID(metadata={"description": "The infusion this pre/post report belongs to"})
    phase = fields.String(
        validate=validate.OneOf([p.value for p in ReportPhase]),
        metadata={"description": "pre or post; inferred from the times when left out"},
    )
    supersedes = fields.UUID(metadata={"description": "The report this one corrects"})

    @validates("answers")
    def _not_too_many(self, value, **kwargs):
        if len(value) > 40:
            raise ValidationError("Too many answers.")


class SelfReportSchema(Schema):
    id = fields.UUID(required=True)
    instrument = fields.String(attribute="instrument_id", required=True)
    instrument_version = fields.String(required=True)
    answers = fields.Dict(required=True)
    total = fields.Integer(allow_none=True)
    band = fields.String(allow_none=True)
    cluster_scores = fields.Dict(required=True)
    item_scores = fields.Dict(required=True)
    flags = fields.List(fields.String(), required=True)
    safety_event = fields.Boolean(required=True)
    appointment_id = fields.UUID(allow_none=True)
    course_id = fields.UUID(allow_none=True)
    phase = fields.String(allow_none=True)
    completed_at = fields.DateTime(required=True)
    received_at = fields.DateTime(required=True)
    supersedes = fields.UUID(attribute="supersedes_id", allow_none=True)


class SafetyGuidanceSchema(Schema):
    reasons = fields.List(fields.String(), required=True)
    message = fields.String(required=True)
    crisis_resources = fields.List(fields.Dict(), required=True)
    notice = fields.String(required=True, metadata={"description": "The service is not watched around the clock"})


class SubmittedReportSchema(Schema):
    report = fields.Nested(SelfReportSchema, required=True)
    band_label = fields.String(allow_none=True)
    safety = fields.Nested(
        SafetyGuidanceSchema,
        allow_none=True,
        metadata={"description": "Present when the answers need follow-up: show it at once"},
    )


class ReportQueryArgsSchema(PageArgsSchemaMixin, Schema):
    instrument = fields.String(validate=validate.Length(max=40))
    since = Instant()
    until = Instant()
    include_superseded = fields.Boolean(load_default=False)


class ReportPageSchema(PageSchema):
    items = fields.List(fields.Nested(SelfReportSchema), required=True)


class SideEffectCreateSchema(Schema):
    symptom = fields.String(required=True, validate=validate.OneOf([s.value for s in Symptom]))
    other_text = fields.String(validate=validate.Length(min=1, max=200))
    severity = fields.Integer(required=True, validate=validate.Range(min=0, max=10))
    onset_at = Instant(required=True)
    duration_minutes = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=60 * 24 * 30))
    ongoing = fields.Boolean(load_default=False)
    appointment_id = fields.UUID()
    reported_at = Instant(metadata={"description": "When the patient logged it, if offline; defaults to now"})


class SideEffectSchema(Schema):
    id = fields.UUID(required=True)
    symptom = fields.String(required=True)
    other_text = fields.String(allow_none=True)
    severity = fields.Integer(required=True)
    onset_at = fields.DateTime(required=True)
    duration_minutes = fields.Integer(allow_none=True)
    ongoing = fields.Boolean(required=True)
    resolved_at = fields.DateTime(allow_none=True)
    appointment_id = fields.UUID(allow_none=True)
    safety_event = fields.Boolean(required=True)
    reported_at = fields.DateTime(required=True)
    received_at = fields.DateTime(required=True)


class LoggedSideEffectSchema(Schema):
    side_effect = fields.Nested(SideEffectSchema, required=True)
    safety = fields.Nested(SafetyGuidanceSchema, allow_none=True)


class SideEffectResolveSchema(Schema):
    resolved_at = Instant(required=True)


class SideEffectQueryArgsSchema(PageArgsSchemaMixin, Schema):
    symptom = fields.String(validate=validate.OneOf([s.value for s in Symptom]))
    since = Instant()
    until = Instant()


class SideEffectPageSchema(PageSchema):
    items = fields.List(fields.Nested(SideEffectSchema), required=True)


class AlertSchema(Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    patient_name = fields.String(required=True)
    reason = fields.String(required=True)
    source_type = fields.String(required=True)
    source_id = fields.UUID(required=True)
    status = fields.String(required=True)
    raised_at = fields.DateTime(required=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    acknowledged_by_id = fields.UUID(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    resolved_by_id = fields.UUID(allow_none=True)
    resolution_note = fields.String(allow_none=True)


class AlertQueryArgsSchema(PageArgsSchemaMixin, Schema):
    status = fields.String(validate=validate.OneOf([s.value for s in AlertStatus]))
    patient_id = fields.UUID()


class AlertPageSchema(PageSchema):
    items = fields.List(fields.Nested(AlertSchema), required=True)


class AlertResolveSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class InstrumentArgsSchema(Schema):
    lang = fields.String(validate=validate.OneOf(SUPPORTED_LANGUAGES))


class BaselineSchema(Schema):
    instrument = fields.String(required=True, validate=validate.Length(min=1, max=40))
    report_id = fields.UUID(required=True)


class AnswerOptionSchema(Schema):
    value = fields.Integer(required=True)
    label = fields.String(required=True)


class InstrumentItemSchema(Schema):
    id = fields.String(required=True)
    position = fields.Integer(required=True)
    prompt = fields.String(required=True)
    loinc = fields.String(allow_none=True)
    safety_flag = fields.String(allow_none=True)
    options = fields.List(fields.Nested(AnswerOptionSchema), required=True)


class InstrumentSchema(Schema):
    id = fields.String(required=True)
    version = fields.String(required=True)
    versioned_id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    recall_period = fields.String(required=True)
    licence = fields.String(required=True)
    loinc = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), required=True)
    has_total = fields.Boolean(required=True)
    min_total = fields.Integer(allow_none=True)
    max_total = fields.Integer(allow_none=True)
    items = fields.List(fields.Nested(InstrumentItemSchema), required=True)
    bands = fields.List(fields.Dict(), required=True)
    clusters = fields.List(fields.Dict(), required=True)
    cutoffs = fields.List(fields.Dict(), required=True)


class BaselineShownSchema(Schema):
    instrument = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "marked, or the rule that chose it"})
    report = fields.Nested(SelfReportSchema, required=True)
