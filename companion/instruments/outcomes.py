"""Response and remission, stamped with the rule that decided them.

Studies disagree on thresholds, so thresholds are arguments and every result records
the rule id, its version, the threshold and the instrument. A stored outcome can then
always be traced to, and re-derived under, the definition that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass

RESPONSE_RULE = "response-fall-from-baseline@1"
REMISSION_RULE = "remission-below-threshold@1"

# Remission is "strictly below"; for MADRS pass 11 or 13 to mean "10 or less" / "12 or less".
DEFAULT_REMISSION_THRESHOLDS: dict[str, int] = {"phq9": 5}


@dataclass(frozen=True)
class ResponseResult:
    met: bool
    rule: str
    threshold: float
    instrument_id: str | None
    baseline: int
    current: int
    percent_change: float | None

    def __bool__(self) -> bool:
        return self.met


@dataclass(frozen=True)
class RemissionResult:
    met: bool
    rule: str
    threshold: int
    instrument_id: str
    total: int

    def __bool__(self) -> bool:
        return self.met


def percent_change(baseline: int, current: int) -> float | None:
    """Change from baseline in percent (negative is a fall); None when baseline is 0."""
    _check_totals(baseline, current)
    if baseline == 0:
        return None
    return (current - baseline) / baseline * 100


def is_response(
    baseline: int, current: int, threshold: float = 0.5, *, instrument_id: str | None = None
) -> ResponseResult:
    """Met when the score fell by ``threshold`` (a fraction of baseline) or more."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be a fraction above 0 and at most 1")
    change = percent_change(baseline, current)
    # A baseline of 0 has nowhere to fall, so it can never count as a response.
    met = baseline > 0 and (baseline - current) / baseline >= threshold
    return ResponseResult(met, RESPONSE_RULE, threshold, instrument_id, baseline, current, change)


def is_remission(instrument_id: str, total: int, threshold: int | None = None) -> RemissionResult:
    """Met when ``total`` is below ``threshold``; instruments outside the registry (MADRS) work too."""
    _check_totals(total)
    base_id = instrument_id.split("@", 1)[0]
    if threshold is None:
        if base_id not in DEFAULT_REMISSION_THRESHOLDS:
            raise ValueError(f"no default remission threshold for {instrument_id}; pass one")
        threshold = DEFAULT_REMISSION_THRESHOLDS[base_id]
    return RemissionResult(total < threshold, REMISSION_RULE, threshold, instrument_id, total)


def _check_totals(*totals: int) -> None:
    for total in totals:
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise ValueError(f"a total must be a whole number of 0 or more, not {total!r}")
