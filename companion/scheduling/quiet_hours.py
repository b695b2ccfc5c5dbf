"""Wall-clock time in the patient's zone: DST-safe local times, clock labels, quiet hours.

Reminders promise a time on the patient's own clock ("the evening before at 18:00"), so
every rule is stated as a local date and wall time and turned into a UTC instant here.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo


def local_to_utc(day: date, wall: time, zone: tzinfo | str, *, fold: int = 0) -> datetime:
    """The UTC instant at which the patient's clock shows ``wall`` on ``day``.

    A wall time skipped by a spring-forward gap becomes the first instant after the gap (the
    moment the clock jumps), so the reminder comes as soon as that time has passed on the
    patient's clock. A wall time repeated at fall-back takes its first occurrence unless
    ``fold=1`` asks for the second.
    """
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = datetime.combine(day, wall.replace(tzinfo=None), tzinfo=zone).replace(fold=fold)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    return _end_of_gap(local, zone)


def _end_of_gap(local: datetime, zone: tzinfo) -> datetime:
    # Read with the offsets from either side of the gap, the missing wall time gives one
    # instant before the jump and one after it. zoneinfo does not expose its transitions, and
    # they fall on whole seconds, so bisect on seconds between the two for the exact jump.
    before, after = sorted(local.replace(fold=f).astimezone(UTC) for f in (0, 1))
    offset_after = after.astimezone(zone).utcoffset()
    low, high = math.floor(before.timestamp()), math.floor(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def iso_week(day: date) -> str:
    """'2026-W19': names a week the same way whichever day of it is asked about."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def clock(instant: datetime, zone: tzinfo) -> str:
    """'HH:MM' on the patient's clock."""
    return instant.astimezone(zone).strftime("%H:%M")


def in_quiet_hours(wall: time, quiet_start: time, quiet_end: time) -> bool:
    """Whether ``wall`` lies in ``[quiet_start, quiet_end)``; equal ends mean no quiet hours."""
    wall = wall.replace(tzinfo=None)
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= wall < quiet_end
    return wall >= quiet_start or wall < quiet_end


def apply_quiet_hours(local_due: datetime, quiet_start: time, quiet_end: time) -> datetime:
    """``local_due``, or the end of the quiet window it falls in, in the same zone."""
    if local_due.tzinfo is None:
        raise ValueError("local_due must be timezone-aware")
    zone = local_due.tzinfo
    # Normally one move is enough. The second pass covers a quiet end that a DST gap swallows,
    # whose replacement instant can land inside the next window when the window is very long.
    for _ in range(3):
        wall = local_due.time()
        if not in_quiet_hours(wall, quiet_start, quiet_end):
            return local_due
        past_midnight = quiet_start > quiet_end and wall >= quiet_start
        day = local_due.date() + timedelta(days=1 if past_midnight else 0)
        end = local_to_utc(day, quiet_end, zone)
        if end <= local_due:
            # Due in the second pass of a repeated fall-back hour: the window ends at the
            # second showing of quiet_end, never before the nudge was due.
            end = local_to_utc(day, quiet_end, zone, fold=1)
        local_due = end.astimezone(zone)
    return local_due
