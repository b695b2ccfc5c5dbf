"""PHQ-9, depression over the last two weeks: the headline outcome for ketamine courses."""

from __future__ import annotations

from companion.instruments.definitions.scales import TWO_WEEK_FREQUENCY, numbered_items
from companion.instruments.model import Band, Instrument

SUICIDALITY_FLAG = "suicidality_item_positive"

# The project's own short paraphrases; a clinic may swap in licensed wording (with_prompts).
_PROMPTS = (
    "Not enjoying or caring about your usual activities",
    "Low mood, sadness or a sense of hopelessness",
    "Sleeping badly, or sleeping far more than usual",
    "Running low on energy, or tiring quickly",
    "Appetite much smaller or much bigger than usual",
    "Harsh thoughts about yourself, or a sense of having let people down",
    "Difficulty keeping your mind on a task, like reading or watching a show",
    "Being noticeably slowed down, or so restless it is hard to stay still",
    "Wishing you were dead, or thinking about harming yourself",
)

PHQ9 = Instrument(
    id="phq9",
    version="1",
    title="PHQ-9 depression questionnaire",
    description=(
        "Nine questions on how often common signs of depression have troubled you. "
        "Adding the answers gives a score from 0 to 27; a higher score means more "
        "depressive symptoms. Used to follow how your mood changes over treatment."
    ),
    recall_period="Over the last 2 weeks",
    items=numbered_items(
        "phq9",
        _PROMPTS,
        TWO_WEEK_FREQUENCY,
        loinc={9: "44260-8"},
        # Item 9 needs follow-up at any answer above 0, even when the total is low.
        safety_flags={9: SUICIDALITY_FLAG},
    ),
    licence="Free to use. Prompts are the project's own paraphrases, not the official wording.",
    bands=(
        Band("minimal", "Minimal", 0, 4),
        Band("mild", "Mild", 5, 9),
        Band("moderate", "Moderate", 10, 14),
        Band("moderately_severe", "Moderately severe", 15, 19),
        Band("severe", "Severe", 20, 27),
    ),
    loinc_panel="44249-1",
    loinc_total="44261-6",
)
