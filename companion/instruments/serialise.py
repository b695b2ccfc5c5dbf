"""A definition as plain dicts and lists, for the app to render the form."""

from __future__ import annotations

from typing import Any

from companion.instruments.model import Instrument, Item
from companion.instruments.registry import resolve


def to_dict(instrument: Instrument | str) -> dict[str, Any]:
    definition = resolve(instrument)
    return {
        "id": definition.id,
        "version": definition.version,
        "versioned_id": definition.versioned_id,
        "title": definition.title,
        "description": definition.description,
        "recall_period": definition.recall_period,
        "licence": definition.licence,
        "loinc": {"panel": definition.loinc_panel, "total": definition.loinc_total},
        "has_total": definition.has_total,
        "min_total": definition.min_total,
        "max_total": definition.max_total,
        "items": [_item_dict(item) for item in definition.items],
        "bands": [{"id": band.id, "label": band.label, "min": band.low, "max": band.high} for band in definition.bands],
        "clusters": [
            {"id": cluster.id, "label": cluster.label, "items": list(cluster.item_ids)}
            for cluster in definition.clusters
        ],
        "cutoffs": [
            {"flag": cutoff.flag, "label": cutoff.label, "at_least": cutoff.at_least} for cutoff in definition.cutoffs
        ],
    }


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": item.position,
        "prompt": item.prompt,
        "loinc": item.loinc,
        "safety_flag": item.safety_flag,
        "options": [{"value": option.value, "label": option.label} for option in item.options],
    }
