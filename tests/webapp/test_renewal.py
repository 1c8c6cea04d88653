"""The holder renews a permit from its page: the form opens filled, with the old files attached."""

from sqlalchemy import select

from engine.workflow.models import Application
from tests.factories import REKLAME, issued


def test_the_holder_renews_from_the_application_page_without_typing_or_picking_again(
    app, session, services, user, login
):
    old = issued(session, services, user)
    client = login("pemohon", app.test_client())
    page = client.get(f"/pemohon/permohonan/{old.id}").get_data(as_text=True)
    assert "Perpanjang izin" in page
    form = client.get(f"/pemohon/ajukan/izin-reklame?perpanjang={old.id}").get_data(as_text=True)
    assert "Perpanjangan Izin Reklame Nomor" in form and REKLAME["naskah_reklame"] in form
    assert form.count("Terlampir:") == 4 and f'name="perpanjang" value="{old.id}"' in form
    sent = client.post(
        "/pemohon/ajukan/izin-reklame", data={**REKLAME, "perpanjang": str(old.id)}, content_type="multipart/form-data"
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:1500]
    new = session.scalar(select(Application).order_by(Application.id.desc()))
    assert new.renews_id == old.id and new.id != old.id
    assert login("fo", app.test_client()).get(f"/pemohon/ajukan/izin-reklame?perpanjang={old.id}").status_code == 403
