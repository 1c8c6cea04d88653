"""Every event of an Izin Reklame tells the applicant once, on each channel they chose, and a mail
server that goes away delays the mail without losing it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.casework import permits
from engine.casework.tasks import complete_task
from engine.connectors.messaging import msisdn
from engine.core.clock import utcnow
from engine.documents.documents import SignatureRequest
from engine.documents.models import Document
from engine.notifications import events, notices
from engine.notifications.delivery import deliver_pending, gateways_of
from engine.notifications.models import Notification, NotificationDelivery
from engine.service_time import force_majeure, sla
from tests.factories import REKLAME, finish, open_item, reklame_uploads, submit, work
from webapp.seeding import DEMO_PASSPHRASE

RETURN = {"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "Foto lokasi kurang jelas; unggah foto siang hari."}
REFUSE = {"hasil_verifikasi": "tidak_memenuhi", "alasan_penolakan": "Lokasi berada di kawasan larangan reklame."}


def _notices(session, application) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(Notification.application_id == application.id).order_by(Notification.id)
        )
    )


def _choose_every_channel(session, applicant):
    notices.set_preference(session, applicant, email=True, sms=True, whatsapp=True, attach_pdf=True, language="id")
    session.commit()


def test_an_izin_reklame_tells_each_event_once_on_email_sms_and_whatsapp(session, services, user, messaging):
    applicant = user("pemohon")
    _choose_every_channel(session, applicant)
    phone = msisdn(applicant.phone)
    gateways = gateways_of(session, services)
    application = submit(session, services, user)
    work(session, services, user, application, RETURN)
    fix = open_item(session, application)
    complete_task(session, services, fix.id, applicant, dict(REKLAME), reklame_uploads())
    session.commit()
    assert deliver_pending(session, gateways) == 6  # received and returned, on three channels

    messaging.sink.stop()  # the mail server goes away for the rest of the file
    while application.status == "diproses":
        work(session, services, user, application)
        deliver_pending(session, gateways)
    assert application.status == "selesai"
    waiting = list(
        session.scalars(
            select(NotificationDelivery).where(
                NotificationDelivery.channel == "email", NotificationDelivery.status == "menunggu"
            )
        )
    )
    assert len(waiting) == 4 and all(d.attempts >= 1 and d.last_error for d in waiting)
    assert deliver_pending(session, gateways) == 0  # not yet due again: nothing is hammered
    messaging.sink.start()
    assert deliver_pending(session, gateways, now=utcnow() + timedelta(hours=1)) == 4
    assert deliver_pending(session, gateways, now=utcnow() + timedelta(hours=2)) == 0

    told = _notices(session, application)
    assert [n.kind for n in told] == ["diterima", "dikembalikan", "tanda_terima", "skrd", "pembayaran", "izin_terbit"]
    assert all(n.user_id == applicant.id and n.message.startswith("Yth. Budi Santoso") for n in told)
    for notice in told:
        assert sorted(d.channel for d in notice.deliveries) == ["email", "sms", "whatsapp"]
        assert {d.status for d in notice.deliveries} == {"terkirim"}
    mails = messaging.to(applicant.email, "email")
    assert len(mails) == 6 and all(m.sends == 1 for m in mails)  # each once, none twice
    assert len(messaging.to(phone, "sms")) == 6 and len(messaging.to(phone, "whatsapp")) == 6
    assert all(m.sends == 1 for m in messaging.state.messages)

    by_kind = {n.kind: n for n in told}
    assert "Foto lokasi kurang jelas" in by_kind["dikembalikan"].message
    skrd = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "skrd"))
    [skrd_mail] = [m for m in mails if skrd.number in m.subject]
    assert "7.200.000" in skrd_mail.text and "Jatuh tempo:" in skrd_mail.text and "loket" in skrd_mail.text
    [skrd_sms] = [m for m in messaging.to(phone, "sms") if skrd.number in m.text and "jatuh tempo" in m.text]
    assert "Rp" in skrd_sms.text and "7.200.000" in skrd_sms.text and "jatuh tempo" in skrd_sms.text
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    [permit_mail] = [m for m in mails if permit.number in m.subject]
    assert permit_mail.attachments == [f"{permit.number.replace('/', '-')}.pdf"]
    assert services.verify_url(permit.verify_code) in permit_mail.text

    # Replaying a step's effects (a retried request) tells nobody twice.
    events.step_taken(
        session, services, application, issued=[permit], returned=[], data={}, deadline=None, now=utcnow()
    )
    session.flush()
    assert len(_notices(session, application)) == 6
    session.rollback()


def test_a_refusal_a_revocation_and_a_force_majeure_are_told(session, services, user, messaging):
    applicant = user("pemohon")
    refused = submit(session, services, user)
    work(session, services, user, refused, REFUSE)
    assert refused.status == "ditolak"
    [notice] = [n for n in _notices(session, refused) if n.kind == "ditolak"]
    assert REFUSE["alasan_penolakan"] in notice.message and notice.deliveries[0].attachment_document_id

    waiting = submit(session, services, user)
    calendar = sla.calendar_for(session, services.calendar)
    force = force_majeure.declare_force_majeure(
        session,
        calendar,
        user("kadis"),
        category="kerusakan_jaringan",
        description="Jaringan pusat data terputus total.",
        permit_type_codes=None,
        started_at=utcnow() - timedelta(hours=1),
        services=services,
    )
    session.commit()
    force_majeure.end_force_majeure(session, calendar, user("kadis"), force.id, services=services)
    session.commit()
    kinds = [n.kind for n in _notices(session, waiting)]
    assert kinds == ["diterima", "layanan_dihentikan", "perpanjangan_waktu"]
    assert [n.kind for n in _notices(session, refused)].count("perpanjangan_waktu") == 0  # closed files are not told

    done = finish(session, services, user, submit(session, services, user))
    permit = session.scalar(select(Document).where(Document.application_id == done.id, Document.kind == "izin"))
    permits.end_permit(
        session,
        services,
        user("kadis"),
        permit.id,
        "pencabutan",
        "Reklame dipasang di luar lokasi yang diizinkan.",
        "Perda Kota Contoh No. 3 Tahun 2020 Pasal 12",
        SignatureRequest(DEMO_PASSPHRASE),
    )
    session.commit()
    [revoked] = [n for n in _notices(session, done) if n.kind == "izin_dicabut"]
    assert permit.number in revoked.message and "dicabut" in revoked.message
    deliver_pending(session, gateways_of(session, services))
    assert any("dicabut" in m.text for m in messaging.to(applicant.email, "email"))


def test_a_permit_is_reminded_once_at_90_60_and_30_days_before_it_ends(session, services, user):
    application = finish(session, services, user, submit(session, services, user))
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    ends = permit.valid_until
    assert events.remind_expiring(session, services, ends - timedelta(days=120)) == 0
    assert events.remind_expiring(session, services, ends - timedelta(days=90)) == 1
    session.commit()
    assert events.remind_expiring(session, services, ends - timedelta(days=89)) == 0  # once
    assert events.remind_expiring(session, services, ends - timedelta(days=60)) == 1
    # A job that was away for the 30-day mark sends that one, once, not a pile.
    assert events.remind_expiring(session, services, ends - timedelta(days=12)) == 1
    assert events.remind_expiring(session, services, ends - timedelta(days=11)) == 0
    session.commit()
    reminders = [n for n in _notices(session, application) if n.kind == "izin_berakhir"]
    assert len(reminders) == 3 and "90 hari lagi" in reminders[0].title and "12 hari lagi" in reminders[2].title
    assert permit.number in reminders[0].message
    assert events.remind_expiring(session, services, ends + timedelta(days=1)) == 0  # ended: no more
