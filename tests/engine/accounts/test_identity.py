"""The applicant's identity checked with the population registry (simulator over real HTTP)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from engine.accounts import identity, users
from engine.accounts.models import User
from engine.connectors.calls import Asker
from engine.connectors.models import ConnectorCall
from engine.core.models import AuditEvent
from engine.core.roles import APPLICANT
from tests.timeline import at


def test_a_matching_applicant_is_verified_and_the_check_is_audited_with_the_nik_masked(session, agencies, user):
    applicant = user("pemohon")
    status = identity.check_identity(
        session, agencies.connectors, applicant, Asker("registrasi akun", actor_id=applicant.id), at(2, 9)
    )
    assert status == "cocok" and applicant.identity_checked_at == at(2, 9)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "identity_checked")).one()
    assert event.actor_id == applicant.id
    assert event.summary == {"nik": "3171********0001", "tujuan": "registrasi akun", "hasil": "Terverifikasi Dukcapil"}
    assert applicant.nik not in str(event.summary)


def test_a_mismatch_names_the_fields_that_differ(session, agencies, user):
    applicant = user("pemohon")
    applicant.birth_date = date(1980, 2, 1)
    assert identity.check_identity(session, agencies.connectors, applicant, Asker("uji"), at(2, 9)) == "tidak_cocok"
    assert applicant.identity_mismatch == ["tanggal lahir"]
    assert identity.describe(applicant) == "Tidak cocok dengan data Dukcapil: tanggal lahir"


def test_a_registry_that_does_not_answer_leaves_the_applicant_pending_then_the_scheduler_checks_again(
    session, agencies, user
):
    applicant = user("pemohon")
    agencies.mode("dukcapil", "mati")
    assert identity.check_identity(session, agencies.connectors, applicant, Asker("uji"), at(2, 9)) == "belum"
    assert applicant.identity_tried_at == at(2, 9) and applicant.identity_checked_at is None
    assert session.scalar(select(ConnectorCall.ok)) is False
    agencies.mode("dukcapil", "normal")
    identity.recheck_pending(session, agencies.connectors, at(2, 9) + timedelta(minutes=5))
    assert applicant.identity_status == "belum" and applicant.identity_tried_at == at(2, 9), (
        "not again before the retry delay"
    )
    checked, waiting = identity.recheck_pending(session, agencies.connectors, at(2, 9) + identity.RETRY_AFTER)
    assert checked >= 1 and waiting == 0 and applicant.identity_status == "cocok"
    assert (
        session.scalars(select(ConnectorCall.purpose).order_by(ConnectorCall.id)).all()[-1]
        == "pemeriksaan ulang terjadwal"
    )


def test_the_scheduler_pass_asks_about_applicants_only_and_stops_at_the_first_unanswered_check(session, agencies, user):
    other = users.create_user(
        session,
        None,
        name="Ahmad Fauzi",
        email="ahmad.f@contoh.test",
        password="Kerbau-Merah-Terbang-77!",
        roles=[APPLICANT],
        nik="3273012002900003",
    )
    agencies.mode("dukcapil", "mati")
    before = agencies.calls("dukcapil")
    checked, waiting = identity.recheck_pending(session, agencies.connectors, at(2, 9))
    assert checked == 0 and waiting >= 2, "at least the two applicants wait"
    assert session.scalar(select(User.identity_tried_at).where(User.email == "kadis@demo.test")) is None, (
        "the officers with a NIK are not asked about"
    )
    assert agencies.calls("dukcapil") - before == 3, "one check (its three attempts), not one per account"
    assert other.identity_status == "belum"


def test_nothing_is_asked_when_the_registry_is_not_connected(session, user):
    applicant = user("pemohon")
    assert identity.check_identity(session, None, applicant, Asker("uji"), at(2, 9)) == "belum"
    assert applicant.identity_tried_at is None and session.scalar(select(ConnectorCall.id)) is None
