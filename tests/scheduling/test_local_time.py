from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.scheduling.quiet_hours import clock, iso_week, local_to_utc
from tests.scheduling.builders import utc
from tests.scheduling.zones import PROPERTY, days_in_2026, zones


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected"),
    [
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 0)),
        ("Europe/London", date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 0)),
        ("Australia/Sydney", date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16, 0)),
        ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 15, 30)),
    ],
)
def test_skipped_wall_time_moves_to_the_moment_the_clock_jumps(zone, day, wall, expected):
    assert local_to_utc(day, wall, ZoneInfo(zone)) == expected


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected"),
    [
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
        ("Europe/London", date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),
        ("Australia/Sydney", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),
    ],
)
def test_repeated_wall_time_takes_its_first_occurrence(zone, day, wall, expected):
    assert local_to_utc(day, wall, ZoneInfo(zone)) == expected


def test_second_occurrence_of_a_repeated_wall_time_on_request():
    assert local_to_utc(date(2026, 11, 1), time(1, 30), ZoneInfo("America/New_York"), fold=1) == utc(2026, 11, 1, 6, 30)


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected"),
    [
        ("America/New_York", date(2026, 3, 8), time(10, 0), utc(2026, 3, 8, 14, 0)),
        ("Europe/London", date(2026, 10, 25), time(18, 0), utc(2026, 10, 25, 18, 0)),
        ("Australia/Sydney", date(2026, 4, 5), time(10, 0), utc(2026, 4, 5, 0, 0)),
        ("Asia/Kolkata", date(2026, 3, 8), time(10, 0), utc(2026, 3, 8, 4, 30)),
    ],
)
def test_ordinary_wall_time_on_a_clock_change_day(zone, day, wall, expected):
    assert local_to_utc(day, wall, ZoneInfo(zone)) == expected


def test_zone_may_be_given_by_name():
    assert local_to_utc(date(2026, 3, 8), time(2, 30), "America/New_York") == utc(2026, 3, 8, 7, 0)


def reading(moment):
    """What the patient's clock shows, as (date, wall time)."""
    return moment.date(), moment.time()


@PROPERTY
@given(zone=zones, day=days_in_2026, minute=st.integers(0, 24 * 60 - 1))
def test_patient_clock_shows_the_wall_time_unless_it_was_skipped(zone, day, minute):
    tz, wall = ZoneInfo(zone), time(minute // 60, minute % 60)
    instant = local_to_utc(day, wall, tz)
    shown = instant.astimezone(tz)
    assert instant.tzinfo is UTC
    if reading(shown) != (day, wall):
        just_before = (instant - timedelta(seconds=1)).astimezone(tz)
        assert just_before.utcoffset() != shown.utcoffset()
        assert reading(just_before) < (day, wall) < reading(shown)


def test_clock_label_is_the_patient_wall_time():
    assert clock(utc(2026, 3, 9, 8, 0), ZoneInfo("America/New_York")) == "04:00"


def test_iso_week_label():
    assert iso_week(date(2026, 1, 1)) == "2026-W01"
