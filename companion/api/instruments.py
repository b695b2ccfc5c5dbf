"""Questionnaire definitions, so the app renders forms from the server."""

from flask.views import MethodView
from flask_smorest import Blueprint

from companion import instruments
from companion.auth.principal import current_principal, roles_required
from companion.errors import NotFound
from companion.models import Role
from companion.schemas.reports import InstrumentArgsSchema, InstrumentSchema
from companion.services import staff

blp = Blueprint("instruments", __name__, url_prefix="/v1/instruments", description="Questionnaires.")

READERS = (Role.PATIENT, Role.CLINICIAN, Role.ADMIN)


def _for_clinic(definition: instruments.Instrument, language: str | None) -> dict:
    """The definition with the clinic's wording for the language, where it has any."""
    clinic = staff.clinic_of(current_principal())
    overrides = (clinic.instrument_prompts or {}).get(language or "en", {}).get(definition.id, {})
    return instruments.to_dict(instruments.with_prompts(definition, overrides) if overrides else definition)


@blp.route("")
class Instruments(MethodView):
    @roles_required(*READERS)
    @blp.arguments(InstrumentArgsSchema, location="query")
    @blp.response(200, InstrumentSchema(many=True))
    def get(self, args):
        """Every questionnaire the app can show."""
        return [_for_clinic(d, args.get("lang")) for d in instruments.all_instruments()]


@blp.route("/<instrument_id>")
class InstrumentDetail(MethodView):
    @roles_required(*READERS)
    @blp.arguments(InstrumentArgsSchema, location="query")
    @blp.response(200, InstrumentSchema)
    def get(self, args, instrument_id: str):
        """One questionnaire: items, answer options, bands and LOINC codes."""
        try:
            definition = instruments.get(instrument_id)
        except instruments.UnknownInstrument as exc:
            raise NotFound(str(exc)) from exc
        return _for_clinic(definition, args.get("lang"))
