"""PCL-5, post-traumatic stress symptoms over the past month.

No official severity bands exist, so none are invented here; the total, the four DSM-5
cluster sums and a provisional-PTSD flag at a clinic-configurable cut-off are reported.
LOINC codes are left empty until someone checks them against LOINC itself.
"""

from __future__ import annotations

from companion.instruments.definitions.scales import HOW_MUCH_BOTHERED, numbered_items
from companion.instruments.model import Cluster, Cutoff, Instrument

PROVISIONAL_PTSD_FLAG = "provisional_ptsd"

# The project's own short paraphrases; a clinic may swap in official wording (with_prompts).
_PROMPTS = (
    "Unwanted, upsetting memories of the event coming back",
    "Distressing dreams about the event",
    "Moments of feeling or acting as though the event were happening again",
    "Strong upset when something brought the event to mind",
    "Strong bodily reactions to reminders of the event, such as a racing heart or sweating",
    "Trying not to have memories, thoughts or feelings about the event",
    "Staying away from people, places or activities that remind you of the event",
    "Gaps in your memory of important parts of the event",
    "Harsh beliefs about yourself, other people or the world",
    "Blaming yourself or someone else for the event or what followed it",
    "Lasting strong feelings such as fear, anger, guilt or shame",
    "Less interest in activities you once liked",
    "Feeling cut off or distant from other people",
    "Finding it hard to feel good emotions, like joy or warmth towards people close to you",
    "Being irritable, or flaring up in anger",
    "Taking risks or acting in ways that could hurt you",
    "Staying on guard, watching for danger",
    "Startling easily or feeling jumpy",
    "Trouble keeping your focus",
    "Trouble getting to sleep or staying asleep",
)


def _positions(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"pcl5_{position}" for position in range(first, last + 1))


PCL5 = Instrument(
    id="pcl5",
    version="1",
    title="PCL-5 post-traumatic stress checklist",
    description=(
        "Twenty questions on how much reactions to a very stressful event have bothered "
        "you. Adding the answers gives a score from 0 to 80; a higher score means more "
        "post-traumatic stress symptoms."
    ),
    recall_period="In the past month",
    items=numbered_items("pcl5", _PROMPTS, HOW_MUCH_BOTHERED),
    licence="Public domain. Prompts are the project's own paraphrases, not the official wording.",
    clusters=(
        Cluster("B", "Intrusion", _positions(1, 5)),
        Cluster("C", "Avoidance", _positions(6, 7)),
        Cluster("D", "Negative changes in thinking and mood", _positions(8, 14)),
        Cluster("E", "Changes in arousal and reactivity", _positions(15, 20)),
    ),
    # Published cut-offs range from 31 to 33; 33 is the default and clinics may lower it.
    cutoffs=(Cutoff(PROVISIONAL_PTSD_FLAG, "Provisional PTSD", 33),),
)
