"""GAD-7, anxiety over the last two weeks."""

from __future__ import annotations

from companion.instruments.definitions.scales import TWO_WEEK_FREQUENCY, numbered_items
from companion.instruments.model import Band, Instrument

# The project's own short paraphrases; a clinic may swap in licensed wording (with_prompts).
_PROMPTS = (
    "Feeling tense, jittery or uneasy",
    "Worry that you cannot switch off or rein in",
    "Worrying a lot about many different matters",
    "Finding it hard to unwind",
    "So restless that keeping still is difficult",
    "Getting irritated or short-tempered quickly",
    "A sense of dread, as if something terrible could happen",
)

GAD7 = Instrument(
    id="gad7",
    version="1",
    title="GAD-7 anxiety questionnaire",
    description=(
        "Seven questions on how often worry and nervousness have troubled you. "
        "Adding the answers gives a score from 0 to 21; a higher score means more "
        "anxiety symptoms."
    ),
    recall_period="Over the last 2 weeks",
    items=numbered_items("gad7", _PROMPTS, TWO_WEEK_FREQUENCY),
    licence="Free to use. Prompts are the project's own paraphrases, not the official wording.",
    bands=(
        Band("minimal", "Minimal", 0, 4),
        Band("mild", "Mild", 5, 9),
        Band("moderate", "Moderate", 10, 14),
        Band("severe", "Severe", 15, 21),
    ),
    loinc_panel="69737-5",
    loinc_total="70274-6",
)
