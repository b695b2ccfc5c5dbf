import pytest

from companion.instruments import get, score


def answers_for_total(instrument_id, total, **fixed):
    """Answers summing to ``total``, filling items in order; ``fixed`` pins given items."""
    instrument = get(instrument_id)
    answers = dict(fixed)
    remaining = total - sum(fixed.values())
    for item in instrument.items:
        if item.id in answers:
            continue
        answers[item.id] = min(item.max_value, remaining)
        remaining -= answers[item.id]
    assert remaining == 0, "total not reachable"
    return answers


@pytest.mark.parametrize(
    ("instrument_id", "total", "band"),
    [
        ("phq9", 0, "minimal"),
        ("phq9", 27, "severe"),
        ("gad7", 0, "minimal"),
        ("gad7", 21, "severe"),
        ("pcl5", 0, None),
        ("pcl5", 80, None),
        ("pain_nrs", 0, "none"),
        ("pain_nrs", 10, "severe"),
    ],
)
def test_minimum_and_maximum_totals(instrument_id, total, band):
    result = score(instrument_id, answers_for_total(instrument_id, total))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(
    ("instrument_id", "total", "band", "label"),
    [
        ("phq9", 4, "minimal", "Minimal"),
        ("phq9", 5, "mild", "Mild"),
        ("phq9", 9, "mild", "Mild"),
        ("phq9", 10, "moderate", "Moderate"),
        ("phq9", 14, "moderate", "Moderate"),
        ("phq9", 15, "moderately_severe", "Moderately severe"),
        ("phq9", 19, "moderately_severe", "Moderately severe"),
        ("phq9", 20, "severe", "Severe"),
        ("gad7", 4, "minimal", "Minimal"),
        ("gad7", 5, "mild", "Mild"),
        ("gad7", 9, "mild", "Mild"),
        ("gad7", 10, "moderate", "Moderate"),
        ("gad7", 14, "moderate", "Moderate"),
        ("gad7", 15, "severe", "Severe"),
        ("pain_nrs", 0, "none", "None"),
        ("pain_nrs", 1, "mild", "Mild"),
        ("pain_nrs", 3, "mild", "Mild"),
        ("pain_nrs", 4, "moderate", "Moderate"),
        ("pain_nrs", 6, "moderate", "Moderate"),
        ("pain_nrs", 7, "severe", "Severe"),
    ],
)
def test_band_boundaries(instrument_id, total, band, label):
    result = score(instrument_id, answers_for_total(instrument_id, total, **_no_item9(instrument_id)))
    assert (result.total, result.band, result.band_label) == (total, band, label)


def _no_item9(instrument_id):
    # Keeps band tests independent of the safety rule, whose flag is tested on its own.
    return {"phq9_9": 0} if instrument_id == "phq9" else {}


@pytest.mark.parametrize("instrument_id", ["phq9", "gad7@1", "pcl5", "pain_nrs", "daily_checkin"])
def test_score_records_instrument_and_version(instrument_id):
    result = score(instrument_id, answers_for_total(instrument_id.split("@")[0], 0))
    assert (result.instrument_id, result.version) == (instrument_id.split("@")[0], "1")


def test_score_accepts_a_definition_as_well_as_an_id():
    assert score(get("gad7"), answers_for_total("gad7", 12)).total == 12


def test_pcl5_cluster_scores_sum_their_items():
    answers = {f"pcl5_{position}": position % 5 for position in range(1, 21)}
    result = score("pcl5", answers)
    # B 1-5: 1+2+3+4+0, C 6-7: 1+2, D 8-14: 3+4+0+1+2+3+4, E 15-20: 0+1+2+3+4+0
    assert result.cluster_scores == {"B": 10, "C": 3, "D": 17, "E": 10}


@pytest.mark.parametrize(("cluster", "first", "last"), [("B", 1, 5), ("C", 6, 7), ("D", 8, 14), ("E", 15, 20)])
def test_pcl5_each_cluster_takes_exactly_its_items(cluster, first, last):
    answers = {f"pcl5_{p}": (4 if first <= p <= last else 0) for p in range(1, 21)}
    scores = score("pcl5", answers).cluster_scores
    assert scores == {c: (4 * (last - first + 1) if c == cluster else 0) for c in "BCDE"}


@pytest.mark.parametrize(("total", "flagged"), [(32, False), (33, True), (80, True)])
def test_pcl5_provisional_ptsd_default_cutoff(total, flagged):
    result = score("pcl5", answers_for_total("pcl5", total))
    assert ("provisional_ptsd" in result.flags) is flagged
    assert result.cutoffs == {"provisional_ptsd": 33}


@pytest.mark.parametrize(("total", "flagged"), [(30, False), (31, True)])
def test_pcl5_cutoff_is_configurable(total, flagged):
    result = score("pcl5", answers_for_total("pcl5", total), cutoffs={"provisional_ptsd": 31})
    assert ("provisional_ptsd" in result.flags) is flagged
    assert result.cutoffs == {"provisional_ptsd": 31}


@pytest.mark.parametrize("cutoffs", [{"probable_ptsd": 31}, {"provisional_ptsd": 81}, {"provisional_ptsd": "31"}])
def test_bad_cutoff_configuration_is_refused(cutoffs):
    with pytest.raises(ValueError, match="cut-off"):
        score("pcl5", answers_for_total("pcl5", 40), cutoffs=cutoffs)


@pytest.mark.parametrize("instrument_id", ["phq9", "gad7", "pain_nrs", "daily_checkin"])
def test_only_pcl5_has_cluster_scores(instrument_id):
    assert score(instrument_id, answers_for_total(instrument_id, 0)).cluster_scores == {}


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_positive_is_a_safety_event_even_with_a_low_total(item9):
    result = score("phq9", answers_for_total("phq9", item9, phq9_9=item9))
    assert result.band == "minimal"
    assert result.safety_event is True
    assert "suicidality_item_positive" in result.flags


def test_phq9_item9_zero_with_a_high_total_is_not_a_safety_event():
    result = score("phq9", answers_for_total("phq9", 24, phq9_9=0))
    assert result.band == "severe"
    assert result.safety_event is False
    assert result.flags == ()


@pytest.mark.parametrize("instrument_id", ["gad7", "pcl5", "pain_nrs", "daily_checkin"])
def test_other_instruments_never_raise_safety_events(instrument_id):
    instrument = get(instrument_id)
    answers = {item.id: item.max_value for item in instrument.items}
    assert score(instrument, answers).safety_event is False


def test_daily_checkin_reports_both_values_and_no_total():
    result = score("daily_checkin", {"daily_checkin_mood": 3, "daily_checkin_energy": 8})
    assert result.item_scores == {"daily_checkin_mood": 3, "daily_checkin_energy": 8}
    assert (result.total, result.band, result.band_label) == (None, None, None)


def test_item_scores_echo_the_validated_answers_in_item_order():
    answers = dict(reversed(answers_for_total("gad7", 10).items()))
    assert list(score("gad7", answers).item_scores) == [f"gad7_{p}" for p in range(1, 8)]


def test_score_is_hashable_and_equal_for_equal_input():
    answers = answers_for_total("pcl5", 40)
    assert score("pcl5", answers) == score("pcl5", dict(answers))
    assert hash(score("pcl5", answers)) == hash(score("pcl5", dict(answers)))
