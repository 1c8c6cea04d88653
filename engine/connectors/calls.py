"""Running a connector call under the log: who asked, about whom (masked), why, how it went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from time import monotonic
from typing import TypeVar

from sqlalchemy.orm import Session

from engine.connectors.http import ConnectorRefused, ConnectorUnavailable
from engine.connectors.models import ConnectorCall
from engine.core.clock import utcnow

T = TypeVar("T")


def mask(number: str | None) -> str | None:
    """A personal or tax number as the log keeps it: its first four and last four digits."""
    if not number:
        return None
    number = str(number)
    return number if len(number) <= 8 else number[:4] + "*" * (len(number) - 8) + number[-4:]


@dataclass(frozen=True)
class Asker:
    """Who asks and why: the account (None for the scheduler), the file, the reason in words."""

    purpose: str
    actor_id: int | None = None
    application_id: int | None = None


def logged(
    session: Session,
    service: str,
    operation: str,
    asker: Asker,
    subject: str | None,
    call: Callable[[], T],
    outcome_of: Callable[[T], str],
    now: datetime | None = None,
) -> T:
    """``call()`` with a ``connector_calls`` row written whatever happens. Raises what ``call`` raises."""
    start = monotonic()
    row = ConnectorCall(
        at=now or utcnow(),
        service=service,
        operation=operation,
        purpose=asker.purpose[:120],
        actor_id=asker.actor_id,
        application_id=asker.application_id,
        subject=mask(subject),
    )
    try:
        result = call()
    except ConnectorUnavailable as error:
        row.ok, row.outcome = False, f"gagal: {error.details.get('reason', '')}"[:40]
        raise
    except ConnectorRefused:
        row.ok, row.outcome = False, "ditolak"
        raise
    else:
        row.ok, row.outcome = True, outcome_of(result)[:40]
        return result
    finally:
        row.duration_ms = round((monotonic() - start) * 1000)
        session.add(row)
