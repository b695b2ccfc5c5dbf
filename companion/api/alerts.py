"""Safety alerts for clinic staff: list, acknowledge, resolve with a note."""

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.extensions import db
from companion.models import Patient, Role
from companion.schemas.reports import AlertPageSchema, AlertQueryArgsSchema, AlertResolveSchema, AlertSchema
from companion.services import alerts

blp = Blueprint("alerts", __name__, url_prefix="/v1/alerts", description="Safety alerts.")

STAFF = (Role.CLINICIAN, Role.ADMIN)


def _shown(alert, name: str | None = None) -> dict:
    name = name or db.session.get(Patient, alert.patient_id).full_name
    return {**{c: getattr(alert, c) for c in AlertSchema().fields if c != "patient_name"}, "patient_name": name}


@blp.route("")
class Alerts(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(AlertQueryArgsSchema, location="query")
    @blp.response(200, AlertPageSchema)
    def get(self, args):
        """The clinic's alerts: open first, newest first."""
        rows, total = alerts.list_for_clinic(current_principal(), **args)
        return {
            "items": [_shown(a, n) for a, n in rows],
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }


@blp.route("/<uuid:alert_id>/acknowledge")
class AlertAcknowledge(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, AlertSchema)
    def post(self, alert_id: UUID):
        """Say you have seen the alert and are on it."""
        return _shown(alerts.acknowledge(current_principal(), alert_id))


@blp.route("/<uuid:alert_id>/resolve")
class AlertResolve(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(AlertResolveSchema)
    @blp.response(200, AlertSchema)
    def post(self, data, alert_id: UUID):
        """Close the alert with a note on what was done."""
        return _shown(alerts.resolve(current_principal(), alert_id, data["note"]))
