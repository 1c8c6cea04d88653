"""The stored workflow stays bounded: finished history above what still runs is cut out, so a file
returned for correction fifty times steps and stores like one returned once."""

from __future__ import annotations

from sqlalchemy import select

from engine.casework.tasks import complete_task
from engine.documents.models import Document
from engine.workflow import runtime
from engine.workflow.version_forms import load_workflow
from tests.factories import REKLAME, open_item, reklame_uploads, submit, work

RETURN = {"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "Foto lokasi buram, mohon unggah ulang."}


def _round(session, services, user, application, text):
    work(session, services, user, application, RETURN)
    fix = open_item(session, application)
    complete_task(session, services, fix.id, user("pemohon"), {**REKLAME, "naskah_reklame": text}, reklame_uploads())
    session.commit()


def test_fifty_returns_for_correction_leave_the_state_as_small_as_a_few(session, services, user):
    application = submit(session, services, user)
    sizes = {}
    for n in range(1, 51):
        _round(session, services, user, application, f"Promo ke-{n}")
        if n in (3, 50):
            sizes[n] = (len(application.workflow_json), len(load_workflow(application).tasks))
    assert sizes[50][1] <= sizes[3][1] + runtime.COMPACT_AT, sizes
    assert sizes[50][0] < 2 * sizes[3][0], sizes
    # The file goes on from the fiftieth correction as from the first: the latest data, to a signed permit.
    item = open_item(session, application)
    assert runtime.task_data(load_workflow(application), item.task_id)["naskah_reklame"] == "Promo ke-50"
    while application.status not in ("selesai", "ditolak"):
        work(session, services, user, application)
    assert application.status == "selesai"
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    assert permit.signed


def test_a_short_history_is_left_whole(session, services, user):
    application = submit(session, services, user)
    workflow = load_workflow(application)
    before = len(workflow.tasks)
    assert runtime.compact(workflow) == 0 and len(workflow.tasks) == before
