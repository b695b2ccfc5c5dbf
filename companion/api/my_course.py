"""A patient's own appointments, preparation checklists and calendar subscription."""

from uuid import UUID

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.errors import NotFound
from companion.extensions import db
from companion.models import Appointment, Clinic, Role
from companion.schemas.course import CalendarLinkSchema, PatientAppointmentSchema, WhenArgsSchema
from companion.services import appointments, calendar, checklists, patients
from companion.services.appointment_view import present

blp = Blueprint("my_course", __name__, url_prefix="/v1", description="My appointments and preparation.")

_WHEN = {"upcoming": True, "past": False, "all": None}


def _my_appointment(appointment_id: UUID) -> Appointment:
    principal = current_principal()
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.patient_id != principal.patient_id:
        raise NotFound("You have no appointment with this id.")
    return appointment


@blp.route("/me/appointments")
class MyAppointments(MethodView):
    @roles_required(Role.PATIENT)
    @blp.arguments(WhenArgsSchema, location="query")
    @blp.response(200, PatientAppointmentSchema(many=True))
    def get(self, args):
        """Your appointments with local times and preparation checklists."""
        return present(appointments.of_patient(current_principal().patient_id, upcoming=_WHEN[args["when"]]))


@blp.route("/me/appointments/<uuid:appointment_id>/checklist/<item_key>")
class MyChecklistItem(MethodView):
    @roles_required(Role.PATIENT)
    @blp.response(200, PatientAppointmentSchema)
    def put(self, appointment_id: UUID, item_key: str):
        """Tick a preparation item (ticking twice is harmless)."""
        appointment = _my_appointment(appointment_id)
        checklists.set_tick(appointment, db.session.get(Clinic, appointment.clinic_id), item_key, True)
        return present([appointment])[0]

    @roles_required(Role.PATIENT)
    @blp.response(200, PatientAppointmentSchema)
    def delete(self, appointment_id: UUID, item_key: str):
        """Untick a preparation item."""
        appointment = _my_appointment(appointment_id)
        checklists.set_tick(appointment, db.session.get(Clinic, appointment.clinic_id), item_key, False)
        return present([appointment])[0]


@blp.route("/me/calendar")
class MyCalendar(MethodView):
    @roles_required(Role.PATIENT)
    @blp.response(201, CalendarLinkSchema)
    def post(self):
        """Get a new secret calendar URL for your appointments; any earlier URL stops working."""
        token = calendar.issue(patients.own(current_principal()))
        return {"url": url_for("my_course.CalendarFeed", token=token, _external=True)}


@blp.route("/calendar/<token>.ics")
class CalendarFeed(MethodView):
    @blp.response(200, content_type="text/calendar")
    @blp.doc(security=[])
    def get(self, token: str):
        """The calendar feed itself; the secret in the URL is its only key, so keep it private."""
        return Response(calendar.render(token), mimetype="text/calendar", headers={"Cache-Control": "no-store"})
