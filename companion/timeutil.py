"""Instants are UTC; what a person experiences is their IANA zone. Conversions live here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def in_zone(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar day starts and the next one starts (23 or 25 h across DST)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def hhmm(instant: datetime, zone: str) -> str:
    return in_zone(instant, zone).strftime("%H:%M")
