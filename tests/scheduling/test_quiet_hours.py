from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

from companion.scheduling.quiet_hours import apply_quiet_hours, in_quiet_hours
from tests.scheduling.builders import utc
from tests.scheduling.zones import PROPERTY, instants, quiet_windows, zones

NEW_YORK = ZoneInfo("America/New_York")
NIGHT = (time(21, 0), time(8, 0))
LUNCH = (time(13, 0), time(14, 0))


def in_new_york(*parts):
    return datetime(*parts, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("wall", "window", "quiet"),
    [
        (time(20, 59), NIGHT, False),
        (time(21, 0), NIGHT, True),
        (time(0, 0), NIGHT, True),
        (time(7, 59), NIGHT, True),
        (time(8, 0), NIGHT, False),
        (time(12, 59), LUNCH, False),
        (time(13, 0), LUNCH, True),
        (time(14, 0), LUNCH, False),
        (time(21, 0), (time(21, 0), time(21, 0)), False),
    ],
)
def test_quiet_window_includes_its_start_and_excludes_its_end(wall, window, quiet):
    assert in_quiet_hours(wall, *window) is quiet


def test_late_evening_nudge_waits_for_next_morning():
    assert apply_quiet_hours(in_new_york(2026, 5, 12, 22, 30), *NIGHT) == in_new_york(2026, 5, 13, 8, 0)


def test_early_morning_nudge_waits_for_the_same_morning():
    assert apply_quiet_hours(in_new_york(2026, 5, 13, 6, 0), *NIGHT) == in_new_york(2026, 5, 13, 8, 0)


def test_window_within_the_day_defers_to_its_end():
    assert apply_quiet_hours(in_new_york(2026, 5, 13, 13, 30), *LUNCH) == in_new_york(2026, 5, 13, 14, 0)


def test_nudge_outside_quiet_hours_is_unchanged():
    assert apply_quiet_hours(in_new_york(2026, 5, 13, 12, 0), *NIGHT) == in_new_york(2026, 5, 13, 12, 0)


def test_equal_start_and_end_mean_no_quiet_hours():
    assert apply_quiet_hours(in_new_york(2026, 5, 13, 3, 0), time(0, 0), time(0, 0)) == in_new_york(2026, 5, 13, 3, 0)


def test_deferral_across_spring_forward_lands_on_local_quiet_end():
    deferred = apply_quiet_hours(in_new_york(2026, 3, 7, 23, 0), *NIGHT)
    assert (deferred.astimezone(NEW_YORK).time(), deferred) == (time(8, 0), utc(2026, 3, 8, 12, 0))


def test_deferral_inside_repeated_hour_never_moves_earlier():
    london = ZoneInfo("Europe/London")
    second_half_past_one = utc(2026, 10, 25, 1, 30).astimezone(london)
    deferred = apply_quiet_hours(second_half_past_one, time(0, 30), time(1, 45))
    # Compared in UTC: within one zone, Python compares wall readings and ignores fold.
    assert deferred.astimezone(UTC) == utc(2026, 10, 25, 1, 45)


def test_quiet_end_swallowed_by_spring_forward_does_not_land_in_the_next_window():
    deferred = apply_quiet_hours(in_new_york(2026, 3, 8, 1, 0), time(2, 45), time(2, 30))
    assert deferred == in_new_york(2026, 3, 9, 2, 30)


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        apply_quiet_hours(datetime(2026, 5, 13, 22, 0), *NIGHT)


@PROPERTY
@given(zone=zones, instant=instants, window=quiet_windows)
def test_deferred_nudge_is_outside_quiet_hours_and_never_earlier(zone, instant, window):
    local_due = instant.astimezone(ZoneInfo(zone))
    deferred = apply_quiet_hours(local_due, *window)
    assert not in_quiet_hours(deferred.time(), *window)
    # Compared in UTC: within one zone, Python compares wall readings and ignores fold.
    assert deferred.astimezone(UTC) >= instant
    if not in_quiet_hours(local_due.time(), *window):
        assert deferred.astimezone(UTC) == instant
