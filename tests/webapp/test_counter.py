"""At the counter, through the pages: the front office serves a walk-in, who later claims the account
and follows the application themselves."""

import io
import re

from sqlalchemy import select

from engine.workflow.models import Application
from tests.engine.accounts.test_walk_ins import person as walk_in_person
from tests.factories import REKLAME, pdf_bytes
from tests.webapp.test_pages import REKLAME_FILES, _files


def test_a_walk_in_is_served_at_the_counter_and_later_claims_the_account(app, login, session):
    desk = login("fo", app.test_client())
    start = desk.post(
        "/petugas/loket",
        data={
            "nik": walk_in_person()["nik"],
            "name": "Rina Wulandari",
            "birth_date": "1987-03-03",
            "birth_place": "Palembang",
            "phone": "081377770002",
            "jenis_izin": "izin-reklame",
        },
    )
    assert start.status_code == 302
    form_url = start.headers["Location"]
    no_consent = desk.post(form_url, data={**REKLAME, **_files(REKLAME_FILES)}, content_type="multipart/form-data")
    assert no_consent.status_code == 422 and "surat pernyataan" in no_consent.get_data(as_text=True)
    done = desk.post(
        form_url,
        data={**REKLAME, "persetujuan": (io.BytesIO(pdf_bytes("setuju")), "setuju.pdf")},
        content_type="multipart/form-data",
    )  # the files were kept from the refused post
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "Tautan ambil alih akun" in page and "<svg" in page
    claim = re.search(r'<code class="break">([^<]+)</code>', page).group(1)
    application = session.scalar(select(Application).order_by(Application.id.desc()))
    assert application.applicant.name == "Rina Wulandari" and application.reg_number in page

    person = app.test_client()
    path = claim.split("://", 1)[1].split("/", 1)[1]
    assert "Ambil alih akun Anda" in person.get(f"/{path}").get_data(as_text=True)
    taken = person.post(
        f"/{path}",
        data={"email": "rina@warga.test", "new": "Pempek-Kapal-Selam-77", "confirm": "Pempek-Kapal-Selam-77"},
    )
    assert taken.status_code == 302
    person.post("/masuk", data={"email": "rina@warga.test", "password": "Pempek-Kapal-Selam-77"})
    mine = person.get("/pemohon/").get_data(as_text=True)
    assert application.reg_number in mine
    assert person.get(f"/{path}").status_code == 410  # spent
