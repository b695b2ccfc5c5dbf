"""The signed-in person: profile, settings, password, and a copy of everything held about them."""

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import Role
from companion.schemas.auth import PasswordChangeSchema
from companion.schemas.people import ExportSchema, MeSchema, MeUpdateSchema
from companion.services import patients, signin

blp = Blueprint("me", __name__, url_prefix="/v1/me", description="The signed-in person's own profile and data.")

ACCOUNT_ROLES = (Role.PATIENT, Role.CLINICIAN, Role.ADMIN)


def _me() -> dict:
    principal = current_principal()
    account = signin.account_of(principal.id)
    return {
        "id": account.id,
        "role": account.role.value,
        "email": account.email,
        "display_name": account.display_name,
        "clinic_id": account.clinic_id,
        "two_factor_enabled": account.two_factor_enabled,
        "patient": patients.own(principal) if principal.patient_id else None,
    }


@blp.route("")
class Me(MethodView):
    @roles_required(*ACCOUNT_ROLES)
    @blp.response(200, MeSchema)
    def get(self):
        """Show the signed-in account and, for a patient, their settings."""
        return _me()

    @roles_required(Role.PATIENT)
    @blp.arguments(MeUpdateSchema)
    @blp.response(200, MeSchema)
    def patch(self, changes):
        """Change your own settings: language, time zone, quiet hours, reminder kinds."""
        patients.update_profile(current_principal(), changes)
        return _me()


@blp.route("/password")
class Password(MethodView):
    @roles_required(*ACCOUNT_ROLES)
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    def post(self, data):
        """Change your password; your other signed-in devices are signed out."""
        signin.change_password(current_principal(), data["current_password"], data["new_password"])


@blp.route("/export")
class Export(MethodView):
    @roles_required(Role.PATIENT)
    @blp.response(200, ExportSchema)
    def get(self):
        """Download everything the service holds about you."""
        return patients.export(current_principal())
