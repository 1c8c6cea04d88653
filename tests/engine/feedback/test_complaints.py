"""Complaints through the LAPOR! timelines, counted in working days: filed by anyone, tracked by code,
acknowledged within 3 working days, answered within 5 or 10; a missed deadline is escalated once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.errors import Conflict, PermissionDenied, ValidationFailed
from engine.core.files import Upload
from engine.core.models import OutboxMail
from engine.feedback import complaints
from engine.notifications.models import Notification
from engine.service_time import sla
from tests.factories import pdf_bytes
from tests.timeline import WIB, at

TEXT = "Petugas loket meminta uang tambahan di luar SKRD saat penyerahan izin."


def _calendar(session, services):
    return sla.calendar_for(session, services.calendar, at(2, 9))


def test_an_anonymous_complaint_is_tracked_acknowledged_and_answered_within_its_working_days(session, services, user):
    calendar = _calendar(session, services)
    filed = complaints.file(
        session,
        calendar,
        services.files,
        category="biaya",
        description=TEXT,
        attachments=[Upload("lampiran", "bukti.pdf", pdf_bytes("bukti"))],
        now=at(6, 15),
    )  # Friday
    session.commit()
    assert filed.code.startswith("ADU-") and filed.user_id is None and filed.name is None
    # Three working days from Friday 15:00: Monday, Tuesday, Wednesday, 15:00; then ten more for a fee complaint.
    assert filed.ack_due_at.astimezone(WIB) == at(11, 15)
    assert complaints.by_code(session, filed.code.lower()).id == filed.id
    with pytest.raises(PermissionDenied):
        complaints.acknowledge(session, calendar, user("pemohon"), filed.code, "Bidang Pelayanan", now=at(9, 9))
    complaints.acknowledge(session, calendar, user("fo"), filed.code, "Bidang Pelayanan", now=at(9, 9))  # Monday
    assert filed.answer_due_at.astimezone(WIB) == at(23, 9)  # ten working days from Monday 9 Nov 09:00
    complaints.answer(
        session,
        user("kadis"),
        filed.code,
        "Petugas telah diperiksa dan diberi sanksi; uang dikembalikan.",
        publish=True,
        now=at(12, 10),
    )
    assert filed.status == "dijawab" and not filed.published  # no consent, not published
    complaints.close(session, user("fo"), filed.code, now=at(13, 10))
    assert filed.status == "ditutup"
    with pytest.raises(Conflict):
        complaints.answer(session, user("kadis"), filed.code, "Jawaban kedua yang tidak boleh masuk.", publish=False)


def test_a_complaint_left_unanswered_past_its_deadline_is_escalated_once(session, services, user):
    calendar = _calendar(session, services)
    filed = complaints.file(
        session,
        calendar,
        services.files,
        category="pelayanan",
        description=TEXT,
        email="warga@contoh.test",
        publish_consent=True,
        now=at(2, 9),
    )  # Monday
    session.commit()
    assert complaints.escalate_late(session, now=at(5, 8, 59)) == 0  # Thursday before 09:00: in time
    assert complaints.escalate_late(session, now=at(5, 9, 1)) == 1  # not acknowledged within 3 working days
    assert complaints.escalate_late(session, now=at(6, 9)) == 0  # once
    # The answer was due 5 working days after the acknowledgement deadline: Thursday 12 Nov 09:00.
    assert filed.answer_due_at.astimezone(WIB) == at(12, 9)
    assert complaints.escalate_late(session, now=at(12, 9, 1)) == 1
    assert complaints.escalate_late(session, now=at(20, 9)) == 0
    session.commit()
    notes = session.scalars(select(Notification).where(Notification.kind == "pengaduan_terlambat")).all()
    assert sorted({n.role for n in notes}) == ["kepala_dinas", "pengawas"] and len(notes) == 4
    complaints.answer(
        session,
        user("kadis"),
        filed.code,
        "Berkas Anda sudah kami proses ulang dan selesai hari ini.",
        publish=True,
        now=at(13, 9),
    )
    assert filed.published and complaints.published_answers(session)[0].code == filed.code
    mail = session.scalar(select(OutboxMail).where(OutboxMail.recipient == "warga@contoh.test"))
    assert filed.code in mail.subject and "proses ulang" in mail.body
    assert complaints.counts(session, at(13, 10))["terlambat"] == 0
    [row] = complaints.lapor_rows(session)
    assert row["kode"] == filed.code and row["kontak_pelapor"] == "warga@contoh.test" and row["jawaban"]


def test_a_short_or_uncategorised_complaint_is_explained(session, services):
    with pytest.raises(ValidationFailed) as refused:
        complaints.file(
            session,
            _calendar(session, services),
            services.files,
            category="x",
            description="jelek",
            email="bukan-email",
        )
    assert set(refused.value.errors) == {"kategori", "uraian", "email"}
