"""Self-reports and side effects: patients submit and browse their own; staff read their clinic's."""

from dataclasses import asdict
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.api.idempotency import idempotent
from companion.auth.principal import current_principal, roles_required
from companion.errors import NotFound
from companion.extensions import db
from companion.models import Role, SelfReport
from companion.schemas.reports import (
    LoggedSideEffectSchema,
    ReportPageSchema,
    ReportQueryArgsSchema,
    SelfReportCreateSchema,
    SelfReportSchema,
    SideEffectCreateSchema,
    SideEffectPageSchema,
    SideEffectQueryArgsSchema,
    SideEffectResolveSchema,
    SideEffectSchema,
    SubmittedReportSchema,
)
from companion.services import patients, reports, side_effects

blp = Blueprint("reports", __name__, url_prefix="/v1", description="Self-reports and side effects.")

STAFF = (Role.CLINICIAN, Role.ADMIN)


def _page(items, total, args) -> dict:
    return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}


@blp.route("/me/reports")
class MyReports(MethodView):
    @roles_required(Role.PATIENT)
    @blp.arguments(ReportQueryArgsSchema, location="query")
    @blp.response(200, ReportPageSchema)
    def get(self, args):
        """Your reports, newest first (corrected ones hidden unless asked for)."""
        return _page(*reports.history(current_principal().patient_id, **args), args)

    @roles_required(Role.PATIENT)
    @idempotent
    @blp.arguments(SelfReportCreateSchema)
    @blp.response(201, SubmittedReportSchema)
    def post(self, data):
        """Submit a questionnaire; the server scores it and answers with safety guidance when needed."""
        submission = reports.submit(patients.own(current_principal()), data)
        return {
            "report": submission.report,
            "band_label": submission.score.band_label,
            "safety": asdict(submission.guidance) if submission.guidance else None,
        }


@blp.route("/me/reports/<uuid:report_id>")
class MyReport(MethodView):
    @roles_required(Role.PATIENT)
    @blp.response(200, SelfReportSchema)
    def get(self, report_id: UUID):
        """One of your reports."""
        report = db.session.get(SelfReport, report_id)
        if report is None or report.patient_id != current_principal().patient_id:
            raise NotFound("You have no report with this id.")
        return report


@blp.route("/me/side-effects")
class MySideEffects(MethodView):
    @roles_required(Role.PATIENT)
    @blp.arguments(SideEffectQueryArgsSchema, location="query")
    @blp.response(200, SideEffectPageSchema)
    def get(self, args):
        """Your side-effect log, newest onset first."""
        return _page(*side_effects.history(current_principal().patient_id, **args), args)

    @roles_required(Role.PATIENT)
    @idempotent
    @blp.arguments(SideEffectCreateSchema)
    @blp.response(201, LoggedSideEffectSchema)
    def post(self, data):
        """Log a side effect; severe ones alert the clinic and answer with safety guidance."""
        logged = side_effects.log(patients.own(current_principal()), data)
        return {"side_effect": logged.side_effect, "safety": asdict(logged.guidance) if logged.guidance else None}


@blp.route("/me/side-effects/<uuid:effect_id>/resolve")
class MySideEffectResolve(MethodView):
    @roles_required(Role.PATIENT)
    @blp.arguments(SideEffectResolveSchema)
    @blp.response(200, SideEffectSchema)
    def post(self, data, effect_id: UUID):
        """Mark an ongoing side effect as over (repeating it with the same time is harmless)."""
        return side_effects.resolve(patients.own(current_principal()), effect_id, data["resolved_at"])


@blp.route("/patients/<uuid:patient_id>/reports")
class PatientReports(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(ReportQueryArgsSchema, location="query")
    @blp.response(200, ReportPageSchema)
    def get(self, args, patient_id: UUID):
        """A patient's reports, newest first."""
        patient = patients.for_staff(current_principal(), patient_id, "report.list")
        return _page(*reports.history(patient.id, **args), args)


@blp.route("/patients/<uuid:patient_id>/side-effects")
class PatientSideEffects(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(SideEffectQueryArgsSchema, location="query")
    @blp.response(200, SideEffectPageSchema)
    def get(self, args, patient_id: UUID):
        """A patient's side-effect log, newest onset first."""
        patient = patients.for_staff(current_principal(), patient_id, "side_effect.list")
        return _page(*side_effects.history(patient.id, **args), args)
