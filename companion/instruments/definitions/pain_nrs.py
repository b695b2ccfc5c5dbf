"""Pain numeric rating scale, 0 to 10: one question, the answer is the score."""

from __future__ import annotations

from companion.instruments.definitions.scales import numeric_scale
from companion.instruments.model import Band, Instrument, Item

PAIN_NRS = Instrument(
    id="pain_nrs",
    version="1",
    title="Pain rating",
    description=(
        "One question asking how strong your pain is, from 0 (none) to 10 (the worst you "
        "can imagine). Used to follow pain conditions treated with ketamine."
    ),
    recall_period="Right now",
    items=(
        Item(
            id="pain_nrs_1",
            position=1,
            prompt="How strong is your pain right now?",
            options=numeric_scale("No pain", "Worst pain you can imagine"),
            # The single answer is the reported value, so item and total share one code.
            loinc="72514-3",
        ),
    ),
    licence="Free to use.",
    bands=(
        Band("none", "None", 0, 0),
        Band("mild", "Mild", 1, 3),
        Band("moderate", "Moderate", 4, 6),
        Band("severe", "Severe", 7, 10),
    ),
    loinc_total="72514-3",
)
