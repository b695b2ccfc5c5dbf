"""A patient's treatment course and infusion schedule, for the clinic's staff."""

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import Role
from companion.schemas.course import (
    AppointmentCreateSchema,
    AppointmentSchema,
    CourseCreateSchema,
    CourseSchema,
    CourseUpdateSchema,
    SeriesCreateSchema,
    WhenArgsSchema,
)
from companion.schemas.reports import BaselineSchema, BaselineShownSchema
from companion.services import appointments, baselines, courses, patients
from companion.services.appointment_view import present

blp = Blueprint("courses", __name__, url_prefix="/v1/patients", description="Treatment courses and schedules.")

STAFF = (Role.CLINICIAN, Role.ADMIN)
_WHEN = {"upcoming": True, "past": False, "all": None}


@blp.route("/<uuid:patient_id>/courses")
class Courses(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, CourseSchema(many=True))
    def get(self, patient_id: UUID):
        """List the patient's courses, newest first."""
        return courses.for_patient(patients.for_staff(current_principal(), patient_id, "course.list"))

    @roles_required(*STAFF)
    @blp.arguments(CourseCreateSchema)
    @blp.response(201, CourseSchema)
    def post(self, data, patient_id: UUID):
        """Start a treatment course (one active course per patient)."""
        principal = current_principal()
        return courses.start(principal, patients.for_staff(principal, patient_id, "course.start"), data)


@blp.route("/<uuid:patient_id>/courses/<uuid:course_id>")
class CourseDetail(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(CourseUpdateSchema)
    @blp.response(200, CourseSchema)
    def patch(self, changes, patient_id: UUID, course_id: UUID):
        """Change the course's phase or induction plan."""
        principal = current_principal()
        patient = patients.for_staff(principal, patient_id, "course.update")
        return courses.update(principal, courses.get(patient, course_id), changes)


@blp.route("/<uuid:patient_id>/appointments")
class PatientAppointments(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(WhenArgsSchema, location="query")
    @blp.response(200, AppointmentSchema(many=True))
    def get(self, args, patient_id: UUID):
        """List the patient's appointments with checklist progress."""
        patient = patients.for_staff(current_principal(), patient_id, "appointment.list")
        found = appointments.of_patient(patient.id, upcoming=_WHEN[args["when"]])
        return present(found)

    @roles_required(*STAFF)
    @blp.arguments(AppointmentCreateSchema)
    @blp.response(201, AppointmentSchema)
    def post(self, data, patient_id: UUID):
        """Schedule one infusion in the patient's active course."""
        principal = current_principal()
        patient = patients.for_staff(principal, patient_id, "appointment.schedule")
        created = appointments.schedule(principal, patient, [data["starts_at"]], data.get("duration_minutes"))
        return present(created)[0]


@blp.route("/<uuid:patient_id>/appointments/series")
class AppointmentSeries(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(SeriesCreateSchema)
    @blp.response(201, AppointmentSchema(many=True))
    def post(self, data, patient_id: UUID):
        """Schedule a whole induction series in one call: all of it, or none if any time is refused."""
        principal = current_principal()
        patient = patients.for_staff(principal, patient_id, "appointment.schedule")
        return present(appointments.schedule(principal, patient, data["starts_at"], data.get("duration_minutes")))


@blp.route("/<uuid:patient_id>/courses/<uuid:course_id>/baselines")
class CourseBaselines(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, BaselineShownSchema(many=True))
    def get(self, patient_id: UUID, course_id: UUID):
        """The baseline report per questionnaire, and whether a clinician chose it."""
        patient = patients.for_staff(current_principal(), patient_id, "course.baselines")
        return baselines.baselines(courses.get(patient, course_id))

    @roles_required(*STAFF)
    @blp.arguments(BaselineSchema)
    @blp.response(200, BaselineShownSchema)
    def put(self, data, patient_id: UUID, course_id: UUID):
        """Choose which report is the baseline for a questionnaire, instead of the default rule."""
        principal = current_principal()
        patient = patients.for_staff(principal, patient_id, "course.baseline.mark")
        return baselines.mark(principal, courses.get(patient, course_id), data["instrument"], data["report_id"])
