"""Operational endpoints for load balancers and monitoring; they hold no patient data."""

from flask.views import MethodView
from flask_smorest import Blueprint

from companion.observability import metrics_response
from companion.schemas.ops import HealthSchema, ReadinessSchema
from companion.services import readiness

blp = Blueprint("ops", __name__, description="Liveness, readiness and metrics.")


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self):
        """Report that the process is up."""
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, schema=ReadinessSchema, description="A dependency is not ready.")
    def get(self):
        """Report whether the database is reachable and migrated to the latest revision."""
        report = readiness.check()
        return report, (200 if report["status"] == "ready" else 503)


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.response(200, content_type="text/plain; version=0.0.4")
    def get(self):
        """Expose request counts and latencies in Prometheus text format."""
        return metrics_response()
