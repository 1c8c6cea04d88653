"""The whole lifecycle through the JSON API alone."""

import io
import json
import re

from tests.factories import (
    HAPPY,
    REKLAME,
    SIP,
    STAFF_FOR_ROLE,
    open_item,
    reklame_uploads,
    sip_uploads,
    submit,
    waiting_at,
)
from webapp.seeding import DEMO_PASSPHRASE


def token(client, who):
    response = client.post("/api/v1/tokens", json={"email": f"{who}@demo.test", "password": "demo12345"})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def multipart(data, uploads):
    body = {"data": json.dumps(data)}
    for upload in uploads:
        body.setdefault(upload.field, []).append((io.BytesIO(upload.content), upload.filename))
    return body


def run_to_end(client, code, data, uploads):
    applicant = token(client, "pemohon")
    created = client.post(
        "/api/v1/applications",
        headers=applicant,
        content_type="multipart/form-data",
        data=multipart({"permit_type": code, **data}, uploads),
    )
    assert created.status_code == 201, created.get_json()
    application = created.get_json()
    officers = {who: token(client, who) for who in STAFF_FOR_ROLE.values()}
    for _ in range(10):
        current = client.get(f"/api/v1/applications/{application['reg_number']}", headers=applicant).get_json()
        if not current["open_tasks"]:
            return current, applicant
        task = current["open_tasks"][0]
        headers = officers[STAFF_FOR_ROLE[task["role"]]]
        listed = client.get("/api/v1/tasks?view=available", headers=headers).get_json()
        assert task["id"] in [t["id"] for t in listed["items"]]
        assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=headers).status_code == 200
        form_data, files = _happy_for(task)
        if task["signs"]:
            form_data = {**form_data, "passphrase": DEMO_PASSPHRASE}
        if files:
            done = client.post(
                f"/api/v1/tasks/{task['id']}/complete",
                headers=headers,
                content_type="multipart/form-data",
                data=multipart(form_data, files),
            )
        else:
            done = client.post(
                f"/api/v1/tasks/{task['id']}/complete?include=application", headers=headers, json=form_data
            )
        assert done.status_code == 200, (task["title"], done.get_json())
        body = done.get_json()
        # What the client needs next: the step's outcome and the tasks now open; the whole file on request.
        assert body["task"]["state"] == "done" and body["reg_number"] == application["reg_number"]
        assert {"status", "stage", "next_tasks"} <= set(body)
        assert ("application" in body) == (not files)
    raise AssertionError("process did not finish")


_BY_TITLE = {
    "Verifikasi Berkas": "verifikasi_berkas",
    "Jadwalkan Survei Lapangan": "jadwal_survei",
    "Berita Acara Pemeriksaan": "berita_acara",
    "Penetapan Retribusi (SKRD)": "penetapan_retribusi",
    "Konfirmasi Pembayaran": "konfirmasi_pembayaran",
    "Persetujuan Kepala Dinas": "persetujuan_kepala",
    "Penyerahan Izin": "penyerahan",
}


def _happy_for(task):
    data, files = HAPPY[_BY_TITLE[task["title"]]]
    return dict(data), list(files)


def test_both_permit_types_run_to_a_signed_pdf_through_the_api(client):
    for code, data, uploads in (
        ("izin-reklame", REKLAME, reklame_uploads()),
        ("surat-izin-praktik", SIP, sip_uploads()),
    ):
        final, headers = run_to_end(client, code, data, uploads)
        assert final["status"] == "selesai"
        permit = next(d for d in final["documents"] if d["kind"] == "izin")
        assert permit["signed"] and permit["verify_url"].startswith("http://127.0.0.1:5000/verify/")
        pdf = client.get(permit["download_url"], headers=headers)
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        verify_path = permit["verify_url"].removeprefix("http://127.0.0.1:5000")
        assert "Dokumen ASLI dan SAH" in client.get(verify_path).get_data(as_text=True)


def test_validation_errors_come_back_per_field(client):
    headers = token(client, "pemohon")
    response = client.post(
        "/api/v1/applications",
        headers=headers,
        json={"permit_type": "surat-izin-praktik", **SIP, "tempat_praktik_ke": 9},
    )
    body = response.get_json()
    assert response.status_code == 422
    assert body["fields"]["tempat_praktik_ke"] == "Tidak boleh lebih dari 3."
    assert body["fields"]["berkas_str"] == "Berkas wajib diunggah."


def test_staff_cannot_submit_and_applicant_cannot_claim(client):
    fo = token(client, "fo")
    assert client.post("/api/v1/applications", headers=fo, json={"permit_type": "izin-reklame"}).status_code == 403
    applicant = token(client, "pemohon")
    created = client.post(
        "/api/v1/applications",
        headers=applicant,
        content_type="multipart/form-data",
        data=multipart({"permit_type": "surat-izin-praktik", **SIP}, sip_uploads()),
    ).get_json()
    task_id = created["open_tasks"][0]["id"]
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=applicant).status_code == 403
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=fo).status_code == 200
    second = token(client, "fo")
    # claimed by the same account through another token: idempotent; by nobody else
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=second).status_code == 200


def test_other_applicants_cannot_read_an_application(client, outbox):
    applicant = token(client, "pemohon")
    created = client.post(
        "/api/v1/applications",
        headers=applicant,
        content_type="multipart/form-data",
        data=multipart({"permit_type": "surat-izin-praktik", **SIP}, sip_uploads()),
    ).get_json()
    client.post(
        "/daftar",
        data={
            "name": "Orang Lain",
            "nik": "3171010101800077",
            "email": "lain@contoh.test",
            "phone": "081200000001",
            "birth_date": "1990-01-01",
            "birth_place": "Jakarta",
            "password": "Rahasia-Pemohon-77",
        },
    )
    client.get(re.search(r"(/daftar/aktifkan/\S+)", outbox()[0].get_content()).group(1))
    other = client.post(
        "/api/v1/tokens", json={"email": "lain@contoh.test", "password": "Rahasia-Pemohon-77"}
    ).get_json()
    response = client.get(
        f"/api/v1/applications/{created['id']}", headers={"Authorization": f"Bearer {other['token']}"}
    )
    assert response.status_code == 403


def test_openapi_lists_the_lifecycle_operations(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/applications",
        "/applications/{ref}",
        "/tasks",
        "/tasks/{item_id}/claim",
        "/tasks/{item_id}/assign",
        "/tasks/{item_id}/complete",
        "/documents/{document_id}",
        "/permit-types",
    ):
        assert path in spec["paths"]


def test_each_task_serves_its_form_as_json_schema_with_the_passphrase_where_it_signs(client, session, services, user):
    application = submit(session, services, user)
    first = open_item(session, application)
    fo = token(client, "fo")
    form = client.get(f"/api/v1/tasks/{first.id}/form", headers=fo)
    assert form.status_code == 200
    body = form.get_json()
    assert "hasil_verifikasi" in body["schema"]["properties"] and "passphrase" not in body["schema"]["properties"]
    assert body["values"]["nama_penyelenggara"] == REKLAME["nama_penyelenggara"]
    listed = client.get(f"/api/v1/applications/{application.reg_number}", headers=token(client, "pemohon"))
    assert listed.get_json()["open_tasks"][0]["form_url"] == f"/api/v1/tasks/{first.id}/form"

    _, survey = waiting_at(session, services, user, "berita_acara")
    body = client.get(f"/api/v1/tasks/{survey.id}/form", headers=token(client, "teknis")).get_json()
    assert body["schema"]["properties"]["passphrase"]["writeOnly"] is True
    assert "passphrase" in body["schema"]["required"] and body["files"] == ["foto_lapangan"]
    # Someone else's task: refused as a problem document.
    refused = client.get(f"/api/v1/tasks/{survey.id}/form", headers=fo)
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["title"] == "Tidak berwenang" and refused.get_json()["status"] == 403


def test_errors_are_rfc_9457_problem_documents(client):
    unauthenticated = client.get("/api/v1/tasks")
    assert unauthenticated.status_code == 401 and unauthenticated.mimetype == "application/problem+json"
    assert {"type", "title", "status", "detail"} <= set(unauthenticated.get_json())
    invalid = client.post(
        "/api/v1/applications", headers=token(client, "pemohon"), json={"permit_type": "izin-reklame"}
    )
    problem = invalid.get_json()
    assert invalid.status_code == 422 and invalid.mimetype == "application/problem+json"
    assert problem["detail"] == problem["error"] and problem["fields"]


def test_a_problem_document_is_in_the_language_the_client_asks_for(client):
    english = {"Accept-Language": "en-US,en;q=0.9"}
    unauthenticated = client.get("/api/v1/tasks", headers=english).get_json()
    assert (unauthenticated["title"], unauthenticated["detail"]) == (
        "Not signed in",
        "The token is invalid or missing.",
    )
    refused = client.post(
        "/api/v1/applications?lang=en",
        headers=token(client, "pemohon"),
        json={"permit_type": "surat-izin-praktik", **SIP, "tempat_praktik_ke": 9},
    ).get_json()
    assert refused["title"] == "Invalid input"
    assert refused["fields"]["tempat_praktik_ke"] == "May not be more than 3."
    assert refused["fields"]["berkas_str"] == "A file must be uploaded."
    # Without a preference the API speaks the agency's language, as before.
    assert client.get("/api/v1/tasks").get_json()["detail"] == "Token tidak valid atau tidak ada."


def test_a_body_that_is_not_a_json_object_or_an_id_past_any_row_is_the_client_s_error(client):
    applicant = token(client, "pemohon")
    for body in ([None, None], "AAA", 7):
        answer = client.post("/api/v1/applications", headers=applicant, json=body)
        assert answer.status_code == 422 and answer.get_json()["fields"] == {"_body": "Harus objek JSON."}
    assert client.post("/api/v1/tokens", json={"email": [None], "password": "x"}).status_code == 401
    for path in ("/api/v1/tasks/9223372036854775808/form", "/api/v1/documents/9223372036854775808"):
        assert client.get(path, headers=applicant).status_code == 404
    # A superscript digit passes str.isdigit but is no id: an unknown registration number.
    assert client.get("/api/v1/applications/%C2%B9", headers=applicant).status_code == 404


def test_a_nul_character_anywhere_in_a_request_is_refused_as_the_client_s_error(client, login):
    applicant = token(client, "pemohon")
    for answer in (
        client.get("/api/v1/tasks?permit_type=%00", headers=applicant),
        client.post("/api/v1/applications", headers=applicant, json={"permit_type": "izin\x00reklame"}),
        client.get("/api/v1/applications/REK%00", headers=applicant),
    ):
        assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    page = login("fo").get("/petugas/permohonan?q=%00")
    assert page.status_code == 400 and "tidak sah" in page.get_data(as_text=True)
    assert client.post("/masuk", data={"email": "a\x00@b.test", "password": "x"}).status_code == 400
