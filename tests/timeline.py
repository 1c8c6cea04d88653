"""Frozen-time helpers: real applications stepped along the happy path at given instants."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from engine.casework import queries
from engine.casework.applications import submit_application
from engine.casework.tasks import complete_task
from engine.core.localtime import local
from engine.documents.documents import SignatureRequest
from engine.service_time import force_majeure, sla
from engine.service_time.models import ServiceClock
from engine.workflow import definitions
from tests.factories import REKLAME, SIP, STAFF_FOR_ROLE, happy_path, reklame_uploads, sip_uploads
from webapp.seeding import DEMO_PASSPHRASE

WIB = ZoneInfo("Asia/Jakarta")
DAY = 8 * 60


def at(d, hh=8, mm=0, month=11):
    return datetime(2026, month, d, hh, mm, tzinfo=WIB)


def submit(session, services, user, code, now):
    permit_type = definitions.permit_type_by_code(session, code)
    data, uploads = (dict(REKLAME), reklame_uploads()) if code == "izin-reklame" else (dict(SIP), sip_uploads())
    application = submit_application(session, services, permit_type, user("pemohon"), data, uploads, now=now)
    session.commit()
    return application


def step(session, services, user, application, now, overrides=None):
    item = queries.open_items(session, application)[0]
    data, uploads = happy_path(local(now, "WIB").date()).get(item.task_spec, ({}, []))
    who = user("pemohon") if item.role == "pemohon" else user(STAFF_FOR_ROLE[item.role])
    if item.role == "pemohon":
        data, uploads = (dict(SIP), []) if application.permit_type.code == "surat-izin-praktik" else (dict(REKLAME), [])
    signature = SignatureRequest(DEMO_PASSPHRASE) if item.signs else None
    complete_task(
        session, services, item.id, who, {**data, **(overrides or {})}, list(uploads), now=now, signature=signature
    )
    session.commit()
    return item


def clock_of(session, application) -> ServiceClock:
    session.expire_all()
    return session.get(ServiceClock, application.id)


def waiting_for_payment(session, services, user, due="2026-11-10"):
    """An Izin Reklame whose SKRD was issued Tuesday 3 Nov 13:00, payable to the end of ``due``."""
    application = submit(session, services, user, "izin-reklame", at(2, 8))
    for moment in (at(2, 9), at(2, 13), at(3, 9), at(3, 13)):
        step(session, services, user, application, moment, {"jatuh_tempo": due})
    assert [i.stage for i in queries.open_items(session, application)] == ["Pembayaran Retribusi"]
    return application


OUTAGE = "Jaringan fiber ke gedung layanan putus total."


def declare_outage(session, services, user, start, end=None, now=None, codes=None):
    """A network outage declared by the Kepala Dinas (for ``codes``, or every permit type)."""
    now = now or start
    calendar = sla.calendar_for(session, services.calendar, now)
    force = force_majeure.declare_force_majeure(
        session,
        calendar,
        user("kadis"),
        category="kerusakan_jaringan",
        description=OUTAGE,
        permit_type_codes=codes,
        started_at=start,
        ended_at=end,
        now=now,
    )
    session.commit()
    return force
