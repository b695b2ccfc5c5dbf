import ast
from pathlib import Path

import pytest

from companion.instruments import UnknownInstrument, all_instruments, get

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "companion" / "instruments"
ALL_IDS = ["phq9", "gad7", "pcl5", "pain_nrs", "daily_checkin"]


def test_all_instruments_lists_every_definition():
    assert [instrument.id for instrument in all_instruments()] == ALL_IDS


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_get_by_plain_id(instrument_id):
    assert get(instrument_id).id == instrument_id


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_get_by_versioned_id(instrument_id):
    instrument = get(f"{instrument_id}@1")
    assert (instrument.id, instrument.version, instrument.versioned_id) == (
        instrument_id,
        "1",
        f"{instrument_id}@1",
    )


@pytest.mark.parametrize("bad_id", ["phq10", "phq9@2", "PHQ9", "", "@1", None, 9])
def test_unknown_instrument_raises_with_the_id_in_the_message(bad_id):
    with pytest.raises(UnknownInstrument) as caught:
        get(bad_id)
    assert caught.value.instrument_id == bad_id
    assert repr(bad_id) in str(caught.value)


def test_unknown_instrument_is_a_lookup_error():
    with pytest.raises(LookupError):
        get("madrs")


@pytest.mark.parametrize(
    ("instrument_id", "count", "min_total", "max_total"),
    [
        ("phq9", 9, 0, 27),
        ("gad7", 7, 0, 21),
        ("pcl5", 20, 0, 80),
        ("pain_nrs", 1, 0, 10),
        ("daily_checkin", 2, None, None),
    ],
)
def test_item_count_and_total_range(instrument_id, count, min_total, max_total):
    instrument = get(instrument_id)
    assert (len(instrument.items), instrument.min_total, instrument.max_total) == (
        count,
        min_total,
        max_total,
    )


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_item_ids_carry_the_instrument_prefix_and_positions_count_from_one(instrument_id):
    instrument = get(instrument_id)
    for position, item in enumerate(instrument.items, start=1):
        assert item.id.startswith(f"{instrument_id}_")
        assert item.position == position


@pytest.mark.parametrize(
    ("instrument_id", "panel", "total"),
    [
        ("phq9", "44249-1", "44261-6"),
        ("gad7", "69737-5", "70274-6"),
        ("pain_nrs", None, "72514-3"),
        ("pcl5", None, None),
        ("daily_checkin", None, None),
    ],
)
def test_loinc_panel_and_total_codes(instrument_id, panel, total):
    instrument = get(instrument_id)
    assert (instrument.loinc_panel, instrument.loinc_total) == (panel, total)


@pytest.mark.parametrize(("item_id", "loinc"), [("phq9_9", "44260-8"), ("phq9_1", None), ("pain_nrs_1", "72514-3")])
def test_item_loinc_codes(item_id, loinc):
    instrument_id = item_id.rsplit("_", 1)[0]
    assert get(instrument_id).item(item_id).loinc == loinc


@pytest.mark.parametrize(
    ("instrument_id", "labels"),
    [
        ("phq9", ["Not at all", "Several days", "More than half the days", "Nearly every day"]),
        ("gad7", ["Not at all", "Several days", "More than half the days", "Nearly every day"]),
        ("pcl5", ["Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely"]),
    ],
)
def test_response_scale_labels(instrument_id, labels):
    for item in get(instrument_id).items:
        assert [(o.value, o.label) for o in item.options] == list(enumerate(labels))


def test_pain_scale_is_numeric_with_word_anchors_at_both_ends():
    options = get("pain_nrs").item("pain_nrs_1").options
    assert [o.value for o in options] == list(range(11))
    assert (options[0].label, options[-1].label) == ("No pain", "Worst pain you can imagine")


@pytest.mark.parametrize(
    ("instrument_id", "band_ids"),
    [
        ("phq9", ["minimal", "mild", "moderate", "moderately_severe", "severe"]),
        ("gad7", ["minimal", "mild", "moderate", "severe"]),
        ("pain_nrs", ["none", "mild", "moderate", "severe"]),
        ("pcl5", []),
        ("daily_checkin", []),
    ],
)
def test_band_ids(instrument_id, band_ids):
    assert [band.id for band in get(instrument_id).bands] == band_ids


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_every_definition_has_text_for_patients_and_a_licence_note(instrument_id):
    instrument = get(instrument_id)
    assert all([instrument.title, instrument.description, instrument.recall_period, instrument.licence])


def test_package_imports_no_flask_or_database_code():
    forbidden = ("flask", "sqlalchemy", "flask_sqlalchemy", "companion.extensions", "companion.models")
    imported = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert not [name for name in imported if name.startswith(forbidden)]
