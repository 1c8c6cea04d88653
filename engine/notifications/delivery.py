"""Sending the deliveries after commit: each claimed first (two schedulers never send one twice), sent,
and marked; a failure waits longer each time (1, 2, 4 … 60 minutes) and gives up after ten tries, with
the last error kept for staff to see. The SMS and WhatsApp gateways take our delivery id as their
reference, so a send repeated after a lost answer is not a second message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.connectors.calls import Asker, logged
from engine.connectors.http import ConnectorRefused, ConnectorUnavailable
from engine.connectors.messaging import MessageGateway
from engine.core.claims import claim_each, unclaimed
from engine.core.clock import utcnow
from engine.core.localtime import Phrase
from engine.core.mail import Mail, MailFailed, MailSender
from engine.core.services import Services
from engine.documents.models import Document
from engine.notifications.models import NotificationDelivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
STALE_CLAIM = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` failed ones."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


@dataclass
class Gateways:
    mail: MailSender
    sms: MessageGateway | None = None
    whatsapp: MessageGateway | None = None
    # document id → (file name, PDF bytes), for the signed permit an email carries
    attachment: Callable[[int], tuple[str, bytes]] | None = None


def gateways_of(session: Session, services: Services) -> Gateways:
    connectors = services.connectors

    def attachment(document_id: int) -> tuple[str, bytes]:
        document = session.get(Document, document_id)
        name = f"{(document.number or document.title).replace('/', '-')}.pdf"
        return name, services.files.read(document.sha256)

    return Gateways(
        mail=services.mail,
        sms=connectors.sms if connectors else None,
        whatsapp=connectors.whatsapp if connectors else None,
        attachment=attachment,
    )


def _send(session: Session, gateways: Gateways, row: NotificationDelivery, now: datetime) -> None:
    if row.channel == "email":
        files = ()
        if row.attachment_document_id and gateways.attachment is not None:
            name, content = gateways.attachment(row.attachment_document_id)
            files = ((name, content, "application/pdf"),)
        gateways.mail.send(
            Mail(row.address, row.subject, row.text, attachments=files, message_id=f"pemberitahuan-{row.id}")
        )
        return
    gateway = getattr(gateways, row.channel, None)
    if gateway is None:
        raise ConnectorUnavailable(Phrase("Gateway %(channel)s tidak tersambung.", channel=row.channel))
    logged(
        session,
        row.channel,
        "kirim_pesan",
        Asker("pemberitahuan", application_id=row.notification.application_id),
        row.address,
        lambda: gateway.send(row.address, row.text, f"pemberitahuan-{row.id}"),
        lambda _id: "terkirim",
        now,
    )


def deliver_pending(
    session: Session, gateways: Gateways, now: datetime | None = None, limit: int = 200, ids: list[int] | None = None
) -> int:
    """Send what is due (or just ``ids``, right after the commit that wrote them). Commits per delivery;
    returns how many were sent."""
    now = now or utcnow()
    due = select(NotificationDelivery.id).where(
        NotificationDelivery.status == "menunggu",
        unclaimed(NotificationDelivery, now, STALE_CLAIM),
        NotificationDelivery.next_try_at <= now,
    )
    if ids is not None:
        due = due.where(NotificationDelivery.id.in_(ids))
    pending = list(session.scalars(due.order_by(NotificationDelivery.id).limit(limit)))
    session.rollback()  # the read's transaction must not hold what follows
    sent = 0
    for row in claim_each(
        session, NotificationDelivery, pending, NotificationDelivery.status == "menunggu", now, STALE_CLAIM
    ):
        try:
            _send(session, gateways, row, now)
        except (MailFailed, ConnectorUnavailable, ConnectorRefused, OSError) as exc:
            row.attempts += 1
            why = f"Server email tidak dapat dihubungi ({exc})" if row.channel == "email" else str(exc)
            row.claimed_at, row.last_error = None, why[:300]
            if row.attempts >= MAX_ATTEMPTS or isinstance(exc, ConnectorRefused):
                row.status = "gagal"  # a refusal is final: the same message would be refused again
            else:
                row.next_try_at = now + backoff(row.attempts)
            log.warning("Pemberitahuan %s lewat %s gagal (percobaan %s): %s", row.id, row.channel, row.attempts, exc)
        else:
            row.status, row.sent_at, row.attempts, row.last_error = "terkirim", now, row.attempts + 1, None
            sent += 1
        session.commit()
    return sent
