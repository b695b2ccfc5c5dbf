"""Fields shared by several schemas: IANA zones, clock times, languages."""

from __future__ import annotations

from datetime import time
from functools import cache
from zoneinfo import available_timezones

from marshmallow import ValidationError, fields, validate

SUPPORTED_LANGUAGES = ("en", "es")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


class TimeZone(fields.String):
    """An IANA time zone name such as Europe/London; abbreviations like EST are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if name not in _zones() or name.upper() in {"EST", "EDT", "PST", "PDT", "CST", "MST"}:
            raise ValidationError("Use an IANA time zone name such as America/New_York or Europe/London.")
        return name


class ClockTime(fields.Field):
    """A local wall-clock time as "HH:MM"."""

    def _serialize(self, value: time | None, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
            raise ValidationError('Use a 24-hour time as "HH:MM", e.g. "21:00".')
        try:
            return time(int(value[:2]), int(value[3:]))
        except ValueError as exc:
            raise ValidationError('Use a 24-hour time as "HH:MM", e.g. "21:00".') from exc


def Language(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(SUPPORTED_LANGUAGES), **kwargs)


def Email(**kwargs) -> fields.Email:
    return fields.Email(validate=validate.Length(max=254), **kwargs)


def Name(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=200), **kwargs)


class PageArgsSchemaMixin:
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
