from dataclasses import replace

import pytest

from companion.instruments import AnswerOption, Band, Cluster, Cutoff, get


@pytest.mark.parametrize(
    "bands",
    [
        (Band("low", "Low", 0, 4), Band("high", "High", 6, 27)),
        (Band("low", "Low", 0, 5), Band("high", "High", 5, 27)),
        (Band("low", "Low", 0, 4), Band("high", "High", 5, 26)),
        (Band("low", "Low", 1, 27),),
    ],
)
def test_band_table_with_a_gap_overlap_or_short_range_is_refused(bands):
    with pytest.raises(ValueError, match="band"):
        replace(get("phq9"), bands=bands)


def test_answer_options_with_a_gap_are_refused():
    item = replace(get("gad7").items[0], options=(AnswerOption(0, "No"), AnswerOption(2, "Yes")))
    with pytest.raises(ValueError, match="consecutive"):
        replace(get("gad7"), items=(item, *get("gad7").items[1:]))


def test_repeated_item_ids_are_refused():
    items = get("gad7").items
    with pytest.raises(ValueError, match="repeat"):
        replace(get("gad7"), items=(*items, replace(items[0], position=len(items) + 1)))


def test_cluster_naming_an_unknown_item_is_refused():
    with pytest.raises(ValueError, match="cluster"):
        replace(get("pcl5"), clusters=(Cluster("B", "Intrusion", ("pcl5_21",)),))


def test_cutoff_outside_the_possible_totals_is_refused():
    with pytest.raises(ValueError, match="cut-off"):
        replace(get("pcl5"), cutoffs=(Cutoff("provisional_ptsd", "Provisional PTSD", 81),))


def test_bands_on_an_instrument_without_a_total_are_refused():
    with pytest.raises(ValueError, match="total"):
        replace(get("daily_checkin"), bands=(Band("any", "Any", 0, 20),))
