"""Help-desk threads: an applicant's consultation answered by the front office, a staff question answered
by the admin; each sees only what is theirs to see."""

from __future__ import annotations

import pytest

from engine.core.errors import Conflict, PermissionDenied, ValidationFailed
from engine.public_data import helpdesk


def test_a_consultation_is_answered_by_the_front_office_and_closed(session, user):
    applicant, fo, teknis = user("pemohon"), user("fo"), user("teknis")
    thread = helpdesk.open_thread(session, applicant, "Syarat izin reklame", "Apakah perlu IMB untuk papan nama toko?")
    assert thread.kind == "konsultasi" and thread.status == "terbuka"
    assert thread in helpdesk.threads_for(session, fo) and thread not in helpdesk.threads_for(session, teknis)
    with pytest.raises(PermissionDenied):
        helpdesk.get_thread(session, teknis, thread.id)
    helpdesk.reply(session, fo, thread.id, "Tidak perlu untuk papan nama di bawah 2 m².")
    assert thread.status == "dijawab"
    helpdesk.reply(session, applicant, thread.id, "Terima kasih, bagaimana dengan neon box?")
    assert thread.status == "terbuka" and len(thread.messages) == 3
    helpdesk.close(session, applicant, thread.id)
    with pytest.raises(Conflict):
        helpdesk.reply(session, fo, thread.id, "Balasan terlambat.")
    session.rollback()


def test_a_staff_question_goes_to_the_admins_only(session, user):
    question = helpdesk.open_thread(
        session, user("teknis"), "Foto gagal diunggah", "Unggahan foto survei selalu gagal."
    )
    assert question.kind == "bantuan"
    assert question in helpdesk.threads_for(session, user("admin"))
    assert question not in helpdesk.threads_for(session, user("fo"))
    with pytest.raises(ValidationFailed):
        helpdesk.open_thread(session, user("teknis"), "x", "y")
    session.rollback()
