"""The one place that reads the wall clock; verbs take ``now`` so tests can freeze time."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """A stored instant as UTC-aware (SQLite hands back naive datetimes; everything stored is UTC)."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)
