"""Applicant and officer journeys through the pages (Flask test client)."""

import io
import re

from sqlalchemy import select

from engine.workflow.models import Application, WorkItem
from tests.factories import HAPPY, REKLAME, SIP, STAFF_FOR_ROLE, image_bytes, pdf_bytes
from webapp.seeding import DEMO_PASSPHRASE


def _files(pairs):
    return {name: (io.BytesIO(content), filename) for name, filename, content in pairs}


REKLAME_FILES = [
    ("berkas_ktp", "ktp.pdf", pdf_bytes()),
    ("berkas_desain", "desain.png", image_bytes()),
    ("berkas_foto_lokasi", "lokasi.jpg", image_bytes("JPEG")),
    ("berkas_persetujuan_lahan", "izin-lahan.pdf", pdf_bytes()),
]
SIP_FILES = [
    ("berkas_ktp", "ktp.pdf", pdf_bytes()),
    ("berkas_str", "str.pdf", pdf_bytes()),
    ("berkas_rekomendasi_op", "op.pdf", pdf_bytes()),
    ("berkas_keterangan_fasyankes", "ket.pdf", pdf_bytes()),
    ("berkas_pas_foto", "foto.png", image_bytes()),
]


def apply(app, login, code, data, files):
    client = app.test_client()
    login("pemohon", client)
    response = client.post(
        f"/pemohon/ajukan/{code}", data={**data, **_files(files)}, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client, response.headers["Location"]


def work_all(app, login, session, application_id):
    """Officers complete each open task through the task page until none is left for staff."""
    clients = {}
    for _ in range(10):
        session.expire_all()
        item = session.scalar(
            select(WorkItem).where(WorkItem.application_id == application_id, WorkItem.state == "open")
        )
        if item is None:
            return
        who = STAFF_FOR_ROLE[item.role]
        client = clients.get(who) or login(who, app.test_client())
        clients[who] = client
        data, uploads = HAPPY[item.task_spec]
        if item.signs:
            data = {**data, "passphrase": DEMO_PASSPHRASE}
        files = {u.field: (io.BytesIO(u.content), u.filename) for u in uploads[:1]}
        assert client.post(f"/petugas/tugas/{item.id}/ambil").status_code == 302
        response = client.post(f"/petugas/tugas/{item.id}", data={**data, **files}, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def test_public_pages_show_permit_guides(client):
    page = client.get("/").get_data(as_text=True)
    assert "Izin Reklame" in page and "Surat Izin Praktik" in page
    guide = client.get("/izin/izin-reklame").get_data(as_text=True)
    assert "Desain / gambar reklame" in guide and "10 hari kerja" in guide


def test_the_guide_draws_the_published_service_flow_for_anyone(client):
    guide = client.get("/izin/izin-reklame").get_data(as_text=True)
    assert "Lihat diagram alur layanan" in guide and 'data-src="/izin/izin-reklame/alur.bpmn"' in guide
    flow = client.get("/izin/izin-reklame/alur.bpmn")
    assert flow.status_code == 200 and flow.mimetype == "application/xml"
    assert flow.data.startswith(b"<?xml") and b'name="Pemohon"' in flow.data
    assert client.get("/izin/tidak-ada/alur.bpmn").status_code == 404


def test_registration_validates_nik_in_indonesian(client):
    response = client.post(
        "/daftar",
        data={
            "name": "Ani",
            "nik": "12345",
            "email": "ani@contoh.test",
            "phone": "0812345678",
            "password": "Rahasia-Pemohon-77",
        },
    )
    assert response.status_code == 422
    assert "NIK harus 16 digit angka." in response.get_data(as_text=True)


def test_registration_is_activated_by_the_emailed_link_then_login(client, outbox):
    form = {
        "name": "Ani Wijaya",
        "nik": "3171010101900002",
        "email": "ani@contoh.test",
        "phone": "081234500000",
        "birth_date": "1990-01-01",
        "birth_place": "Jakarta",
        "password": "Rahasia-Pemohon-77",
    }
    response = client.post("/daftar", data=form)
    assert response.status_code == 200 and "Periksa Email Anda" in response.get_data(as_text=True)
    login = {"email": "ani@contoh.test", "password": "Rahasia-Pemohon-77"}
    assert client.post("/masuk", data=login).status_code == 401  # not before the link is opened
    link = re.search(r"(/daftar/aktifkan/\S+)", outbox()[0].get_content()).group(1)
    opened = client.get(link)
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/pemohon/")
    assert _logs_in_again(client, login)


def _logs_in_again(client, login) -> bool:
    client.post("/keluar")
    return client.post("/masuk", data=login).status_code == 302


def test_registration_does_not_tell_whether_an_email_or_nik_is_taken(client, outbox):
    def page(data):
        response = client.post(
            "/daftar",
            data={
                "phone": "081234500011",
                "birth_date": "1990-01-01",
                "birth_place": "Jakarta",
                "password": "Rahasia-Pemohon-77",
                **data,
            },
        )
        return response.status_code, re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True))

    fresh = page({"name": "Wati Baru", "nik": "3171010101900011", "email": "wati@contoh.test"})
    taken_email = page({"name": "Wati Lagi", "nik": "3171010101900012", "email": "pemohon@demo.test"})
    taken_nik = page({"name": "Wati Tiru", "nik": "3171010101800001", "email": "tiru@contoh.test"})
    assert fresh[0] == taken_email[0] == taken_nik[0] == 200
    assert {
        fresh[1].replace("wati@contoh.test", "X"),
        taken_email[1].replace("pemohon@demo.test", "X"),
        taken_nik[1].replace("tiru@contoh.test", "X"),
    } == {fresh[1].replace("wati@contoh.test", "X")}
    mails = {m["To"]: m for m in outbox()}
    assert "aktifkan" in mails["wati@contoh.test"].get_content()
    assert "sudah memiliki akun" in mails["pemohon@demo.test"].get_content()
    assert "NIK yang Anda isi sudah terdaftar" in mails["tiru@contoh.test"].get_content()


def test_wrong_password_is_refused(client):
    response = client.post("/masuk", data={"email": "fo@demo.test", "password": "salah"})
    assert response.status_code == 401 and "Email atau kata sandi salah." in response.get_data(as_text=True)


def test_invalid_application_shows_errors_beside_fields(app, login):
    client = app.test_client()
    login("pemohon", client)
    response = client.post(
        "/pemohon/ajukan/izin-reklame", data={**REKLAME, "luas_m2": "abc"}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-luas_m2-err"[^>]*>Harus berupa angka\.', page)
    assert 'id="f-berkas_ktp-err"' in page
    assert 'value="CV Maju Jaya Advertising"' in page  # what was typed is kept


def test_each_permit_type_goes_to_a_signed_downloadable_pdf_through_the_browser_pages(app, login, session, client):
    for code, data, files in (("izin-reklame", REKLAME, REKLAME_FILES), ("surat-izin-praktik", SIP, SIP_FILES)):
        applicant, location = apply(app, login, code, data, files)
        application_id = int(location.rstrip("/").split("/")[-1])
        work_all(app, login, session, application_id)
        session.expire_all()
        application = session.get(Application, application_id)
        assert application.status == "selesai", (code, application.stage)
        page = applicant.get(location).get_data(as_text=True)
        links = re.findall(r'href="(/pemohon/dokumen/\d+)">([^<]+)', page)
        permit_link = next(href for href, title in links if title.startswith(application.permit_type.name))
        pdf = applicant.get(permit_link)
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        code_match = re.search(r'href="/verify/([^"]+)"', page)
        verify = client.get(f"/verify/{code_match.group(1)}").get_data(as_text=True)
        assert "Dokumen ASLI dan SAH" in verify
        track = client.get(f"/lacak?nomor={application.reg_number}").get_data(as_text=True)
        assert "Penyerahan Izin" in track and "Selesai" in track


def test_returned_application_is_fixed_by_applicant(app, login, session):
    applicant, location = apply(app, login, "surat-izin-praktik", SIP, SIP_FILES)
    application_id = int(location.rstrip("/").split("/")[-1])
    fo = login("fo", app.test_client())
    item = session.scalar(select(WorkItem).where(WorkItem.application_id == application_id, WorkItem.state == "open"))
    fo.post(
        f"/petugas/tugas/{item.id}",
        data={"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "STR sudah kedaluwarsa, unggah yang baru."},
    )
    page = applicant.get(location).get_data(as_text=True)
    assert "Dikembalikan untuk perbaikan" in page
    fix_url = re.search(r'href="(/pemohon/tugas/\d+)"', page).group(1)
    fix_page = applicant.get(fix_url).get_data(as_text=True)
    assert "STR sudah kedaluwarsa" in fix_page and 'value="Klinik Pratama Sehat Sentosa"' in fix_page
    response = applicant.post(
        fix_url,
        data={
            **SIP,
            "str_berlaku_sampai": "2031-01-31",
            "berkas_str": (io.BytesIO(pdf_bytes("STR baru")), "str-baru.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Application, application_id).status == "diproses"


def test_rejection_reason_is_visible_to_applicant(app, login, session):
    applicant, location = apply(app, login, "surat-izin-praktik", SIP, SIP_FILES)
    application_id = int(location.rstrip("/").split("/")[-1])
    item = session.scalar(select(WorkItem).where(WorkItem.application_id == application_id, WorkItem.state == "open"))
    login("fo", app.test_client()).post(
        f"/petugas/tugas/{item.id}",
        data={"hasil_verifikasi": "tidak_memenuhi", "alasan_penolakan": "Profesi tidak termasuk kewenangan daerah."},
    )
    page = applicant.get(location).get_data(as_text=True)
    assert "Permohonan ditolak." in page and "Profesi tidak termasuk kewenangan daerah." in page


def test_the_head_warns_then_cancels_the_permit_about_to_be_issued_from_the_application_page(app, login, session):
    applicant, location = apply(app, login, "surat-izin-praktik", SIP, SIP_FILES)
    application_id = int(location.rstrip("/").split("/")[-1])
    head = login("kadis", app.test_client())
    page = head.get(f"/petugas/permohonan/{application_id}").get_data(as_text=True)
    assert "Beri teguran tertulis" in page and "Batalkan penerbitan izin" in page
    grounds = {"alasan": "STR yang diunggah bukan milik Pemohon.", "dasar_hukum": "Perwali Palu 2019 Pasal 19"}
    incomplete = head.post(
        f"/petugas/permohonan/{application_id}/sanksi",
        data={"tindakan": "teguran", **grounds, "passphrase": DEMO_PASSPHRASE},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Keputusan belum lengkap" in incomplete and "wajib dilakukan Pemohon" in incomplete
    warned = head.post(
        f"/petugas/permohonan/{application_id}/sanksi",
        data={
            "tindakan": "teguran",
            **grounds,
            "kewajiban": "Unggah STR atas nama sendiri.",
            "passphrase": DEMO_PASSPHRASE,
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Teguran tertulis ditetapkan dengan Surat Teguran Tertulis Nomor" in warned
    wrong = head.post(
        f"/petugas/permohonan/{application_id}/sanksi",
        data={"tindakan": "pembatalan_penerbitan", **grounds, "passphrase": "bukan-ini"},
        follow_redirects=True,
    )
    assert "passphrase" in wrong.get_data(as_text=True).lower()
    session.expire_all()
    assert session.get(Application, application_id).status == "diproses"
    cancelled = head.post(
        f"/petugas/permohonan/{application_id}/sanksi",
        data={"tindakan": "pembatalan_penerbitan", **grounds, "passphrase": DEMO_PASSPHRASE},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Pembatalan penerbitan izin ditetapkan" in cancelled and "Batalkan penerbitan izin" not in cancelled
    mine = applicant.get(location).get_data(as_text=True)
    assert "Penerbitan izin dibatalkan oleh Kepala Dinas" in mine and "STR yang diunggah bukan milik Pemohon." in mine
    assert "Anda menerima Surat Teguran Tertulis" in mine and "Sanksi administratif" in mine
    fo = login("fo", app.test_client())
    assert (
        fo.post(
            f"/petugas/permohonan/{application_id}/sanksi",
            data={"tindakan": "teguran", **grounds, "kewajiban": "x" * 10},
        ).status_code
        == 403
    )


def test_claiming_a_task_another_officer_took_answers_409_naming_them(app, login, session, user):
    from engine.accounts import users

    users.create_user(
        session,
        None,
        name="Rina Kartika (FO)",
        email="fo3@demo.test",
        password="sandi-rahasia-1",
        roles=["front_office"],
        scope=users.AccountScope(all_permit_types=True),
    )
    session.commit()
    apply(app, login, "surat-izin-praktik", SIP, SIP_FILES)
    item = session.scalar(select(WorkItem).where(WorkItem.state == "open").order_by(WorkItem.id.desc()))
    first = login("fo", app.test_client())
    assert first.post(f"/petugas/tugas/{item.id}/ambil").status_code == 302
    other = app.test_client()
    other.post("/masuk", data={"email": "fo3@demo.test", "password": "sandi-rahasia-1"})
    lost = other.post(f"/petugas/tugas/{item.id}/ambil")
    assert lost.status_code == 409
    assert f"sudah diambil oleh {user('fo').name}" in lost.get_data(as_text=True)


def test_completing_an_already_completed_task_shows_conflict(app, login, session):
    _, location = apply(app, login, "surat-izin-praktik", SIP, SIP_FILES)
    application_id = int(location.rstrip("/").split("/")[-1])
    item = session.scalar(select(WorkItem).where(WorkItem.application_id == application_id, WorkItem.state == "open"))
    first, second = login("fo", app.test_client()), login("fo", app.test_client())
    assert first.post(f"/petugas/tugas/{item.id}", data={"hasil_verifikasi": "lengkap"}).status_code == 302
    response = second.post(f"/petugas/tugas/{item.id}", data={"hasil_verifikasi": "lengkap"})
    assert response.status_code == 409
    assert "sudah diselesaikan" in response.get_data(as_text=True)


def test_admin_creates_staff_account(app, login):
    client = login("admin", app.test_client())
    response = client.post(
        "/admin/pengguna",
        data={
            "name": "Rina Marlina",
            "email": "rina@dinas.test",
            "nip": "199201012015022001",
            "password": "Sandi-Awal-2026",
            "roles": ["tim_teknis"],
        },
    )
    assert response.status_code == 302
    assert "rina@dinas.test" in client.get("/admin/pengguna").get_data(as_text=True)
    bad = client.post("/admin/pengguna", data={"name": "X", "email": "bukan-email", "password": "1"})
    assert bad.status_code == 422 and "Alamat email tidak valid." in bad.get_data(as_text=True)


def test_force_majeure_page_declares_and_pauses_with_a_notice_for_everyone(app, login, client, session, services, user):
    from tests.timeline import at, step
    from tests.timeline import submit as submit_at

    application = submit_at(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    head = login("kadis", app.test_client())
    refused = head.post("/pengawasan/keadaan-kahar", data={"kategori": "", "uraian": "x", "mulai": ""})
    assert refused.status_code == 422 and "Isi waktu mulai" in refused.get_data(as_text=True)
    done = head.post(
        "/pengawasan/keadaan-kahar",
        data={
            "kategori": "kerusakan_jaringan",
            "uraian": "Kabel fiber ke gedung layanan putus.",
            "mulai": "2026-11-03T10:00",
        },
    )
    assert done.status_code == 302
    notice = "Waktu layanan dihentikan sementara"
    assert notice in client.get(f"/lacak?nomor={application.reg_number}").get_data(as_text=True)
    assert notice in login("pemohon", app.test_client()).get(f"/pemohon/permohonan/{application.id}").get_data(
        as_text=True
    )
    assert "Kabel fiber" in login("pengawas", app.test_client()).get(
        f"/pengawasan/permohonan/{application.id}"
    ).get_data(as_text=True)
    supervisor = login("pengawas", app.test_client())
    assert "Nyatakan keadaan kahar" not in supervisor.get("/pengawasan/keadaan-kahar").get_data(as_text=True)


def test_an_activation_link_expires_after_three_days_and_registering_again_sends_a_new_one(client, outbox):
    from datetime import timedelta

    import time_machine

    from engine.core.clock import utcnow

    form = {
        "name": "Rudi Lambat",
        "nik": "3171010101900021",
        "email": "lambat@contoh.test",
        "phone": "081234500021",
        "birth_date": "1990-01-01",
        "birth_place": "Jakarta",
        "password": "Rahasia-Pemohon-77",
    }
    client.post("/daftar", data=form)
    first = re.search(r"(/daftar/aktifkan/\S+)", outbox()[-1].get_content()).group(1)
    with time_machine.travel(utcnow() + timedelta(days=3, minutes=1)):
        assert client.get(first).status_code == 410
        client.post("/daftar", data=form)  # the same email, never activated: a new link
        second = re.search(r"(/daftar/aktifkan/\S+)", outbox()[-1].get_content()).group(1)
        assert second != first and client.get(second).status_code == 302


def test_the_guide_shows_the_tariff_table_and_its_calculator(client):
    page = client.get("/izin/izin-reklame").get_data(as_text=True)
    assert "Tarif Retribusi Reklame per m² per tahun" in page and "Billboard / papan reklame" in page and "≤ 24" in page
    answer = client.get(
        "/izin/izin-reklame?jenis_reklame=billboard&luas_m2=24&jumlah_sisi=2&masa_berlaku_tahun=1&hitung=1"
    ).get_data(as_text=True)
    assert "Perkiraan retribusi" in answer and "7.200.000" in answer
    wrong = client.get("/izin/izin-reklame?jenis_reklame=billboard&luas_m2=x&hitung=1")
    assert wrong.status_code == 422 and "harus berupa angka" in wrong.get_data(as_text=True)
    assert "Hitung perkiraan retribusi" not in client.get("/izin/surat-izin-praktik").get_data(as_text=True)
