"""Telling a person of an event: one in-app notice, and one delivery per channel they chose, all
written in the transaction of the change that caused it (``notify``); the scheduler sends the
deliveries after commit (``delivery``). An event has a key, so the step that causes it can run
again (a retried request, a replayed bank notification) without a second notice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.connectors.messaging import msisdn
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.notifications.models import Notification, NotificationDelivery, NotificationPreference
from engine.notifications.templates import render
from engine.notifications.wordings import COMMON, EVENTS, LANGUAGES

CHANNELS = {"email": "Email", "sms": "SMS", "whatsapp": "WhatsApp"}
# Addresses that reach nobody: the system's own accounts (the bank's, for instance).
_NOWHERE = "@sistem.invalid"


def preference_of(session: Session, user: User) -> NotificationPreference:
    """The person's choice, or the default (email, and WhatsApp when they gave a number)."""
    found = session.get(NotificationPreference, user.id)
    return found or NotificationPreference(
        user_id=user.id, email=True, sms=False, whatsapp=True, attach_pdf=True, language="id"
    )


def addresses(user: User, preference: NotificationPreference) -> dict[str, str]:
    """channel → address, for the channels chosen that this person can be reached on."""
    out = {}
    if preference.email and user.email and not user.email.endswith(_NOWHERE):
        out["email"] = user.email
    phone = msisdn(user.phone)
    if phone and preference.sms:
        out["sms"] = phone
    if phone and preference.whatsapp:
        out["whatsapp"] = phone
    return out


def set_preference(
    session: Session,
    user: User,
    *,
    email: bool,
    sms: bool,
    whatsapp: bool,
    attach_pdf: bool,
    language: str,
    now: datetime | None = None,
) -> NotificationPreference:
    """The person chooses how to hear from the agency. The in-app notice always stays.
    Audit ``notification_preference_changed``."""
    preference = session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        session.add(preference)
    preference.email, preference.sms, preference.whatsapp = bool(email), bool(sms), bool(whatsapp)
    preference.attach_pdf = bool(attach_pdf)
    preference.language = language if language in LANGUAGES else "id"
    record(
        session,
        "notification_preference_changed",
        actor=user,
        now=now or utcnow(),
        summary={
            "email": preference.email,
            "sms": preference.sms,
            "whatsapp": preference.whatsapp,
            "lampiran": preference.attach_pdf,
            "bahasa": preference.language,
        },
    )
    return preference


def notice_key(event: str, key: str, user: User | None) -> str:
    """The identity of one event told to one person (unique in ``notifications.key``)."""
    return f"{event}:{key}:{user.id if user else 'anon'}"[:160]


def _known(session: Session, key: str) -> bool:
    if any(isinstance(o, Notification) and o.key == key for o in session.new):
        return True
    return session.scalar(select(Notification.id).where(Notification.key == key)) is not None


def notify(
    session: Session,
    user: User | None,
    event: str,
    key: str,
    facts: dict,
    *,
    application=None,
    link: str = "",
    attachment_id: int | None = None,
    now: datetime | None = None,
    only: dict[str, str] | None = None,
    reachable: frozenset[str] = frozenset(CHANNELS),
) -> Notification | None:
    """Tell ``user`` of ``event`` once: the notice (None if this event was told already or there is
    nobody to tell) and its deliveries. ``facts``: the event's facts (missing ones read as empty);
    ``only``: channel → address, to answer on the channel a message came from instead of the
    person's choice (the SMS status check); ``reachable``: the channels this installation has."""
    if user is None and only is None:
        return None
    now = now or utcnow()
    key = notice_key(event, key, user)
    if _known(session, key):
        return None
    preference = preference_of(session, user) if user else NotificationPreference(language="id", attach_pdf=False)
    every = {name: "" for name in (*COMMON, *EVENTS[event].facts)}
    every.update({name: "" if value is None else str(value) for name, value in facts.items() if name in every})
    text = render(session, event, preference.language, every)
    notice = Notification(
        user_id=user.id if user else None,
        application_id=getattr(application, "id", None),
        kind=event,
        key=key,
        title=text.subject[:200],
        message=text.body,
        link=link[:300] or None,
        created_at=now,
    )
    session.add(notice)
    for channel, address in (only if only is not None else addresses(user, preference)).items():
        if channel not in reachable:
            continue
        email = channel == "email"
        notice.deliveries.append(
            NotificationDelivery(
                channel=channel,
                address=address[:255],
                subject=text.subject if email else "",
                text=text.body if email else text.short,
                status="menunggu",
                attempts=0,
                next_try_at=now,
                created_at=now,
                attachment_document_id=attachment_id if email and preference.attach_pdf else None,
            )
        )
    return notice


# --- reading them -----------------------------------------------------------------------------------


def for_user(session: Session, user: User, limit: int = 20) -> list[Notification]:
    """The person's own notices, newest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.withdrawn_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None), Notification.withdrawn_at.is_(None))
        )
        or 0
    )


def mark_read(session: Session, user: User, now: datetime | None = None) -> int:
    """Every notice of the person's counts as read (they opened the list)."""
    return session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    ).rowcount


def deliveries_of(session: Session, application_id: int) -> list[NotificationDelivery]:
    """What was sent about a file, on which channel, and how it went (for staff and the applicant)."""
    return list(
        session.scalars(
            select(NotificationDelivery)
            .join(Notification)
            .where(Notification.application_id == application_id)
            .order_by(NotificationDelivery.id)
        )
    )
