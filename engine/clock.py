"""The one place that reads the wall clock; verbs take ``now`` so tests can freeze time."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
