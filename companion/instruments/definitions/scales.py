"""Response scales and item builders shared by the definitions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from companion.instruments.model import AnswerOption, Item


def labelled_scale(*labels: str) -> tuple[AnswerOption, ...]:
    return tuple(AnswerOption(value, label) for value, label in enumerate(labels))


def numeric_scale(low_anchor: str, high_anchor: str, top: int = 10) -> tuple[AnswerOption, ...]:
    """0..top where only the ends carry words; the points between are shown as numbers."""
    labels = [str(value) for value in range(top + 1)]
    labels[0], labels[top] = low_anchor, high_anchor
    return labelled_scale(*labels)


# Standard response scales (not item wording), free to reproduce.
TWO_WEEK_FREQUENCY = labelled_scale("Not at all", "Several days", "More than half the days", "Nearly every day")
HOW_MUCH_BOTHERED = labelled_scale("Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely")


def numbered_items(
    instrument_id: str,
    prompts: Sequence[str],
    options: tuple[AnswerOption, ...],
    *,
    loinc: Mapping[int, str] | None = None,
    safety_flags: Mapping[int, str] | None = None,
) -> tuple[Item, ...]:
    """Items ``<instrument_id>_1`` onwards, one per prompt; mappings are keyed by position."""
    loinc = loinc or {}
    safety_flags = safety_flags or {}
    return tuple(
        Item(
            id=f"{instrument_id}_{position}",
            position=position,
            prompt=prompt,
            options=options,
            loinc=loinc.get(position),
            safety_flag=safety_flags.get(position),
        )
        for position, prompt in enumerate(prompts, start=1)
    )
