"""Validate answers and score them: pure functions of a definition and a mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from companion.instruments.errors import AnswerError
from companion.instruments.model import Instrument, Item
from companion.instruments.registry import resolve


@dataclass(frozen=True)
class Score:
    instrument_id: str
    version: str
    total: int | None
    band: str | None
    band_label: str | None
    cluster_scores: dict[str, int] = field(default_factory=dict, hash=False)
    flags: tuple[str, ...] = ()
    safety_event: bool = False
    item_scores: dict[str, int] = field(default_factory=dict, hash=False)
    # The cut-offs actually applied, so a stored score shows which rule raised its flags.
    cutoffs: dict[str, int] = field(default_factory=dict, hash=False)

    @property
    def versioned_id(self) -> str:
        return f"{self.instrument_id}@{self.version}"


def validate_answers(instrument: Instrument | str, answers: object) -> dict[str, int]:
    """The answers as ``{item id: value}`` in item order, or AnswerError naming every problem."""
    definition = resolve(instrument)
    if not isinstance(answers, Mapping):
        raise AnswerError({"answers": ["must be a mapping of item id to answer"]})
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for item in definition.items:
        if item.id not in answers:
            errors[item.id] = ["answer required"]
            continue
        problem = _value_problem(item, answers[item.id])
        if problem:
            errors[item.id] = [problem]
        else:
            clean[item.id] = answers[item.id]
    known = set(definition.item_ids)
    for key in answers:
        if key not in known:
            errors[str(key)] = ["unknown item"]
    if errors:
        raise AnswerError(errors)
    return clean


def score(
    instrument: Instrument | str,
    answers: Mapping[str, object],
    *,
    cutoffs: Mapping[str, int] | None = None,
) -> Score:
    """Score one completed questionnaire; ``cutoffs`` overrides default cut-offs by flag name."""
    definition = resolve(instrument)
    values = validate_answers(definition, answers)
    applied = _applied_cutoffs(definition, cutoffs or {})
    total = sum(values.values()) if definition.has_total else None
    band = next((b for b in definition.bands if total is not None and b.contains(total)), None)
    safety_flags = [
        item.safety_flag for item in definition.items if item.safety_flag and values[item.id] > item.min_value
    ]
    cutoff_flags = [c.flag for c in definition.cutoffs if total is not None and total >= applied[c.flag]]
    return Score(
        instrument_id=definition.id,
        version=definition.version,
        total=total,
        band=band.id if band else None,
        band_label=band.label if band else None,
        cluster_scores={c.id: sum(values[i] for i in c.item_ids) for c in definition.clusters},
        flags=(*safety_flags, *cutoff_flags),
        safety_event=bool(safety_flags),
        item_scores=values,
        cutoffs=applied,
    )


def _value_problem(item: Item, value: object) -> str | None:
    # bool is an int subclass, and True must not pass for 1 on a clinical scale.
    if not isinstance(value, int) or isinstance(value, bool):
        return "must be a whole number"
    if not item.min_value <= value <= item.max_value:
        return f"must be between {item.min_value} and {item.max_value}"
    return None


def _applied_cutoffs(definition: Instrument, overrides: Mapping[str, int]) -> dict[str, int]:
    # Overrides come from clinic settings, not patients: a bad one is a configuration
    # error (ValueError), never silently ignored.
    defaults = {cutoff.flag: cutoff.at_least for cutoff in definition.cutoffs}
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        raise ValueError(f"{definition.id} has no cut-off named {', '.join(unknown)}")
    for flag, at_least in overrides.items():
        if not isinstance(at_least, int) or isinstance(at_least, bool):
            raise ValueError(f"cut-off {flag} must be a whole number")
        if not definition.min_total <= at_least <= definition.max_total:  # type: ignore[operator]
            raise ValueError(f"cut-off {flag} must be between {definition.min_total} and {definition.max_total}")
    return {**defaults, **overrides}
