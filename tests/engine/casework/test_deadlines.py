"""Missed stage deadlines (escalation or fiktif positif) and BPMN timers, at frozen instants."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from engine.casework import deadlines, queries
from engine.core.models import AuditEvent
from engine.documents.models import Document
from engine.notifications.models import Notification
from engine.workflow.models import WorkItem
from tests.timeline import DAY, WIB, at, clock_of, step, submit


def _open_stage(session, application) -> str:
    session.expire_all()
    return ", ".join(i.stage for i in queries.open_items(session, application))


def test_a_missed_stage_is_escalated_once_under_the_default_policy(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    item = queries.open_items(session, application)[0]
    assert item.due_at.astimezone(WIB) == at(2, 16)  # front office: one working day, to closing time
    assert deadlines.sweep_stages(session, services, at(2, 15, 59)) == deadlines.StageSweep([], [])
    assert deadlines.sweep_stages(session, services, at(2, 16)) == deadlines.StageSweep([application.id], [])
    session.commit()
    assert deadlines.sweep_stages(session, services, at(4, 8)) == deadlines.StageSweep([], [])
    sent = session.scalars(select(Notification).where(Notification.kind == "tahap_terlambat")).all()
    assert sorted(n.role for n in sent) == ["kepala_dinas", "pengawas"]
    assert "Verifikasi Berkas" in sent[0].message
    assert _open_stage(session, application) == "Verifikasi Berkas"  # nothing decided on its behalf


def test_fiktif_positif_carries_the_application_to_a_sealed_permit_and_says_why(
    session, services, user, deadline_policy
):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    deadline_policy(application.permit_type.code, "fiktif_positif")
    # Verification (1 day, Monday 08:00-16:00) missed: deemed complete at its deadline, Monday 16:00,
    # though the sweep only looks on Tuesday morning; the receipt is issued and the clock starts then.
    assert deadlines.sweep_stages(session, services, at(3, 8)).deemed == [application.id]
    session.commit()
    assert _open_stage(session, application) == "Tim Teknis"
    assert clock_of(session, application).started_at.astimezone(WIB) == at(2, 16)
    # The technical team's stage (2 days from Monday 16:00: Wednesday 16:00) is shared by the survey
    # scheduling and the Berita Acara: the survey is deemed at Wednesday 16:00, and the Berita Acara,
    # which has no time left, at the same instant on the next look. The head's day ends Thursday
    # 16:00, handover Friday 16:00.
    for moment, next_stage in (
        (at(5, 8), "Tim Teknis"),
        (at(5, 8, 1), "Persetujuan Kepala Dinas"),
        (at(6, 8), "Penyerahan"),
        (at(9, 8), ""),
    ):
        assert deadlines.sweep_stages(session, services, moment).deemed == [application.id]
        session.commit()
        assert _open_stage(session, application) == next_stage
    session.expire_all()
    assert application.status == "selesai"
    clock = clock_of(session, application)
    # The service time ends with the permit, Thursday 16:00: three working days, on time.
    assert clock.ended_at.astimezone(WIB) == at(5, 16) and clock.used_minutes == 3 * DAY
    from engine.service_time import sla_stats

    assert sla_stats.report(session, ("2026-11", "2026-11")).total.on_time == 1
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    assert permit.signed and permit.signature == "segel" and permit.signer_id is None
    berita_acara = session.scalar(
        select(Document).where(Document.application_id == application.id, Document.kind == "berita_acara")
    )
    assert berita_acara.signature == "segel"
    reasons = [
        e.summary["alasan"]
        for e in session.scalars(
            select(AuditEvent)
            .where(AuditEvent.application_id == application.id, AuditEvent.action == "deemed_approved")
            .order_by(AuditEvent.id)
        )
    ]
    assert len(reasons) == 5
    assert reasons[0] == (
        "Tahap 'Verifikasi Berkas' (Verifikasi Berkas) tidak diputus dalam 1 hari kerja; "
        "dianggap disetujui (fiktif positif, PP 28/2025)."
    )


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by .ci/run")
def test_a_deemed_permit_says_so_on_its_face(session, services, user, deadline_policy, tmp_path):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    deadline_policy(application.permit_type.code, "fiktif_positif")
    for moment in (at(3, 8), at(5, 8), at(9, 8), at(10, 8)):
        deadlines.sweep_stages(session, services, moment)
        session.commit()
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    path = tmp_path / "izin.pdf"
    path.write_bytes(services.files.read(permit.sha256))
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "fiktif positif" in text and "a.n. KEPALA" in text


def test_payment_has_no_deemed_approval_so_it_is_escalated_even_under_fiktif_positif(
    session, services, user, deadline_policy
):
    application = _reklame_waiting_for_payment(session, services, user)
    item = queries.open_items(session, application)[0]
    item.due_at = at(4, 8)  # as a stage target on payment would set it
    session.commit()
    deadline_policy(application.permit_type.code, "fiktif_positif")
    assert deadlines.sweep_stages(session, services, at(4, 9)) == deadlines.StageSweep([application.id], [])
    assert _open_stage(session, application) == "Pembayaran Retribusi"


def _reklame_waiting_for_payment(session, services, user, due="2026-11-10"):
    """An Izin Reklame whose SKRD was issued on Tuesday 3 Nov 13:00, payable by ``due``."""
    application = submit(session, services, user, "izin-reklame", at(2, 8))
    moments = iter([at(2, 9), at(2, 13), at(3, 9), at(3, 13)])
    while _open_stage(session, application) != "Pembayaran Retribusi":
        step(session, services, user, application, next(moments), {"jatuh_tempo": due})
    return application


def test_the_clock_stops_while_the_skrd_waits_for_payment(session, services, user):
    application = _reklame_waiting_for_payment(session, services, user)  # SKRD issued Tuesday 13:00
    waiting = clock_of(session, application)
    assert waiting.stopped_by == "pembayaran" and waiting.deadline is None
    assert waiting.used_minutes == DAY + 4 * 60  # Monday 09:00 to Tuesday 13:00
    step(session, services, user, application, at(5, 10))  # paid and confirmed Thursday 10:00
    resumed = clock_of(session, application)
    assert resumed.stopped_by is None and resumed.used_minutes == DAY + 4 * 60
    # Ten working days less the 1.5 used: 8.5 days from Thursday 10:00 is Tuesday 17 Nov 14:00.
    assert resumed.deadline.astimezone(WIB) == at(17, 14)


def test_an_unpaid_skrd_lapses_the_application_when_its_due_date_has_passed(session, services, user):
    application = _reklame_waiting_for_payment(session, services, user)
    session.expire_all()
    due = datetime(2026, 11, 10, 23, 59, 59, tzinfo=WIB)  # the SKRD's jatuh tempo, to its last second
    assert application.next_timer_at == due
    assert deadlines.fire_due_timers(session, services, at(10, 23)) == []
    assert deadlines.fire_due_timers(session, services, at(11, 0)) == [application.id]
    session.commit()
    session.expire_all()
    assert application.status == "gugur" and application.next_timer_at is None
    assert "tidak dibayar sampai jatuh tempo 2026-11-10" in application.outcome_reason
    assert clock_of(session, application).ended_at is not None
    payment = session.scalar(
        select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.task_spec == "konfirmasi_pembayaran")
    )
    assert payment.state == "cancelled"
    fired = session.scalars(select(AuditEvent).where(AuditEvent.action == "timer_fired")).all()
    assert [e.summary["timer"] for e in fired] == [["lewat_jatuh_tempo"]]
    assert deadlines.fire_due_timers(session, services, at(12)) == []


def test_paying_in_time_cancels_the_timer(session, services, user):
    application = _reklame_waiting_for_payment(session, services, user)
    step(session, services, user, application, at(5, 10))
    session.expire_all()
    assert application.next_timer_at is None
    assert _open_stage(session, application) == "Persetujuan Kepala Dinas"


def test_a_step_at_a_frozen_instant_never_fires_timers_by_the_machine_clock(session, services, user):
    import time_machine

    application = _reklame_waiting_for_payment(session, services, user)  # payable to the end of 10 Nov
    # The machine's clock says June 2027, long past the SKRD's due date; the verbs are told 5 Nov.
    with time_machine.travel(datetime(2027, 6, 1, tzinfo=WIB), tick=True):
        assert deadlines.fire_due_timers(session, services, at(5, 9)) == []
        step(session, services, user, application, at(5, 10))  # paid and confirmed on Thursday 5 Nov
    session.expire_all()
    assert application.status == "diproses" and _open_stage(session, application) == "Persetujuan Kepala Dinas"
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "timer_fired")) is None


def test_a_timer_fires_when_the_sweep_says_so_and_is_audited(session, services, user):
    import time_machine

    application = _reklame_waiting_for_payment(session, services, user)
    # And the other way round: the machine says 1 Nov, the sweep is told 11 Nov.
    with time_machine.travel(datetime(2026, 11, 1, tzinfo=WIB), tick=True):
        assert deadlines.fire_due_timers(session, services, at(11, 0)) == [application.id]
        session.commit()
    session.expire_all()
    assert application.status == "gugur"
    fired = session.scalar(select(AuditEvent).where(AuditEvent.action == "timer_fired"))
    assert fired.at.astimezone(WIB) == at(11, 0) and fired.summary["timer"] == ["lewat_jatuh_tempo"]


def test_missed_stages_lists_the_newest_of_both_kinds_in_time_order_and_counts_all(session, services, user):
    from engine.core.audit import record

    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    kinds = ["stage_escalated", "deemed_approved", "task_completed"]
    for hour in range(12):  # alternating kinds, with other actions between them
        record(
            session,
            kinds[hour % 3],
            application=application,
            now=at(3, 8) + timedelta(hours=hour),
            summary={"tahap": f"tahap {hour}"},
        )
    session.commit()
    counts, latest = deadlines.missed_stages(session, at(3, 0), at(10, 0), limit=3)
    assert counts == {"stage_escalated": 4, "deemed_approved": 4}
    assert [m.stage for m in latest] == ["tahap 10", "tahap 9", "tahap 7"]
    assert [m.deemed for m in latest] == [True, False, True]
    _, within_type = deadlines.missed_stages(session, at(3, 0), at(10, 0), [application.permit_type_id], limit=3)
    _, other_type = deadlines.missed_stages(session, at(3, 0), at(10, 0), [application.permit_type_id + 99])
    assert [m.stage for m in within_type] == ["tahap 10", "tahap 9", "tahap 7"] and other_type == []
