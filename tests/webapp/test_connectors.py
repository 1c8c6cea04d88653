"""What the front office and the applicant see of the population registry's answers, through the
pages, with the simulator over real HTTP."""

from __future__ import annotations

import re
from time import monotonic

from engine.accounts.models import User
from tests.factories import open_item, submit


def test_the_front_office_sees_a_verified_applicant_with_the_time_of_the_check(
    client, login, session, services, user, agencies
):
    application = submit(session, services, user)
    page = login("fo").get(f"/petugas/tugas/{open_item(session, application).id}").get_data(as_text=True)
    assert re.search(r"Terverifikasi Dukcapil pada \d", page)


def test_the_front_office_sees_which_fields_do_not_match(client, login, session, services, user, agencies):
    user("pemohon").name = "Bambang Sutrisno"
    session.commit()
    try:
        application = submit(session, services, user)
        page = login("fo").get(f"/petugas/tugas/{open_item(session, application).id}").get_data(as_text=True)
        assert "Tidak cocok dengan data Dukcapil: nama" in page
    finally:
        user("pemohon").name = "Budi Santoso"
        session.commit()


def test_while_dukcapil_is_down_the_file_is_marked_not_yet_verified_and_rechecked(
    client, login, session, services, user, agencies, app
):
    from webapp.scheduler import recheck_identities_once

    agencies.mode("dukcapil", "mati")
    application = submit(session, services, user)
    page = login("fo").get(f"/petugas/tugas/{open_item(session, application).id}").get_data(as_text=True)
    assert "Belum terverifikasi Dukcapil: Dukcapil tidak menjawab pada" in page
    agencies.mode("dukcapil", "normal")
    tried = session.get(User, user("pemohon").id).identity_tried_at
    from engine.accounts.identity import RETRY_AFTER

    checked, waiting = recheck_identities_once(app, now=tried + RETRY_AFTER)
    assert checked >= 1 and waiting == 0
    session.expire_all()
    assert "Terverifikasi Dukcapil pada" in client.get(f"/petugas/tugas/{open_item(session, application).id}").get_data(
        as_text=True
    )


def test_a_slow_dukcapil_holds_account_activation_no_longer_than_its_time_limit(client, outbox, agencies):
    agencies.mode("dukcapil", "lambat", delay=5.0)
    client.post(
        "/daftar",
        data={
            "name": "Siti Rahmawati",
            "nik": "3171014505850002",
            "email": "siti@contoh.test",
            "phone": "081200000005",
            "birth_date": "1985-05-05",
            "birth_place": "Bandung",
            "password": "Rahasia-Pemohon-77",
        },
    )
    link = re.search(r"(/daftar/aktifkan/\S+)", outbox()[-1].get_content()).group(1)
    started = monotonic()
    opened = client.get(link)
    waited = monotonic() - started
    assert opened.status_code == 302, "the account is active though Dukcapil did not answer"
    limit = agencies.connectors.endpoints["dukcapil"].timeout
    assert waited < limit + 1.0, f"activation waited {waited:.2f} s on a {limit} s limit"


def test_the_supervisor_sees_connector_health_on_the_dashboard(client, login, session, services, user, agencies):
    agencies.mode("dukcapil", "mati")
    submit(session, services, user)
    page = login("pengawas").get("/pengawasan/").get_data(as_text=True)
    assert "Layanan instansi terhubung" in page and "Kependudukan (Dukcapil)" in page
    row = page.split("Kependudukan (Dukcapil)")[1].split("</tr>")[0]
    assert "Terganggu" in row


def test_the_applicant_fills_the_form_from_oss_without_submitting(client, login, agencies):
    applicant = login("pemohon")
    page = applicant.post("/pemohon/ajukan/izin-reklame", data={"_ambil": "nib", "nib": "9120001234567"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="PT Maju Jaya Reklame"' in text
    assert "Terdaftar di OSS: PT Maju Jaya Reklame" in text
    refused = applicant.post("/pemohon/ajukan/izin-reklame", data={"_ambil": "nib", "nib": "9999999999999"})
    assert refused.status_code == 422 and "NIB tidak terdaftar di OSS" in refused.get_data(as_text=True)
