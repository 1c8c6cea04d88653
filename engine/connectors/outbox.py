"""Reports owed to other agencies, written in the step's transaction and delivered after it, so a
service that is down never holds or undoes the step; delivery is retried with growing delays."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.connectors.calls import Asker, logged
from engine.connectors.http import ConnectorRefused, ConnectorUnavailable
from engine.connectors.models import ConnectorMessage
from engine.connectors.registry import Connectors
from engine.core.clock import utcnow

# operation → how it is sent: (service, call on the connectors)
_SENDERS = {"oss.status_izin": ("oss", lambda c, p: c.oss.report_decision(**p))}
GIVE_UP_AFTER = 20  # tries (about a day and a half of growing delays); the message stays for the operator


def enqueue(session: Session, operation: str, payload: dict, application_id: int | None, now: datetime) -> None:
    service = _SENDERS[operation][0]
    session.add(
        ConnectorMessage(
            service=service,
            operation=operation,
            payload=payload,
            application_id=application_id,
            created_at=now,
            next_try_at=now,
            tries=0,
        )
    )


def deliver_pending(
    session: Session,
    connectors: Connectors | None,
    now: datetime | None = None,
    application_id: int | None = None,
    limit: int = 50,
) -> int:
    """Send what is due (of one application, or all); returns how many were taken. A service that
    does not answer is left until its next try; the others are still sent."""
    now = now or utcnow()
    if connectors is None:
        return 0
    query = (
        select(ConnectorMessage)
        .where(
            ConnectorMessage.sent_at.is_(None),
            ConnectorMessage.next_try_at <= now,
            ConnectorMessage.tries < GIVE_UP_AFTER,
        )
        .order_by(ConnectorMessage.id)
    )
    if application_id is not None:
        query = query.where(ConnectorMessage.application_id == application_id)
    sent, down = 0, set()
    for message in session.scalars(query.limit(limit)).all():
        service, send = _SENDERS[message.operation]
        if service in down or not connectors.connected(service):
            continue
        message.tries += 1
        try:
            message.receipt = logged(
                session,
                service,
                message.operation,
                Asker("laporan keputusan", application_id=message.application_id),
                None,
                lambda send=send, payload=message.payload: send(connectors, payload),
                lambda receipt: "diterima",
                now,
            )[:80]
        except (ConnectorUnavailable, ConnectorRefused) as error:
            message.last_error = error.message[:300]
            message.next_try_at = now + timedelta(minutes=min(2**message.tries, 240))
            if isinstance(error, ConnectorUnavailable):
                down.add(service)
            continue
        message.sent_at, message.last_error = now, None
        sent += 1
    return sent
