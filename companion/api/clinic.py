"""The caller's clinic and its settings."""

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import Role
from companion.schemas.people import ClinicSchema, ClinicUpdateSchema
from companion.services import staff

blp = Blueprint("clinic", __name__, url_prefix="/v1/clinic", description="Clinic settings.")


@blp.route("")
class ClinicSettings(MethodView):
    @roles_required(Role.CLINICIAN, Role.ADMIN)
    @blp.response(200, ClinicSchema)
    def get(self):
        """Show the clinic's settings."""
        return staff.clinic_of(current_principal())

    @roles_required(Role.ADMIN)
    @blp.arguments(ClinicUpdateSchema)
    @blp.response(200, ClinicSchema)
    def patch(self, changes):
        """Change the clinic's settings."""
        return staff.update_clinic(current_principal(), changes)
