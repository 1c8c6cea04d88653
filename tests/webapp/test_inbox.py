"""The staff inbox page and the task API: pages, filters, the head's hand-over, and a cost in SQL
statements that does not grow with the number of open tasks."""

from __future__ import annotations

import re

from sqlalchemy import select

from engine.accounts import api_tokens
from engine.accounts.models import User
from engine.core.models import AuditEvent
from tests.factories import copies, open_item, submit
from tests.statements import counted


def test_the_inbox_lists_waiting_tasks_with_filters_and_pages(app, login, session, services, user):
    reklame = submit(session, services, user)
    copies(session, open_item(session, reklame), 30)
    client = login("fo")
    page = client.get("/petugas/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # Nothing in hand: the queue to take from is shown, 25 at a time, with a way to the next page.
    assert 'aria-current="page">Menunggu diambil' in html
    assert "31 tugas" in html and html.count(">Ambil</button>") == 25
    assert 'rel="next"' in html and "Halaman 1 dari 2" in html
    second = client.get("/petugas/?tampilan=menunggu&halaman=2").get_data(as_text=True)
    assert second.count(">Ambil</button>") == 6 and 'rel="prev"' in second
    found = client.get(f"/petugas/?tampilan=menunggu&cari={reklame.reg_number}").get_data(as_text=True)
    assert reklame.reg_number in found
    none = client.get("/petugas/?tampilan=menunggu&cari=TIDAK-ADA-123").get_data(as_text=True)
    assert "Tidak ada tugas yang sesuai saringan." in none and "Hapus saringan" in none
    # Nonsense in the query string falls back to defaults rather than failing.
    assert client.get("/petugas/?halaman=abc&urut=x&tenggat=y&jenis=z").status_code == 200


def test_the_inbox_page_costs_the_same_statements_at_any_number_of_tasks(app, engine, login, session, services, user):
    reklame = submit(session, services, user)
    client = login("fo")
    client.get("/petugas/")  # warm: the published specs are parsed once per process

    def statements():
        with counted(engine) as sent:
            assert client.get("/petugas/?tampilan=menunggu").status_code == 200
        return len(sent)

    few = statements()
    copies(session, open_item(session, reklame), 400)
    assert statements() == few
    assert few <= 12, few


def test_the_task_api_pages_filters_and_refuses_unknown_parameters(app, engine, session, services, user):
    reklame = submit(session, services, user)
    first = open_item(session, reklame)
    copies(session, first, 30)
    officer = session.scalar(select(User).where(User.email == "fo@demo.test"))
    headers = {"Authorization": f"Bearer {api_tokens.issue_token(session, officer, 'uji')}"}
    session.commit()
    client = app.test_client()
    body = client.get("/api/v1/tasks?view=available&per_page=10", headers=headers).get_json()
    assert (body["total"], body["has_next"], len(body["items"])) == (31, True, 10)
    assert body["counts"] == {"mine": 0, "available": 31}
    item = body["items"][0]
    assert {"reg_number", "applicant", "permit_type", "due_at", "overdue", "due_soon", "stage"} <= set(item)
    last = client.get("/api/v1/tasks?view=available&per_page=10&page=4", headers=headers).get_json()
    assert len(last["items"]) == 1 and not last["has_next"]
    typed = client.get("/api/v1/tasks?view=available&permit_type=surat-izin-praktik", headers=headers).get_json()
    assert typed["total"] == 0
    wrong = client.get("/api/v1/tasks?view=semua&sort=x&per_page=1000&permit_type=tidak-ada", headers=headers)
    assert wrong.status_code == 422
    assert set(wrong.get_json()["fields"]) == {"view", "sort", "per_page", "permit_type"}

    def statements():
        with counted(engine) as sent:
            assert client.get("/api/v1/tasks?view=available", headers=headers).status_code == 200
        return len(sent)

    few = statements()
    copies(session, first, 300)
    assert statements() == few


def test_the_head_hands_a_task_to_an_officer_from_the_units_view(app, login, session, services, user):
    reklame = submit(session, services, user)
    item = open_item(session, reklame)
    head = login("kadis")
    team = head.get("/petugas/?tampilan=tim").get_data(as_text=True)
    assert "Semua tugas unit" in team and "Belum diambil" in team and f"/petugas/tugas/{item.id}/serahkan" in team
    form = head.get(f"/petugas/tugas/{item.id}/serahkan").get_data(as_text=True)
    assert user("fo").name in form and user("bendahara").name not in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    refused = head.post(f"/petugas/tugas/{item.id}/serahkan", data={"csrf_token": token, "petugas": "999999"})
    assert refused.status_code == 422 and "Pilih petugas aktif" in refused.get_data(as_text=True)
    done = head.post(
        f"/petugas/tugas/{item.id}/serahkan",
        data={"csrf_token": token, "petugas": user("fo").id},
        follow_redirects=True,
    )
    assert f"diserahkan kepada {user('fo').name}" in done.get_data(as_text=True)
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "task_assigned")) is not None
    officer = login("fo", app.test_client())
    inbox = officer.get("/petugas/").get_data(as_text=True)
    assert 'aria-current="page">Sedang saya kerjakan' in inbox and ">Kerjakan</a>" in inbox
    assert "menyerahkan tugas" in inbox  # the notice
    # An officer has no units view and cannot hand tasks out.
    assert officer.get(f"/petugas/tugas/{item.id}/serahkan").status_code == 403


def test_the_application_list_pages_and_searches_at_a_fixed_cost(app, engine, login, session, services, user):
    from sqlalchemy import insert

    from engine.workflow.models import Application

    reklame = submit(session, services, user)
    client = login("fo")

    def statements(url):
        with counted(engine) as sent:
            response = client.get(url)
        assert response.status_code == 200
        return len(sent), response.get_data(as_text=True)

    few, _ = statements("/petugas/permohonan")
    session.execute(
        insert(Application),
        [
            {
                "reg_number": f"UJI-{i:05d}",
                "permit_type_id": reklame.permit_type_id,
                "process_version_id": reklame.process_version_id,
                "applicant_id": reklame.applicant_id,
                "status": "diproses",
                "stage": "Verifikasi Berkas",
                "summary": {},
                "workflow_json": "{}",
                "version": 1,
                "created_at": reklame.created_at,
            }
            for i in range(120)
        ],
    )
    session.commit()
    many, html = statements("/petugas/permohonan")
    assert many == few
    assert "121 permohonan." in html and "Halaman 1 dari 3" in html and html.count("UJI-") == 50
    _, found = statements("/petugas/permohonan?cari=uji-0011")
    assert "10 permohonan." in found  # UJI-00110 … UJI-00119
    _, last = statements("/petugas/permohonan?halaman=3")
    assert 'rel="prev"' in last and 'rel="next"' not in last
