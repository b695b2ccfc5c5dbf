"""Baseline, latest score, change, response and remission per instrument, each stamped with its rule.

Self-reports and clinician ratings (MADRS) are treated alike: a total at an instant. A figure that
needs a baseline or a score after it is left empty, and the gap is named, when either is missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from companion import instruments
from companion.instruments.outcomes import DEFAULT_REMISSION_THRESHOLDS
from companion.models import ClinicianRating, SelfReport
from companion.services.baselines import RULE as BASELINE_RULE
from companion.services.baselines import Baseline

# Always shown, so that a patient with no PHQ-9 at all is flagged rather than quietly skipped.
HEADLINE = "phq9"


@dataclass(frozen=True)
class Total:
    """One total score: from a self-report, or a clinician's rating entered as a number."""

    total: int
    at: datetime
    source_id: uuid.UUID
    definition_version: str | None

    @classmethod
    def of_report(cls, report: SelfReport) -> Total:
        return cls(report.total, report.completed_at, report.id, report.instrument_version)  # type: ignore[arg-type]

    @classmethod
    def of_rating(cls, rating: ClinicianRating) -> Total:
        return cls(rating.total, rating.rated_at, rating.id, None)

    def shown(self, **extra) -> dict:
        return {"total": self.total, "at": self.at, "source_id": self.source_id, **extra}


def outcomes(
    baselines: Iterable[Baseline],
    reports: Iterable[SelfReport],
    ratings: Iterable[ClinicianRating],
    ratings_in_window: Iterable[ClinicianRating],
    *,
    first_start: datetime | None,
    thresholds: Mapping[str, object],
    had_infusion: bool,
) -> tuple[list[dict], list[str]]:
    """One outcome per instrument with a total (PHQ-9 first), and what is missing to complete them."""
    limits = {**DEFAULT_REMISSION_THRESHOLDS, **thresholds}
    baseline = {b.instrument: (Total.of_report(b.report), b.source) for b in baselines if b.report.total is not None}
    latest = {r.instrument_id: Total.of_report(r) for r in reports if r.total is not None}
    rating_baseline, rating_latest = {}, {}
    for rating in ratings:
        # The same default rule as for self-reports: the last one before the first infusion.
        if first_start is None or rating.rated_at < first_start:
            rating_baseline[rating.instrument.lower()] = (Total.of_rating(rating), BASELINE_RULE)
    for rating in ratings_in_window:
        rating_latest[rating.instrument.lower()] = Total.of_rating(rating)

    results, missing = [], []
    self_reported = sorted({HEADLINE, *baseline, *latest}, key=lambda name: (name != HEADLINE, name))
    for source, names, base, last in (
        ("self_report", self_reported, baseline, latest),
        ("clinician_rating", sorted({*rating_baseline, *rating_latest}), rating_baseline, rating_latest),
    ):
        for name in names:
            threshold = limits.get(name)
            if threshold is not None and (not isinstance(threshold, int) or isinstance(threshold, bool)):
                missing.append(f"remission-threshold:{name}")
                threshold = None
            outcome = _outcome(name, source, base.get(name), last.get(name), threshold)
            results.append(outcome)
            if outcome["baseline"] is None:
                missing.append(f"baseline:{name}")
            elif outcome["change_points"] is None and had_infusion:
                missing.append(f"follow-up:{name}")
    return results, missing


def _outcome(
    name: str, source: str, baseline: tuple[Total, str] | None, latest: Total | None, threshold: int | None
) -> dict:
    base, rule = baseline if baseline else (None, None)
    # The baseline itself is no evidence of change: only a later score is.
    follow_up = latest if latest and (base is None or latest.source_id != base.source_id) else None
    newest = follow_up or base
    version = newest.definition_version if newest else None
    stamped = f"{name}@{version}" if version else name
    outcome = {
        "instrument": name,
        "source": source,
        "definition_version": version,
        "baseline": base.shown(rule=rule) if base else None,
        "latest": latest.shown() if latest else None,
        "change_points": None,
        "change_percent": None,
        "response": None,
        "remission": None,
    }
    if base and follow_up:
        response = instruments.is_response(base.total, follow_up.total, instrument_id=stamped)
        outcome["change_points"] = follow_up.total - base.total
        outcome["change_percent"] = _rounded(response.percent_change)
        outcome["response"] = {
            "met": response.met,
            "rule": response.rule,
            "threshold": response.threshold,
            "instrument": stamped,
            "definition_version": version,
            "baseline": response.baseline,
            "current": response.current,
            "percent_change": _rounded(response.percent_change),
        }
    if follow_up and threshold is not None:
        remission = instruments.is_remission(stamped, follow_up.total, threshold)
        outcome["remission"] = {
            "met": remission.met,
            "rule": remission.rule,
            "threshold": remission.threshold,
            "instrument": stamped,
            "definition_version": version,
            "total": remission.total,
        }
    return outcome


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
