"""The audit trail of patient-data access, for clinic admins."""

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.models import Role
from companion.schemas.audit import AuditPageSchema, AuditQueryArgsSchema
from companion.services import audit

blp = Blueprint("audit", __name__, url_prefix="/v1/audit-events", description="Who read or changed patient data.")


@blp.route("")
class AuditEvents(MethodView):
    @roles_required(Role.ADMIN)
    @blp.arguments(AuditQueryArgsSchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, args):
        """List the clinic's audit events, newest first."""
        items, total = audit.list_events(current_principal().clinic_id, **args)
        return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}
