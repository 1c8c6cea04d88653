"""Queue tickets online for a time slot, the board, and the officer's desk page."""

import re


def test_an_online_ticket_for_a_slot_and_the_officer_calls_it_when_due(app, client, login):
    page = client.get("/antrean").get_data(as_text=True)
    slots = re.findall(r'<option value="(\d{4}-\d\d-\d\dT\d\d:\d\d)"', page)
    assert slots, "office-hour slots are offered"
    refused = client.post("/antrean", data={"layanan": "pengajuan", "waktu": ""})
    assert refused.status_code == 422
    taken = client.post("/antrean", data={"layanan": "penyerahan", "waktu": slots[0]}).get_data(as_text=True)
    assert "C-001" in taken
    assert "Papan antrean" in client.get("/antrean/papan").get_data(as_text=True)  # (the slot may be another day)
    desk = login("fo", app.test_client())
    called = desk.post("/petugas/antrean", data={"layanan": "pengajuan", "loket": "1"}, follow_redirects=True)
    assert "Tidak ada antrean yang menunggu" in called.get_data(as_text=True)
    assert login("pemohon", app.test_client()).get("/petugas/antrean").status_code == 403


def test_the_kiosk_offers_the_survey_without_signing_in(client):
    page = client.get("/kiosk").get_data(as_text=True)
    assert "Survei kepuasan" in page
    wrong = client.post("/kiosk/survei", data={"nomor": "REK-1999-000001", "nik": "0001"})
    assert wrong.status_code == 422 and "tidak cocok" in wrong.get_data(as_text=True)
