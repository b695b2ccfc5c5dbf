"""Clinician summaries, the triage panel, charts and exports (being built)."""

from flask_smorest import Blueprint

blp = Blueprint("summaries", __name__, url_prefix="/v1", description="Summaries, panel, charts and exports.")
