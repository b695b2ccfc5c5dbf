"""Fields shared by several schemas: IANA zones, clock times, languages."""

from __future__ import annotations

from datetime import time
from functools import cache
from importlib import resources

from marshmallow import Schema, ValidationError, fields, validate

SUPPORTED_LANGUAGES = ("en", "es")
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
# Legacy names that read like abbreviations and mislead people (EST never observes summer time).
_MISLEADING_ZONES = {"EST", "EST5EDT", "CST6CDT", "MST", "MST7MDT", "PST8PDT", "HST", "EET", "MET", "WET", "CET"}


@cache
def iana_zones() -> tuple[str, ...]:
    """Zone names from the pinned tzdata package, so validation and the spec agree on every machine."""
    names = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return tuple(sorted(name for name in names if name not in _MISLEADING_ZONES))


class TimeZone(fields.String):
    """An IANA time zone name such as Europe/London; abbreviations like EST are refused."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"enum": list(iana_zones()), **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if name not in iana_zones():
            raise ValidationError("Use an IANA time zone name such as America/New_York or Europe/London.")
        return name


class ClockTime(fields.Field):
    """A local wall-clock time as "HH:MM"."""

    def __init__(self, **kwargs):
        metadata = {"type": "string", "pattern": CLOCK_PATTERN, "example": "21:00", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

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


class PageSchema(Schema):
    """A page of results: subclasses add ``items``."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "Items across all pages"})


class PageArgsSchemaMixin:
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
