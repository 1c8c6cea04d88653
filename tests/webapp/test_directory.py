"""The directory and regulations pages, for anyone; their admin pages."""

import io

from tests.factories import pdf_bytes


def test_the_admin_fills_the_directory_and_regulations_and_anyone_reads_them(app, client, login):
    admin = login("admin", app.test_client())
    assert (
        admin.post(
            "/admin/direktori",
            data={
                "alamat": "Jl. Merdeka No. 1",
                "peta": "https://peta.contoh/abc",
                "pejabat": "Kepala Dinas | Drs. Siti Rahayu",
            },
        ).status_code
        == 302
    )
    added = admin.post(
        "/admin/peraturan",
        data={
            "jenis": "Peraturan Daerah",
            "nomor": "3",
            "tahun": "2020",
            "judul": "Penyelenggaraan Reklame",
            "jenis_izin": "izin-reklame",
            "berkas": (io.BytesIO(pdf_bytes("Perda")), "perda.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    page = client.get("/direktori").get_data(as_text=True)
    assert "Jl. Merdeka No. 1" in page and "Drs. Siti Rahayu" in page and "https://peta.contoh/abc" in page
    listing = client.get("/peraturan?jenis=izin-reklame").get_data(as_text=True)
    assert "Peraturan Daerah Nomor 3 Tahun 2020" in listing and "Izin Reklame" in listing
    link = listing.split('href="/peraturan/')[1].split('"')[0]
    pdf = client.get(f"/peraturan/{link}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Belum ada peraturan" in client.get("/peraturan?jenis=surat-izin-praktik").get_data(as_text=True)
    assert "Nomor 3 Tahun 2020 tentang Penyelenggaraan Reklame" in client.get("/izin/izin-reklame").get_data(
        as_text=True
    )
    assert login("fo", app.test_client()).get("/admin/direktori").status_code == 403
