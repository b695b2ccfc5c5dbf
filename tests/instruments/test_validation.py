from types import MappingProxyType

import pytest

from companion.instruments import AnswerError, UnknownInstrument, get, score, validate_answers


def zeros(instrument_id):
    return {item.id: 0 for item in get(instrument_id).items}


def errors_for(instrument_id, answers):
    with pytest.raises(AnswerError) as caught:
        score(instrument_id, answers)
    return caught.value.errors


@pytest.mark.parametrize(
    ("instrument_id", "item_id"),
    [
        ("phq9", "phq9_9"),
        ("gad7", "gad7_1"),
        ("pcl5", "pcl5_12"),
        ("pain_nrs", "pain_nrs_1"),
        ("daily_checkin", "daily_checkin_energy"),
    ],
)
def test_missing_item_is_named(instrument_id, item_id):
    answers = zeros(instrument_id)
    del answers[item_id]
    assert errors_for(instrument_id, answers) == {item_id: ["answer required"]}


@pytest.mark.parametrize(("instrument_id", "extra"), [("phq9", "phq9_10"), ("gad7", "phq9_1"), ("pain_nrs", "mood")])
def test_unknown_item_is_named(instrument_id, extra):
    answers = {**zeros(instrument_id), extra: 0}
    assert errors_for(instrument_id, answers) == {extra: ["unknown item"]}


@pytest.mark.parametrize(
    ("instrument_id", "item_id", "value", "message"),
    [
        ("phq9", "phq9_3", -1, "must be between 0 and 3"),
        ("phq9", "phq9_3", 4, "must be between 0 and 3"),
        ("gad7", "gad7_7", -1, "must be between 0 and 3"),
        ("gad7", "gad7_7", 4, "must be between 0 and 3"),
        ("pcl5", "pcl5_20", -1, "must be between 0 and 4"),
        ("pcl5", "pcl5_20", 5, "must be between 0 and 4"),
        ("pain_nrs", "pain_nrs_1", -1, "must be between 0 and 10"),
        ("pain_nrs", "pain_nrs_1", 11, "must be between 0 and 10"),
        ("daily_checkin", "daily_checkin_mood", 11, "must be between 0 and 10"),
    ],
)
def test_out_of_range_value_is_named(instrument_id, item_id, value, message):
    answers = {**zeros(instrument_id), item_id: value}
    assert errors_for(instrument_id, answers) == {item_id: [message]}


@pytest.mark.parametrize("value", ["2", 2.0, 1.5, True, False, None, [1]])
def test_wrong_type_is_named(value):
    answers = {**zeros("phq9"), "phq9_4": value}
    assert errors_for("phq9", answers) == {"phq9_4": ["must be a whole number"]}


def test_every_problem_is_reported_together():
    answers = {**zeros("phq9"), "phq9_1": 9, "phq9_2": "x", "phq9_99": 0}
    del answers["phq9_9"]
    assert errors_for("phq9", answers) == {
        "phq9_1": ["must be between 0 and 3"],
        "phq9_2": ["must be a whole number"],
        "phq9_9": ["answer required"],
        "phq9_99": ["unknown item"],
    }


def test_empty_answers_name_every_item():
    assert set(errors_for("gad7", {})) == set(get("gad7").item_ids)


@pytest.mark.parametrize("answers", [None, [0] * 9, "000000000", 0])
def test_answers_must_be_a_mapping(answers):
    assert list(errors_for("phq9", answers)) == ["answers"]


def test_any_mapping_is_accepted():
    assert score("phq9", MappingProxyType(zeros("phq9"))).total == 0


def test_answer_error_reads_well():
    with pytest.raises(AnswerError) as caught:
        validate_answers("phq9", {**zeros("phq9"), "phq9_9": 7})
    assert str(caught.value) == "invalid answers: phq9_9: must be between 0 and 3"


def test_unknown_instrument_when_scoring():
    with pytest.raises(UnknownInstrument) as caught:
        score("madrs", {"madrs_1": 0})
    assert caught.value.instrument_id == "madrs"
