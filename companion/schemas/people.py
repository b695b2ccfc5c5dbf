"""Patients, staff, service clients and the clinic: dump schemas and separate load schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from companion.models import Role, Symptom
from companion.scheduling.kinds import OPTIONAL_KINDS
from companion.schemas.audit import AccessLogEntrySchema
from companion.schemas.course import AppointmentSchema, CourseSchema
from companion.schemas.fields import (
    SUPPORTED_LANGUAGES,
    ClockTime,
    Email,
    Language,
    Name,
    PageArgsSchemaMixin,
    PageSchema,
    TimeZone,
)
from companion.schemas.reports import SelfReportSchema, SideEffectSchema


class PatientSchema(Schema):
    id = fields.UUID(required=True)
    full_name = fields.String(required=True)
    preferred_language = fields.String(required=True)
    timezone = fields.String(required=True)
    quiet_hours_start = ClockTime(required=True)
    quiet_hours_end = ClockTime(required=True)
    muted_nudge_kinds = fields.List(fields.String(), required=True)
    status = fields.Function(lambda p: p.account.status.value, metadata={"description": "invited, active, deactivated"})
    enrolled_at = fields.DateTime(attribute="created_at", required=True)


class PatientCreateSchema(Schema):
    full_name = Name(required=True)
    preferred_language = Language(load_default="en")
    timezone = TimeZone(required=True)
    email = Email(metadata={"description": "Optional: the patient can choose it when activating"})


class PatientQueryArgsSchema(PageArgsSchemaMixin, Schema):
    status = fields.String(validate=validate.OneOf(["invited", "active", "deactivated"]))
    search = fields.String(validate=validate.Length(min=1, max=100))


class ActivationCodeSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Shown once; give it to the invitee"})
    expires_at = fields.DateTime(required=True)


class EnrolledPatientSchema(Schema):
    patient = fields.Nested(PatientSchema, required=True)
    activation = fields.Nested(ActivationCodeSchema, required=True)


class PatientPageSchema(PageSchema):
    items = fields.List(fields.Nested(PatientSchema), required=True)


class MeSchema(Schema):
    id = fields.UUID(required=True)
    role = fields.String(required=True)
    email = fields.String(allow_none=True)
    display_name = fields.String(required=True)
    clinic_id = fields.UUID(required=True)
    two_factor_enabled = fields.Boolean(required=True)
    patient = fields.Nested(PatientSchema, allow_none=True)


class MeUpdateSchema(Schema):
    """What a patient may change about themselves; anything else (role, clinic, id) is refused."""

    preferred_language = Language()
    timezone = TimeZone()
    quiet_hours_start = ClockTime()
    quiet_hours_end = ClockTime()
    muted_nudge_kinds = fields.List(
        fields.String(validate=validate.OneOf(OPTIONAL_KINDS)),
        validate=validate.Length(max=len(OPTIONAL_KINDS)),
        metadata={"description": "Kinds of reminder to switch off; safety messages cannot be switched off"},
    )


class StaffSchema(Schema):
    id = fields.UUID(required=True)
    email = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    status = fields.String(required=True)
    two_factor_enabled = fields.Boolean(required=True)
    last_login_at = fields.DateTime(allow_none=True)


class StaffCreateSchema(Schema):
    email = Email(required=True)
    display_name = Name(required=True)
    role = fields.String(required=True, validate=validate.OneOf([Role.CLINICIAN.value, Role.ADMIN.value]))


class InvitedStaffSchema(Schema):
    staff = fields.Nested(StaffSchema, required=True)
    activation = fields.Nested(ActivationCodeSchema, required=True)


class ServiceClientSchema(Schema):
    id = fields.UUID(required=True)
    client_id = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    active = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)


class ServiceClientCreatedSchema(Schema):
    client = fields.Nested(ServiceClientSchema, required=True)
    client_secret = fields.String(required=True, metadata={"description": "Shown once; store it in the service"})


class ServiceClientCreateSchema(Schema):
    name = Name(required=True)


class CrisisResourceSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=120))
    phone = fields.String(
        validate=validate.Regexp(r"^\+?[0-9][0-9 ()-]{1,24}$", error="Use digits, spaces, +, ( ) or -.")
    )
    text = fields.String(validate=validate.Regexp(r"^\+?[0-9A-Za-z ]{2,24}$", error="Use the number or short code."))
    url = fields.Url(schemes={"https"}, validate=validate.Length(max=300))
    available = fields.String(validate=validate.Length(max=60))
    note = fields.String(validate=validate.Length(max=200))


class ChecklistExtraSchema(Schema):
    key = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[a-z0-9]+(?:_[a-z0-9]+)*$", error="Use lower-case words joined by _, e.g. bring_snack."
        ),
    )
    label = fields.String(required=True, validate=validate.Length(min=1, max=160))


class AlertRuleSchema(Schema):
    """Either {instrument, total_at_least} or {symptom, severity_at_least}."""

    instrument = fields.String(validate=validate.OneOf(["phq9", "gad7", "pcl5", "pain_nrs"]))
    total_at_least = fields.Integer(validate=validate.Range(min=1, max=80))
    symptom = fields.String(validate=validate.OneOf([s.value for s in Symptom]))
    severity_at_least = fields.Integer(validate=validate.Range(min=1, max=10))

    @validates_schema
    def _one_kind(self, data, **kwargs):
        on_score = {"instrument", "total_at_least"} <= data.keys()
        on_symptom = {"symptom", "severity_at_least"} <= data.keys()
        if on_score == on_symptom or len(data) != 2:
            raise ValidationError("Give instrument with total_at_least, or symptom with severity_at_least.")


class ClinicSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    timezone = fields.String(required=True)
    require_two_factor = fields.Boolean(required=True)
    fasting_solid_hours = fields.Integer(required=True)
    fasting_clear_liquid_hours = fields.Integer(required=True)
    crisis_resources = fields.List(fields.Nested(CrisisResourceSchema), required=True)
    checklist_items = fields.List(fields.Nested(ChecklistExtraSchema), required=True)
    checkin_offsets_hours = fields.List(fields.Integer(), required=True)
    remission_thresholds = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    alert_rules = fields.List(fields.Dict(), required=True)
    instrument_prompts = fields.Dict(required=True)


class ClinicUpdateSchema(Schema):
    name = Name()
    timezone = TimeZone()
    require_two_factor = fields.Boolean()
    fasting_solid_hours = fields.Integer(
        validate=validate.Range(min=0, max=12),
        metadata={"description": "Hours before the infusion without solid food"},
    )
    fasting_clear_liquid_hours = fields.Integer(
        validate=validate.Range(min=0, max=12), metadata={"description": "Hours before without clear liquids"}
    )
    crisis_resources = fields.List(
        fields.Nested(CrisisResourceSchema),
        validate=validate.Length(min=1, max=10, error="Keep between 1 and 10 crisis contacts."),
    )
    checklist_items = fields.List(
        fields.Nested(ChecklistExtraSchema),
        validate=validate.Length(max=10),
        metadata={"description": "Preparation items added to every appointment's checklist"},
    )
    checkin_offsets_hours = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=24 * 14)),
        validate=validate.Length(min=1, max=6),
        metadata={"description": "Hours after an infusion's start when post-infusion check-ins go out"},
    )
    remission_thresholds = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["phq9", "gad7", "pcl5", "pain_nrs", "madrs"])),
        values=fields.Integer(validate=validate.Range(min=1, max=80)),
        metadata={"description": "Remission is a total below this, per instrument (default PHQ-9 below 5)"},
    )
    alert_rules = fields.List(
        fields.Nested(AlertRuleSchema),
        validate=validate.Length(max=20),
        metadata={"description": "Extra alert rules, on a questionnaire total or a side effect's severity"},
    )
    instrument_prompts = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SUPPORTED_LANGUAGES)),
        values=fields.Dict(
            keys=fields.String(validate=validate.OneOf(["phq9", "gad7", "pcl5", "pain_nrs", "daily_checkin"])),
            values=fields.Dict(
                keys=fields.String(validate=validate.Length(max=40)),
                values=fields.String(validate=validate.Length(min=1, max=500)),
            ),
        ),
        metadata={"description": "Clinic wording per language and questionnaire item (licensed text or translations)"},
    )


class ExportAccountSchema(Schema):
    email = fields.String(allow_none=True)
    status = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    last_login_at = fields.DateTime(allow_none=True)


class ExportClinicSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class ExportAlertSchema(Schema):
    reason = fields.String(required=True)
    status = fields.String(required=True)
    raised_at = fields.DateTime(required=True)
    resolved_at = fields.DateTime(allow_none=True)


class ExportSchema(Schema):
    generated_at = fields.DateTime(required=True)
    account = fields.Nested(ExportAccountSchema, required=True)
    profile = fields.Nested(PatientSchema, required=True)
    clinic = fields.Nested(ExportClinicSchema, required=True)
    access_log = fields.List(fields.Nested(AccessLogEntrySchema), required=True)
    courses = fields.List(fields.Nested(CourseSchema), required=True)
    appointments = fields.List(fields.Nested(AppointmentSchema), required=True)
    self_reports = fields.List(fields.Nested(SelfReportSchema), required=True)
    side_effects = fields.List(fields.Nested(SideEffectSchema), required=True)
    alerts = fields.List(fields.Nested(ExportAlertSchema), required=True)
