import pytest

from companion.instruments import is_remission, is_response, percent_change


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [(20, 10, -50.0), (20, 20, 0.0), (10, 15, 50.0), (4, 0, -100.0), (0, 0, None), (0, 6, None)],
)
def test_percent_change(baseline, current, expected):
    assert percent_change(baseline, current) == expected


@pytest.mark.parametrize(("baseline", "current"), [(-1, 3), (3, -1), (2.5, 1), (True, 0)])
def test_percent_change_refuses_impossible_totals(baseline, current):
    with pytest.raises(ValueError):
        percent_change(baseline, current)


@pytest.mark.parametrize(
    ("baseline", "current", "met"),
    [(20, 10, True), (20, 11, False), (21, 10, True), (21, 11, False), (10, 0, True), (0, 0, False)],
)
def test_response_is_a_fall_of_half_or_more(baseline, current, met):
    result = is_response(baseline, current)
    assert result.met is met
    assert bool(result) is met


@pytest.mark.parametrize(("current", "met"), [(7, True), (8, False)])
def test_response_threshold_is_configurable(current, met):
    assert is_response(10, current, threshold=0.3).met is met


def test_response_records_rule_threshold_and_instrument():
    result = is_response(18, 6, instrument_id="phq9@1")
    assert (result.rule, result.threshold, result.instrument_id) == (
        "response-fall-from-baseline@1",
        0.5,
        "phq9@1",
    )
    assert result.percent_change == pytest.approx(-66.667, abs=1e-3)


@pytest.mark.parametrize("threshold", [0, -0.5, 1.5])
def test_response_threshold_must_be_a_fraction(threshold):
    with pytest.raises(ValueError, match="threshold"):
        is_response(10, 5, threshold=threshold)


@pytest.mark.parametrize(("total", "met"), [(4, True), (5, False), (0, True)])
def test_phq9_remission_is_below_five_by_default(total, met):
    result = is_remission("phq9", total)
    assert (result.met, result.threshold, result.rule) == (met, 5, "remission-below-threshold@1")


@pytest.mark.parametrize(("total", "met"), [(10, True), (11, False)])
def test_remission_threshold_is_configurable_for_other_instruments(total, met):
    result = is_remission("madrs", total, threshold=11)
    assert (result.met, result.instrument_id, result.threshold) == (met, "madrs", 11)


def test_remission_without_a_default_threshold_needs_one():
    with pytest.raises(ValueError, match="no default remission threshold"):
        is_remission("gad7", 3)
