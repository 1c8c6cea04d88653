"""OSS forwards an application over real HTTP; the business completes it from the emailed link,
prefilled; the decision goes back to OSS under OSS's own id."""

from __future__ import annotations

import io
import re

import httpx
from sqlalchemy import select

from engine.casework.models import ForwardedRequest
from engine.connectors import outbox as connector_outbox
from engine.workflow.models import Application
from tests.factories import REKLAME, reklame_uploads, work


def test_a_request_forwarded_by_oss_is_completed_by_the_business_and_its_decision_reported(
    app, session, services, user, login, outbox, served_app, agencies
):
    sent = httpx.post(
        f"{agencies.url}/_sim/oss/forward",
        json={
            "id_permohonan": "OSS-PB-7",
            "nib": "9120001234567",
            "kode_izin": "izin-reklame",
            "email": "pemohon@demo.test",
        },
        timeout=15,
    ).json()
    assert sent["callback_status"] == 201, sent
    link = re.search(r"http://\S+(/pemohon/ajukan/\S+)", outbox()[-1].get_content()).group(1)
    applicant = login("pemohon")
    page = applicant.get(link).get_data(as_text=True)
    assert 'value="9120001234567"' in page and 'value="PT Maju Jaya Reklame"' in page
    assert "Permohonan diteruskan dari OSS (nomor OSS-PB-7)" in page
    data = {**REKLAME, "nib": "9120001234567", "nama_penyelenggara": "PT Maju Jaya Reklame"}
    files = {u.field: (io.BytesIO(u.content), u.filename) for u in reklame_uploads()}
    answer = applicant.post(link, data={**data, **files}, content_type="multipart/form-data")
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    request = session.scalars(select(ForwardedRequest)).one()
    application = session.get(Application, request.application_id)
    while application.status == "diproses":
        work(session, services, user, application)
    connector_outbox.deliver_pending(session, agencies.connectors)
    session.commit()
    report = httpx.get(f"{agencies.url}/_sim/oss/reports").json()[application.reg_number]
    assert report["id_permohonan"] == "OSS-PB-7" and report["kd_status"] == "50"


def test_a_link_of_another_business_is_not_found(client, login, agencies):
    assert login("pemohon").get("/pemohon/ajukan/izin-reklame?oss=OSS-TIDAK-ADA").status_code == 404
