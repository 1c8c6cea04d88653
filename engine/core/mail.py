"""Sending email: one interface, three senders. SMTP in production; in development and tests a
folder of ``.eml`` files (or the log) stands in for the mail server, so nothing leaves the machine."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from engine.core.clock import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    # (file name, content, MIME type) of each file it carries.
    attachments: tuple[tuple[str, bytes, str], ...] = ()
    # A stable id lets a mail program (and our development sink) see a resent mail as the same one.
    message_id: str | None = None


class MailSender(Protocol):
    def send(self, mail: Mail) -> None:
        """Deliver ``mail`` or raise ``MailFailed``."""


class MailFailed(Exception):
    pass


def _message(mail: Mail, sender: str, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    domain = sender.rpartition("@")[2].strip(">") or "localhost"
    message["Message-ID"] = f"<{mail.message_id}@{domain}>" if mail.message_id else make_msgid(domain=domain)
    message.set_content(mail.body)
    for name, content, mime in mail.attachments:
        main, _, sub = mime.partition("/")
        message.add_attachment(content, maintype=main, subtype=sub or "octet-stream", filename=name)
    return message


@dataclass
class SmtpSender:
    host: str
    port: int = 587
    sender: str = "noreply@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 20.0

    def send(self, mail: Mail) -> None:
        message = _message(mail, self.sender, utcnow())
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailFailed(f"{type(exc).__name__}: {exc}") from exc


@dataclass
class FileSender:
    """Each message as a ``.eml`` file in ``directory`` (readable by any mail program)."""

    directory: Path
    sender: str = "noreply@localhost"

    def send(self, mail: Mail) -> None:
        now = utcnow()
        self.directory.mkdir(parents=True, exist_ok=True)
        message = _message(mail, self.sender, now)
        safe_to = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in mail.to)[:80]
        path = self.directory / f"{now:%Y%m%dT%H%M%S%f}-{safe_to}.eml"
        path.write_bytes(bytes(message))
        path.chmod(0o600)  # reset links are secrets


@dataclass
class ConsoleSender:
    sender: str = "noreply@localhost"

    def send(self, mail: Mail) -> None:
        log.warning("Email untuk %s: %s\n%s", mail.to, mail.subject, mail.body)


# --- the outbox: queued with the change that asks for the mail, sent by the scheduler -------------

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=10)


def queue(session, mail: Mail, now: datetime | None = None) -> None:
    from engine.core.models import OutboxMail

    session.add(
        OutboxMail(recipient=mail.to[:255], subject=mail.subject[:255], body=mail.body, created_at=now or utcnow())
    )


def deliver_pending(session, sender: MailSender, now: datetime | None = None, limit: int = 100) -> int:
    """Send what the outbox holds, each mail claimed first so two schedulers never send it twice;
    a failed send is tried again at the next sweep, up to five times. Commits per mail."""
    from sqlalchemy import select

    from engine.core.claims import claim_each, unclaimed
    from engine.core.models import OutboxMail

    now = now or utcnow()
    pending = list(
        session.scalars(
            select(OutboxMail.id)
            .where(
                OutboxMail.sent_at.is_(None),
                unclaimed(OutboxMail, now, STALE_CLAIM),
                OutboxMail.attempts < MAX_ATTEMPTS,
            )
            .order_by(OutboxMail.id)
            .limit(limit)
        )
    )
    sent = 0
    for row in claim_each(session, OutboxMail, pending, OutboxMail.sent_at.is_(None), now, STALE_CLAIM):
        try:
            sender.send(Mail(row.recipient, row.subject, row.body))
        except MailFailed as exc:
            row.claimed_at, row.attempts, row.last_error = None, row.attempts + 1, str(exc)[:300]
            log.warning("Email %s ke %s gagal dikirim (percobaan %s): %s", row.id, row.recipient, row.attempts, exc)
        else:
            row.sent_at, row.attempts, row.body = now, row.attempts + 1, ""  # links in it are secrets
            sent += 1
        session.commit()
    return sent


def sender_from(settings: dict, instance_path: str) -> MailSender:
    """The sender a configuration names: ``MAIL_BACKEND`` smtp, file (default) or console."""
    backend = (settings.get("MAIL_BACKEND") or "file").lower()
    sender = settings.get("MAIL_FROM") or "noreply@localhost"
    if backend == "smtp":
        return SmtpSender(
            host=settings["SMTP_HOST"],
            port=int(settings.get("SMTP_PORT") or 587),
            sender=sender,
            username=settings.get("SMTP_USERNAME") or None,
            password=settings.get("SMTP_PASSWORD"),
            starttls=str(settings.get("SMTP_STARTTLS", "1")).lower() not in ("0", "false", "no"),
        )
    if backend == "console":
        return ConsoleSender(sender)
    return FileSender(Path(settings.get("MAIL_DIR") or Path(instance_path) / "mail"), sender)
