"""Clinic administration: staff accounts and machine clients (admins only)."""

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import Role
from companion.schemas.people import (
    InvitedStaffSchema,
    ServiceClientCreatedSchema,
    ServiceClientCreateSchema,
    ServiceClientSchema,
    StaffCreateSchema,
    StaffSchema,
)
from companion.services import enrollment, staff

blp = Blueprint("staff", __name__, url_prefix="/v1", description="Staff accounts and service clients.")


@blp.route("/staff")
class StaffList(MethodView):
    @roles_required(Role.ADMIN)
    @blp.response(200, StaffSchema(many=True))
    def get(self):
        """List the clinic's clinicians and admins."""
        return staff.list_staff(current_principal())

    @roles_required(Role.ADMIN)
    @blp.arguments(StaffCreateSchema)
    @blp.response(201, InvitedStaffSchema)
    def post(self, data):
        """Invite a clinician or admin; the answer carries their one-time activation code."""
        invitation = enrollment.invite_staff(current_principal(), data)
        return {"staff": invitation.account, "activation": invitation}


@blp.route("/staff/<uuid:account_id>/deactivate")
class StaffDeactivate(MethodView):
    @roles_required(Role.ADMIN)
    @blp.response(200, StaffSchema)
    def post(self, account_id: UUID):
        """Deactivate a staff account; its sessions end at once."""
        return staff.deactivate_staff(current_principal(), account_id)


@blp.route("/service-clients")
class ServiceClients(MethodView):
    @roles_required(Role.ADMIN)
    @blp.response(200, ServiceClientSchema(many=True))
    def get(self):
        """List the clinic's machine clients."""
        return staff.list_service_clients(current_principal())

    @roles_required(Role.ADMIN)
    @blp.arguments(ServiceClientCreateSchema)
    @blp.response(201, ServiceClientCreatedSchema)
    def post(self, data):
        """Create a push-service client; the secret is shown only in this answer."""
        client, secret = staff.create_service_client(current_principal(), data["name"])
        return {"client": client, "client_secret": secret}


@blp.route("/service-clients/<uuid:service_client_id>/deactivate")
class ServiceClientDeactivate(MethodView):
    @roles_required(Role.ADMIN)
    @blp.response(200, ServiceClientSchema)
    def post(self, service_client_id: UUID):
        """Deactivate a machine client (by its id, not its public client_id); its tokens stop at once."""
        return staff.deactivate_service_client(current_principal(), service_client_id)
