"""Daily check-in: mood and energy, 0 to 10 each, the project's own quick questions.

There is deliberately no total: adding mood to energy would let a fall in one hide
behind a rise in the other. Both values are reported in ``Score.item_scores``.
"""

from __future__ import annotations

from companion.instruments.definitions.scales import numeric_scale
from companion.instruments.model import Instrument, Item

DAILY_CHECKIN = Instrument(
    id="daily_checkin",
    version="1",
    title="Daily check-in",
    description=(
        "Two quick questions on your mood and your energy today, each from 0 to 10. "
        "They show day-to-day change between infusions; they are not a diagnosis."
    ),
    recall_period="Today",
    items=(
        Item(
            id="daily_checkin_mood",
            position=1,
            prompt="How is your mood today?",
            options=numeric_scale("Very low", "Very good"),
        ),
        Item(
            id="daily_checkin_energy",
            position=2,
            prompt="How much energy do you have today?",
            options=numeric_scale("None at all", "Plenty"),
        ),
    ),
    licence="The project's own questions; no licence needed.",
    has_total=False,
)
