"""The clinic's patients, for its clinicians and admins. Every read is audit-logged."""

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import Role
from companion.schemas.people import (
    ActivationCodeSchema,
    EnrolledPatientSchema,
    PatientCreateSchema,
    PatientPageSchema,
    PatientQueryArgsSchema,
    PatientSchema,
)
from companion.services import enrollment, patients

blp = Blueprint("patients", __name__, url_prefix="/v1/patients", description="Enroll and look up patients.")

STAFF = (Role.CLINICIAN, Role.ADMIN)


@blp.route("")
class Patients(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(PatientQueryArgsSchema, location="query")
    @blp.response(200, PatientPageSchema)
    def get(self, args):
        """List the clinic's patients, by name."""
        items, total = patients.list_for_clinic(
            current_principal(),
            status=args.get("status"),
            search=args.get("search"),
            page=args["page"],
            per_page=args["per_page"],
        )
        return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}

    @roles_required(*STAFF)
    @blp.arguments(PatientCreateSchema)
    @blp.response(201, EnrolledPatientSchema)
    def post(self, data):
        """Enroll a patient; the answer carries the one-time activation code to give them."""
        patient, invitation = enrollment.enroll_patient(current_principal(), data)
        return {"patient": patient, "activation": invitation}


@blp.route("/<uuid:patient_id>")
class PatientDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, PatientSchema)
    def get(self, patient_id: UUID):
        """Show one patient of the clinic."""
        return patients.for_staff(current_principal(), patient_id, "patient.read")


@blp.route("/<uuid:patient_id>/activation-code")
class PatientActivationCode(MethodView):
    @roles_required(*STAFF)
    @blp.response(201, ActivationCodeSchema)
    def post(self, patient_id: UUID):
        """Issue a new activation code for a patient who has not activated yet."""
        principal = current_principal()
        patient = patients.for_staff(principal, patient_id, "patient.activation_code.reissue")
        return enrollment.reissue_patient_code(principal, patient)
