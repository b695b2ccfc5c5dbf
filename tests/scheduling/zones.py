"""Hypothesis strategies for time zones, DST-heavy instants and quiet-hour windows."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import settings
from hypothesis import strategies as st

PROPERTY = settings(max_examples=200, deadline=None)

ZONES = (
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Sao_Paulo",
    "America/Santiago",
    "America/Havana",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Dublin",
    "Africa/Cairo",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
)

# 2026 clock changes in the zones above (US/Cuba, EU, Australia/NZ/Chile, Egypt); some
# happen at local midnight, which moves the calendar day itself.
TRANSITION_DAYS = tuple(
    date(2026, month, day)
    for month, day in ((3, 8), (3, 29), (4, 5), (4, 24), (9, 6), (9, 27), (10, 4), (10, 25), (10, 29), (11, 1))
)
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
MINUTES_IN_2026 = 365 * 24 * 60

zones = st.sampled_from(ZONES)
quarter_hours = st.integers(0, 95).map(lambda quarter: time(quarter // 4, quarter % 4 * 15))
anywhere_in_2026 = st.integers(0, MINUTES_IN_2026 - 1).map(lambda minute: YEAR_START + timedelta(minutes=minute))
near_a_clock_change = st.builds(
    lambda day, minute: datetime.combine(day, time(), UTC) + timedelta(minutes=minute),
    st.sampled_from(TRANSITION_DAYS),
    st.integers(-3 * 24 * 60, 3 * 24 * 60),
)
# Half the draws land within three days of a clock change, where the bugs live.
instants = st.one_of(anywhere_in_2026, near_a_clock_change)
days_in_2026 = instants.map(lambda instant: instant.date())
quiet_windows = st.one_of(
    st.just((time(21, 0), time(8, 0))),
    st.tuples(quarter_hours, quarter_hours),
    quarter_hours.map(lambda wall: (wall, wall)),
)
