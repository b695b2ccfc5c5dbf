"""Single appointments and the clinic's day list, for clinic staff."""

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import AppointmentStatus, Role
from companion.schemas.course import (
    AppointmentEventSchema,
    AppointmentSchema,
    DayArgsSchema,
    ReasonSchema,
    RescheduleSchema,
    SessionRecordSchema,
)
from companion.services import appointments, staff
from companion.services.appointment_view import present

blp = Blueprint("appointments", __name__, url_prefix="/v1", description="Infusion appointments.")

STAFF = (Role.CLINICIAN, Role.ADMIN)


def _one(appointment) -> dict:
    return present([appointment])[0]


@blp.route("/appointments/<uuid:appointment_id>")
class AppointmentDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, AppointmentSchema)
    def get(self, appointment_id: UUID):
        """Show one appointment with its checklist and session record."""
        return _one(appointments.for_staff(current_principal(), appointment_id, "appointment.read"))

    @roles_required(*STAFF)
    @blp.arguments(RescheduleSchema)
    @blp.response(200, AppointmentSchema)
    def patch(self, data, appointment_id: UUID):
        """Move an appointment to a new time; its reminders follow."""
        principal = current_principal()
        appointment = appointments.for_staff(principal, appointment_id, "appointment.reschedule")
        return _one(appointments.reschedule(principal, appointment, data["starts_at"], data.get("reason")))


@blp.route("/appointments/<uuid:appointment_id>/cancel")
class AppointmentCancel(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(ReasonSchema)
    @blp.response(200, AppointmentSchema)
    def post(self, data, appointment_id: UUID):
        """Cancel an appointment; its reminders are withdrawn."""
        principal = current_principal()
        appointment = appointments.for_staff(principal, appointment_id, "appointment.cancel")
        return _one(appointments.cancel(principal, appointment, data.get("reason")))


@blp.route("/appointments/<uuid:appointment_id>/complete")
class AppointmentComplete(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, AppointmentSchema)
    def post(self, appointment_id: UUID):
        """Mark an appointment that has started as completed."""
        principal = current_principal()
        appointment = appointments.for_staff(principal, appointment_id, "appointment.complete")
        return _one(appointments.close(principal, appointment, AppointmentStatus.COMPLETED))


@blp.route("/appointments/<uuid:appointment_id>/no-show")
class AppointmentNoShow(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, AppointmentSchema)
    def post(self, appointment_id: UUID):
        """Mark an appointment the patient did not attend."""
        principal = current_principal()
        appointment = appointments.for_staff(principal, appointment_id, "appointment.no_show")
        return _one(appointments.close(principal, appointment, AppointmentStatus.NO_SHOW))


@blp.route("/appointments/<uuid:appointment_id>/session-record")
class AppointmentSessionRecord(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(SessionRecordSchema)
    @blp.response(200, AppointmentSchema)
    def put(self, data, appointment_id: UUID):
        """Record what happened at the session: times, vitals, notes."""
        principal = current_principal()
        appointment = appointments.for_staff(principal, appointment_id, "appointment.record")
        appointments.record_session(principal, appointment, data)
        return _one(appointment)


@blp.route("/appointments/<uuid:appointment_id>/events")
class AppointmentEvents(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, AppointmentEventSchema(many=True))
    def get(self, appointment_id: UUID):
        """The appointment's history: every schedule, move, cancellation and outcome."""
        return appointments.events(appointments.for_staff(current_principal(), appointment_id, "appointment.events"))


@blp.route("/clinic/appointments")
class ClinicDay(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(DayArgsSchema, location="query")
    @blp.response(200, AppointmentSchema(many=True))
    def get(self, args):
        """The clinic's appointments on one calendar day, in the clinic's zone."""
        principal = current_principal()
        clinic = staff.clinic_of(principal)
        return present(appointments.clinic_day(principal, args["date"], clinic.timezone))
