import json

import pytest

from companion.instruments import get, score, to_dict, with_prompts

ALL_IDS = ["phq9", "gad7", "pcl5", "pain_nrs", "daily_checkin"]


def test_with_prompts_replaces_only_the_named_items():
    changed = with_prompts("phq9", {"phq9_2": "Licensed wording here"})
    assert changed.item("phq9_2").prompt == "Licensed wording here"
    assert changed.item("phq9_1").prompt == get("phq9").item("phq9_1").prompt


def test_with_prompts_leaves_the_registered_definition_alone():
    original = get("gad7").item("gad7_1").prompt
    with_prompts("gad7", {"gad7_1": "Traduction"})
    assert get("gad7").item("gad7_1").prompt == original


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_prompt_override_leaves_scores_unchanged(instrument_id):
    instrument = get(instrument_id)
    reworded = with_prompts(instrument, {item.id: f"Reworded {item.position}" for item in instrument.items})
    answers = {item.id: item.max_value for item in instrument.items}
    assert score(reworded, answers) == score(instrument, answers)
    assert reworded.versioned_id == instrument.versioned_id


@pytest.mark.parametrize("overrides", [{"phq9_10": "x"}, {"gad7_1": "x"}])
def test_prompt_override_for_an_unknown_item_is_refused(overrides):
    with pytest.raises(ValueError, match="no item"):
        with_prompts("phq9", overrides)


def test_blank_prompt_override_is_refused():
    with pytest.raises(ValueError, match="phq9_1 has no prompt"):
        with_prompts("phq9", {"phq9_1": "  "})


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_serialised_definition_is_json_and_has_every_item(instrument_id):
    data = json.loads(json.dumps(to_dict(instrument_id)))
    assert [item["id"] for item in data["items"]] == list(get(instrument_id).item_ids)
    assert all(item["prompt"] and item["options"] for item in data["items"])


def test_serialised_phq9_carries_loinc_bands_and_the_safety_item():
    data = to_dict("phq9")
    assert data["versioned_id"] == "phq9@1"
    assert data["loinc"] == {"panel": "44249-1", "total": "44261-6"}
    assert data["bands"][-1] == {"id": "severe", "label": "Severe", "min": 20, "max": 27}
    assert data["items"][8]["loinc"] == "44260-8"
    assert data["items"][8]["safety_flag"] == "suicidality_item_positive"
    assert data["items"][0]["options"][3] == {"value": 3, "label": "Nearly every day"}


def test_serialised_pcl5_carries_clusters_and_cutoff():
    data = to_dict("pcl5")
    assert [(c["id"], len(c["items"])) for c in data["clusters"]] == [("B", 5), ("C", 2), ("D", 7), ("E", 6)]
    assert data["cutoffs"] == [{"flag": "provisional_ptsd", "label": "Provisional PTSD", "at_least": 33}]
    assert data["bands"] == []


def test_serialised_overridden_prompts_show_the_new_wording():
    data = to_dict(with_prompts("pain_nrs", {"pain_nrs_1": "Wie stark sind Ihre Schmerzen?"}))
    assert data["items"][0]["prompt"] == "Wie stark sind Ihre Schmerzen?"
