"""Complaints through the pages: filed anonymously, tracked by code, acknowledged and answered by the
supervisor, the answer published with consent, exported for SP4N-LAPOR!."""

import io
import re

from tests.factories import pdf_bytes

TEXT = "Antrean di loket penyerahan lebih dari tiga jam tanpa kepastian dan tanpa nomor antrean."


def test_an_anonymous_complaint_goes_from_filing_to_a_published_answer(app, client, login):
    sent = client.post(
        "/pengaduan",
        data={
            "kategori": "pelayanan",
            "uraian": TEXT,
            "publikasi": "1",
            "lampiran": (io.BytesIO(b"%PDF-1.4\n%%EOF"), "bukti.txt"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 422 and "lampiran" in sent.get_data(as_text=True).lower()
    sent = client.post(
        "/pengaduan",
        data={
            "kategori": "pelayanan",
            "uraian": TEXT,
            "publikasi": "1",
            "lampiran": (io.BytesIO(pdf_bytes("bukti antrean")), "bukti.pdf"),
        },
        content_type="multipart/form-data",
    )
    page = sent.get_data(as_text=True)
    code = re.search(r"(ADU-[A-Z0-9]{8})", page).group(1)
    tracked = client.get(f"/pengaduan/lacak?kode={code.lower()}").get_data(as_text=True)
    assert "Diterima, menunggu verifikasi" in tracked and "paling lambat" in tracked
    assert client.get("/pengaduan/lacak?kode=ADU-TIDAKADA").status_code == 404

    supervisor = login("pengawas", app.test_client())
    assert code in supervisor.get("/pengawasan/pengaduan").get_data(as_text=True)
    attachment = supervisor.get(f"/pengawasan/pengaduan/{code}/lampiran/0")
    assert attachment.status_code == 200 and attachment.mimetype == "application/pdf"
    assert supervisor.get(f"/pengawasan/pengaduan/{code}/lampiran/1").status_code == 404
    short = supervisor.post(f"/pengawasan/pengaduan/{code}", data={"tindakan": "jawab", "jawaban": "ok"})
    assert short.status_code == 422
    supervisor.post(f"/pengawasan/pengaduan/{code}", data={"tindakan": "verifikasi", "unit": "Bidang Pelayanan"})
    supervisor.post(
        f"/pengawasan/pengaduan/{code}",
        data={
            "tindakan": "jawab",
            "publikasi": "1",
            "jawaban": "Kami menambah satu loket dan nomor antrean mulai pekan depan.",
        },
    )
    tracked = client.get(f"/pengaduan/lacak?kode={code}").get_data(as_text=True)
    assert "Telah dijawab" in tracked and "menambah satu loket" in tracked and "Bidang Pelayanan" in tracked
    assert "menambah satu loket" in client.get("/pengaduan").get_data(as_text=True)  # published with consent
    export = supervisor.get("/pengawasan/pengaduan-lapor.csv").get_data(as_text=True)
    assert code in export and "batas_jawaban" in export.splitlines()[0]
    assert supervisor.get("/pengawasan/pengaduan-lapor.json").get_json()["records"][0]["kode"] == code
    assert login("pemohon", app.test_client()).get("/pengawasan/pengaduan").status_code == 403
