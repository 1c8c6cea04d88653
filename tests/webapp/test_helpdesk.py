"""The help desk through the pages."""


def test_an_applicant_asks_and_the_front_office_answers(app, login):
    applicant = login("pemohon", app.test_client())
    asked = applicant.post(
        "/bantuan/", data={"judul": "Syarat izin reklame", "pesan": "Apakah perlu IMB untuk papan nama?"}
    )
    assert asked.status_code == 302
    path = asked.headers["Location"]
    fo = login("fo", app.test_client())
    assert "Syarat izin reklame" in fo.get("/bantuan/").get_data(as_text=True)
    assert fo.post(path, data={"pesan": "Tidak perlu untuk papan nama kecil."}).status_code == 302
    page = applicant.get(path).get_data(as_text=True)
    assert "Tidak perlu untuk papan nama kecil." in page and "Dijawab" in page
    assert login("teknis", app.test_client()).get(path).status_code == 403
    assert app.test_client().get("/bantuan/").status_code == 302  # sign in first
