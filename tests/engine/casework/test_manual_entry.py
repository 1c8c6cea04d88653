"""Pencatatan Manual: paper work done during a declared outage, entered afterwards, keeps its original
times in the history, the service time and the audit (which also shows when it was entered)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.casework import manual_entry, queries
from engine.casework.manual_entry import PaperRecord
from engine.core.errors import ValidationFailed
from engine.core.files import Upload
from engine.core.models import AuditEvent
from engine.service_time import clock_status
from engine.workflow import definitions
from tests.factories import REKLAME, pdf_bytes, reklame_uploads
from tests.timeline import at, clock_of, declare_outage

SCAN = Upload("persetujuan", "formulir-kertas.pdf", pdf_bytes("Formulir permohonan bertanda tangan"))


def _paper_file(session, services, user, force):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    application = manual_entry.submit_on_paper(
        session,
        services,
        user("fo"),
        user("pemohon"),
        permit_type,
        dict(REKLAME),
        reklame_uploads(),
        SCAN,
        PaperRecord(force.id, at(2, 10), "REG-MANUAL/011"),
        now=at(4, 10),
    )
    session.commit()
    return application


def test_a_paper_submission_and_verification_keep_their_original_times(session, services, user):
    force = declare_outage(session, services, user, at(2, 8), at(3, 16), now=at(4, 9))
    application = _paper_file(session, services, user, force)
    assert application.submitted_at == at(2, 10)
    item = queries.open_items(session, application)[0]
    manual_entry.complete_on_paper(
        session,
        services,
        user("fo"),
        item.id,
        {"hasil_verifikasi": "lengkap"},
        [],
        PaperRecord(force.id, at(2, 14), "REG-MANUAL/011"),
        now=at(4, 10, 30),
    )
    session.commit()

    events = {
        e.action: e
        for e in session.scalars(
            select(AuditEvent).where(
                AuditEvent.application_id == application.id, AuditEvent.action != "entered_manually"
            )
        )
    }
    assert events["submitted"].at == at(2, 10) and events["task_completed"].at == at(2, 14)
    entries = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.application_id == application.id, AuditEvent.action == "entered_manually")
            .order_by(AuditEvent.id)
        )
    )
    assert [(e.at, e.summary["waktu_asli"], e.summary["rujukan"]) for e in entries] == [
        (at(4, 10), at(2, 10).isoformat(), "REG-MANUAL/011"),
        (at(4, 10, 30), at(2, 14).isoformat(), "REG-MANUAL/011"),
    ]
    assert entries[0].actor_id == user("fo").id

    # The receipt came out on paper at 14:00 on the 2nd; the outage stops the clock until the 3rd, 16:00.
    assert clock_of(session, application).started_at == at(2, 14)
    status = clock_status.status_of(session, services.calendar, application, now=at(4, 16))
    assert status.used_minutes == 8 * 60  # only Wednesday the 4th counts
    steps = [e.at for e in queries.history(session, application, public=True)]
    assert steps == [at(2, 10), at(2, 14)]


@pytest.mark.parametrize(
    "moment, message",
    [
        (at(4, 9, 30), "di dalam masa gangguan"),  # after the outage
        (at(1, 9), "di dalam masa gangguan"),  # before it
        (at(2, 9), "sebelum langkah terakhir"),  # before the submission it follows
        (at(9, 9), "masa depan"),
    ],
)
def test_an_original_time_outside_the_outage_or_out_of_order_is_refused(session, services, user, moment, message):
    force = declare_outage(session, services, user, at(2, 8), at(3, 16), now=at(4, 9))
    application = _paper_file(session, services, user, force)
    item = queries.open_items(session, application)[0]
    with pytest.raises(ValidationFailed) as refused:
        manual_entry.complete_on_paper(
            session,
            services,
            user("fo"),
            item.id,
            {"hasil_verifikasi": "lengkap"},
            [],
            PaperRecord(force.id, moment, "REG-MANUAL/012"),
            now=at(4, 10),
        )
    assert message in refused.value.errors["waktu_asli"]
    session.rollback()


def test_a_paper_record_needs_its_reference(session, services, user):
    force = declare_outage(session, services, user, at(2, 8), at(3, 16), now=at(4, 9))
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    with pytest.raises(ValidationFailed) as refused:
        manual_entry.submit_on_paper(
            session,
            services,
            user("fo"),
            user("pemohon"),
            permit_type,
            dict(REKLAME),
            reklame_uploads(),
            SCAN,
            PaperRecord(force.id, at(2, 10), ""),
            now=at(4, 10),
        )
    assert "rujukan" in refused.value.errors
