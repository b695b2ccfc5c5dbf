"""Clinician summaries, the triage panel, charts and exports. Every read is audit-logged."""

import json
from uuid import UUID

from flask import Response, current_app, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import Role
from companion.schemas.summaries import PanelArgsSchema, PanelPageSchema, PatientSummarySchema, SummaryArgsSchema
from companion.services import chart, exports, fhir, panel, patients, summary

blp = Blueprint("summaries", __name__, url_prefix="/v1", description="Summaries, panel, charts and exports.")

STAFF = (Role.CLINICIAN, Role.ADMIN)
# Documents what these views return themselves as a Response (flask-smorest serialises nothing then).
TEXT = {"type": "string"}
FHIR_BUNDLE = {"type": "object", "description": "A FHIR R4 Bundle of type collection"}


def _csv(lines, filename: str) -> Response:
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blp.route("/patients/<uuid:patient_id>/summary")
class PatientSummary(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(SummaryArgsSchema, location="query")
    @blp.response(200, PatientSummarySchema)
    def get(self, args, patient_id: UUID):
        """A patient's course at a glance: outcomes, infusions, side effects, adherence and open alerts."""
        patient = patients.for_staff(current_principal(), patient_id, "summary.read")
        return summary.patient_summary(patient, **args)


@blp.route("/patients/<uuid:patient_id>/chart.svg")
class PatientChart(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, TEXT, content_type="image/svg+xml")
    def get(self, patient_id: UUID):
        """An SVG chart of the patient's scores across the course, with infusions and bands; no name in it."""
        patient = patients.for_staff(current_principal(), patient_id, "chart.read")
        return Response(chart.render(patient), mimetype="image/svg+xml")


@blp.route("/patients/<uuid:patient_id>/export.csv")
class PatientReportsCsv(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, TEXT, content_type="text/csv")
    def get(self, patient_id: UUID):
        """The patient's current self-reports as CSV, one row per report with every answer."""
        patient = patients.for_staff(current_principal(), patient_id, "report_export.read")
        return _csv(exports.patient_reports(patient), "reports.csv")


@blp.route("/patients/<uuid:patient_id>/side-effects.csv")
class PatientSideEffectsCsv(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, TEXT, content_type="text/csv")
    def get(self, patient_id: UUID):
        """The patient's side-effect log as CSV, one row per side effect."""
        patient = patients.for_staff(current_principal(), patient_id, "side_effect_export.read")
        return _csv(exports.patient_side_effects(patient), "side-effects.csv")


@blp.route("/patients/<uuid:patient_id>/fhir")
class PatientFhir(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, FHIR_BUNDLE, content_type="application/fhir+json")
    def get(self, patient_id: UUID):
        """The patient's self-reports as a FHIR R4 Bundle of QuestionnaireResponses and score Observations."""
        patient = patients.for_staff(current_principal(), patient_id, "fhir_export.read")
        return Response(json.dumps(fhir.bundle(patient)), mimetype="application/fhir+json")


@blp.route("/clinic/panel")
class ClinicPanel(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(PanelArgsSchema, location="query")
    @blp.response(200, PanelPageSchema)
    def get(self, args):
        """The triage list: open alerts first, then worsening PHQ-9, then overdue reports, then the rest."""
        items, total = panel.panel(current_principal(), **args)
        return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}


@blp.route("/clinic/research-export.csv")
class ResearchExport(MethodView):
    @roles_required(Role.ADMIN)
    @blp.response(200, TEXT, content_type="text/csv")
    def get(self):
        """Every current report of the clinic for research, patients replaced by stable pseudonyms."""
        lines = exports.research(current_principal(), current_app.config["SECRET_KEY"])
        return _csv(lines, "research-export.csv")
