"""Replace item wording without touching anything that scoring reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from companion.instruments.model import Instrument
from companion.instruments.registry import resolve


def with_prompts(instrument: Instrument | str, overrides: Mapping[str, str]) -> Instrument:
    """A copy whose named items carry a clinic's text: licensed official wording or a translation.

    Ids, version, options and bands are kept, so scores from either copy are identical
    and comparable. An override for an item that does not exist is refused, because a
    typo in clinic settings would otherwise leave the default wording in place unnoticed.
    """
    definition = resolve(instrument)
    unknown = sorted(set(overrides) - set(definition.item_ids))
    if unknown:
        raise ValueError(f"{definition.id} has no item {', '.join(unknown)}")
    items = tuple(replace(item, prompt=overrides.get(item.id, item.prompt)) for item in definition.items)
    return replace(definition, items=items)
