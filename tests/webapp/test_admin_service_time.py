"""Admin pages for the working calendar and SLA policies: errors in Indonesian, nothing half-saved."""

from __future__ import annotations

from engine.workflow.definitions import permit_type_by_code


def test_calendar_page_lists_holidays_and_takes_a_local_day_off(app, login):
    client = login("admin", app.test_client())
    page = client.get("/admin/kalender?tahun=2026").get_data(as_text=True)
    assert "Hari Raya Natal" in page and "Cuti Bersama Hari Raya Natal" in page
    bad = client.post("/admin/kalender?tahun=2026", data={"tanggal": "", "jenis": "libur", "keterangan": ""})
    assert bad.status_code == 422 and "Isi tanggal." in bad.get_data(as_text=True)
    saved = client.post(
        "/admin/kalender",
        data={"tanggal": "2026-11-05", "jenis": "libur", "keterangan": "Hari Jadi Kota"},
        follow_redirects=True,
    )
    text = saved.get_data(as_text=True)
    assert "Hari Jadi Kota" in text and "dihitung ulang" in text
    removed = client.post("/admin/kalender", data={"tanggal": "2026-11-05", "hapus": "1"}, follow_redirects=True)
    assert "dihapus dari kalender dinas" in removed.get_data(as_text=True)


def test_sla_policy_form_keeps_what_was_typed_and_changes_nothing_on_error(app, login, session):
    client = login("admin", app.test_client())
    assert "Surat Izin Praktik" in client.get("/admin/waktu-layanan").get_data(as_text=True)
    bad = client.post(
        "/admin/waktu-layanan/surat-izin-praktik",
        data={"hari_kerja": "5", "peringatan": "5", "kebijakan": "eskalasi", "tahap_1": "dua"},
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Harus antara 10 dan 100." in text and "Isi dengan angka." in text
    assert 'value="dua"' in text
    session.expire_all()
    assert permit_type_by_code(session, "surat-izin-praktik").sla_warning_ratio == 0.8


def test_sla_pages_are_for_admins_only(app, login):
    client = login("kadis", app.test_client())
    assert client.get("/admin/waktu-layanan").status_code == 403
    assert client.get("/admin/kalender").status_code == 403
