"""Every model module is imported here so metadata (and so migrations) sees all tables."""

from companion.models.base import Base, TimestampMixin, UTCDateTime

__all__ = ["Base", "TimestampMixin", "UTCDateTime"]
