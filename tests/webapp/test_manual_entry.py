"""Pencatatan Manual through the pages: the front office enters a paper submission and its verification
from a declared outage; tracking shows the original times."""
import io

from sqlalchemy import select

from engine.core.models import AuditEvent
from engine.workflow.models import Application, WorkItem
from tests.factories import REKLAME, pdf_bytes
from tests.timeline import at, declare_outage
from tests.webapp.test_pages import REKLAME_FILES, _files


def test_paper_work_from_an_outage_is_entered_with_its_original_times(app, login, session, services, user):
    force = declare_outage(session, services, user, at(2, 8), at(3, 16), now=at(4, 9))
    desk = login("fo", app.test_client())
    person = user("pemohon")
    form_url = f"/petugas/loket/{person.id}/izin-reklame"
    assert "Pencatatan manual" in desk.get(form_url).get_data(as_text=True)
    paper = {"keadaan_kahar": str(force.id), "waktu_asli": "2026-11-02T10:00", "rujukan": "REG-MANUAL/021"}
    outside = desk.post(form_url, data={**REKLAME, **_files(REKLAME_FILES), **paper, "waktu_asli": "2026-11-05T10:00",
                                        "persetujuan": (io.BytesIO(pdf_bytes("kertas")), "kertas.pdf")},
                        content_type="multipart/form-data")
    assert outside.status_code == 422 and "di dalam masa gangguan" in outside.get_data(as_text=True)
    done = desk.post(form_url, data={**REKLAME, **paper,
                                     "persetujuan": (io.BytesIO(pdf_bytes("kertas")), "kertas.pdf")},
                     content_type="multipart/form-data")
    assert done.status_code == 200, done.get_data(as_text=True)[:1500]
    application = session.scalar(select(Application).order_by(Application.id.desc()))
    assert application.submitted_at == at(2, 10)

    item = session.scalar(select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open"))
    assert desk.post(f"/petugas/tugas/{item.id}/ambil").status_code == 302
    task = desk.post(f"/petugas/tugas/{item.id}", data={"hasil_verifikasi": "lengkap", "keadaan_kahar": str(force.id),
                                                       "waktu_asli": "2026-11-02T14:00", "rujukan": "REG-MANUAL/021"},
                     content_type="multipart/form-data")
    assert task.status_code == 302, task.get_data(as_text=True)[-3000:]
    track = app.test_client().get(f"/lacak?nomor={application.reg_number}").get_data(as_text=True)
    assert "2 November 2026 10.00 WIB" in track and "2 November 2026 14.00 WIB" in track
    entries = session.scalars(select(AuditEvent).where(AuditEvent.application_id == application.id,
                                                       AuditEvent.action == "entered_manually")).all()
    assert len(entries) == 2 and all(e.summary["rujukan"] == "REG-MANUAL/021" for e in entries)
    audit = login("admin", app.test_client()).get("/admin/audit?aksi=entered_manually").get_data(as_text=True)
    assert "Dicatat manual" in audit or "entered_manually" in audit
