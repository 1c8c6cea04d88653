"""Pencatatan Manual through the pages: the front office enters a paper submission and its verification
from a declared outage; tracking shows the original times."""

import io
from datetime import timedelta

from sqlalchemy import select

from engine.core.clock import utcnow
from engine.core.localtime import format_datetime, local
from engine.core.models import AuditEvent
from engine.workflow.models import Application, WorkItem
from tests.factories import REKLAME, pdf_bytes
from tests.timeline import declare_outage
from tests.webapp.test_pages import REKLAME_FILES, _files


def _field(moment) -> str:
    return local(moment, "WIB").strftime("%Y-%m-%dT%H:%M")


def test_paper_work_from_an_outage_is_entered_with_its_original_times(app, login, session, services, user):
    # An outage of the last days (the form offers those of the last two months), recorded afterwards.
    start = local(utcnow(), "WIB").replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=3)
    force = declare_outage(session, services, user, start, start + timedelta(days=1, hours=8), now=utcnow())
    submitted, verified = start + timedelta(hours=2), start + timedelta(hours=6)
    desk = login("fo", app.test_client())
    person = user("pemohon")
    form_url = f"/petugas/loket/{person.id}/izin-reklame"
    assert "Pencatatan manual" in desk.get(form_url).get_data(as_text=True)
    paper = {"keadaan_kahar": str(force.id), "waktu_asli": _field(submitted), "rujukan": "REG-MANUAL/021"}
    outside = desk.post(
        form_url,
        data={
            **REKLAME,
            **_files(REKLAME_FILES),
            **paper,
            "waktu_asli": _field(start + timedelta(days=2)),
            "persetujuan": (io.BytesIO(pdf_bytes("kertas")), "kertas.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert outside.status_code == 422 and "di dalam masa gangguan" in outside.get_data(as_text=True)
    done = desk.post(
        form_url,
        data={**REKLAME, **paper, "persetujuan": (io.BytesIO(pdf_bytes("kertas")), "kertas.pdf")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 200, done.get_data(as_text=True)[:1500]
    application = session.scalar(select(Application).order_by(Application.id.desc()))
    assert application.submitted_at == submitted

    item = session.scalar(select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open"))
    assert desk.post(f"/petugas/tugas/{item.id}/ambil").status_code == 302
    task = desk.post(
        f"/petugas/tugas/{item.id}",
        data={
            "hasil_verifikasi": "lengkap",
            "keadaan_kahar": str(force.id),
            "waktu_asli": _field(verified),
            "rujukan": "REG-MANUAL/021",
        },
        content_type="multipart/form-data",
    )
    assert task.status_code == 302, task.get_data(as_text=True)[-3000:]
    track = app.test_client().get(f"/lacak?nomor={application.reg_number}").get_data(as_text=True)
    assert format_datetime(submitted, "WIB") in track and format_datetime(verified, "WIB") in track
    entries = session.scalars(
        select(AuditEvent).where(AuditEvent.application_id == application.id, AuditEvent.action == "entered_manually")
    ).all()
    assert len(entries) == 2 and all(e.summary["rujukan"] == "REG-MANUAL/021" for e in entries)
