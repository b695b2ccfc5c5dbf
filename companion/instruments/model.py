"""What a questionnaire is: items, answer options, severity bands, clusters and cut-offs.

Definitions are frozen so one loaded instrument can be shared by every request, and
they check themselves when built: a slip in a band table then fails at import time
instead of quietly putting a patient in the wrong band.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerOption:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    position: int
    prompt: str
    options: tuple[AnswerOption, ...]
    loinc: str | None = None
    # Any answer above the lowest option raises this flag and a safety event, whatever the
    # total: a single item can need follow-up that a low sum would hide.
    safety_flag: str | None = None

    @property
    def min_value(self) -> int:
        return self.options[0].value

    @property
    def max_value(self) -> int:
        return self.options[-1].value


@dataclass(frozen=True)
class Band:
    id: str
    label: str
    low: int
    high: int  # inclusive, as severity tables are published

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True)
class Cluster:
    id: str
    label: str
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class Cutoff:
    """A flag raised when the total reaches ``at_least``; the default a clinic may override."""

    flag: str
    label: str
    at_least: int


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    description: str
    recall_period: str
    items: tuple[Item, ...]
    licence: str
    # False where adding items up means nothing (mood and energy are separate readings).
    has_total: bool = True
    bands: tuple[Band, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    cutoffs: tuple[Cutoff, ...] = ()
    loinc_panel: str | None = None
    loinc_total: str | None = None

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValueError(f"instrument {self.id!r}: " + "; ".join(problems))

    @property
    def versioned_id(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @property
    def min_total(self) -> int | None:
        return sum(item.min_value for item in self.items) if self.has_total else None

    @property
    def max_total(self) -> int | None:
        return sum(item.max_value for item in self.items) if self.has_total else None

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def _problems(instrument: Instrument) -> list[str]:
    problems = _item_problems(instrument)
    if problems:
        # Totals, bands and clusters are meaningless until the items themselves are sound.
        return problems
    known = set(instrument.item_ids)
    for cluster in instrument.clusters:
        missing = [item_id for item_id in cluster.item_ids if item_id not in known]
        if missing:
            problems.append(f"cluster {cluster.id} names unknown items {missing}")
    problems.extend(_band_problems(instrument))
    for cutoff in instrument.cutoffs:
        if not instrument.has_total:
            problems.append(f"cut-off {cutoff.flag} needs a total")
        elif not instrument.min_total <= cutoff.at_least <= instrument.max_total:  # type: ignore[operator]
            problems.append(f"cut-off {cutoff.flag} lies outside the possible totals")
    return problems


def _item_problems(instrument: Instrument) -> list[str]:
    if not instrument.items:
        return ["has no items"]
    problems = []
    ids = instrument.item_ids
    if len(set(ids)) != len(ids):
        problems.append("item ids repeat")
    for position, item in enumerate(instrument.items, start=1):
        if item.position != position:
            problems.append(f"{item.id} is at position {position}, says {item.position}")
        if not item.id.startswith(f"{instrument.id}_"):
            # Answers may be stored side by side; the prefix keeps item ids from colliding.
            problems.append(f"{item.id} must start with {instrument.id}_")
        if not isinstance(item.prompt, str) or not item.prompt.strip():
            problems.append(f"{item.id} has no prompt")
        values = [option.value for option in item.options]
        # Validation messages say "between low and high", which is only true without gaps.
        if not values or values != list(range(values[0], values[0] + len(values))):
            problems.append(f"{item.id} options must be consecutive whole numbers")
    return problems


def _band_problems(instrument: Instrument) -> list[str]:
    if not instrument.bands:
        return []
    if not instrument.has_total:
        return ["bands need a total"]
    expected_low = instrument.min_total
    for band in instrument.bands:
        if band.low != expected_low or band.high < band.low:
            return [f"band {band.id} leaves a gap or overlaps"]
        expected_low = band.high + 1
    if expected_low - 1 != instrument.max_total:
        return ["bands do not reach the highest total"]
    return []
