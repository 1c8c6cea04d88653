"""The satisfaction survey through the pages: offered on the file once the permit is handed over,
answered once; the supervisor reads the index and its PDF report; the agency may ask for it first."""

from sqlalchemy import select

from engine.documents.models import Document
from tests.engine.feedback.test_ikm import ANSWERS
from tests.factories import issued as _handed_over


def test_the_applicant_rates_the_service_and_the_supervisor_reads_the_index(app, session, services, user, login):
    files = [_handed_over(session, services, user) for _ in ANSWERS]
    applicant = login("pemohon", app.test_client())
    assert "Isi survei kepuasan" in applicant.get(f"/pemohon/permohonan/{files[0].id}").get_data(as_text=True)
    half = applicant.post(f"/pemohon/permohonan/{files[0].id}/survei", data={"unsur_1": "4"})
    assert half.status_code == 422 and "belum dinilai" in half.get_data(as_text=True)
    for application, answers in zip(files, ANSWERS, strict=True):
        sent = applicant.post(
            f"/pemohon/permohonan/{application.id}/survei",
            data={f"unsur_{i}": str(a) for i, a in enumerate(answers, start=1)},
        )
        assert sent.status_code == 302
    assert "Isi survei kepuasan" not in applicant.get(f"/pemohon/permohonan/{files[0].id}").get_data(as_text=True)
    again = applicant.get(f"/pemohon/permohonan/{files[0].id}/survei")
    assert again.status_code == 302  # once per file

    supervisor = login("pengawas", app.test_client())
    page = supervisor.get("/pengawasan/ikm").get_data(as_text=True)
    assert "IKM 84,03" in page and "mutu B (Baik)" in page and "4 responden" in page
    pdf = supervisor.get("/pengawasan/ikm.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert applicant.get("/pengawasan/ikm").status_code == 403


def test_an_agency_may_ask_for_the_survey_before_the_permit_is_downloaded(app, session, services, user, login):
    application = _handed_over(session, services, user)
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    applicant = login("pemohon", app.test_client())
    app.config["SURVEY_BEFORE_DOWNLOAD"] = True
    try:
        asked = applicant.get(f"/pemohon/dokumen/{permit.id}")
        assert asked.status_code == 302 and asked.headers["Location"].endswith(f"/permohonan/{application.id}/survei")
        applicant.post(f"/pemohon/permohonan/{application.id}/survei", data={f"unsur_{i}": "4" for i in range(1, 10)})
        assert applicant.get(f"/pemohon/dokumen/{permit.id}").status_code == 200
    finally:
        app.config["SURVEY_BEFORE_DOWNLOAD"] = False


def test_the_holder_downloads_the_permit_card_and_others_may_not(app, session, services, user, login):
    application = _handed_over(session, services, user)
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    applicant = login("pemohon", app.test_client())
    assert "kartu izin" in applicant.get(f"/pemohon/permohonan/{application.id}").get_data(as_text=True)
    card = applicant.get(f"/pemohon/dokumen/{permit.id}/kartu.pdf")
    assert card.status_code == 200 and card.mimetype == "application/pdf" and card.data.startswith(b"%PDF")
    assert login("fo", app.test_client()).get(f"/pemohon/dokumen/{permit.id}/kartu.pdf").status_code == 403


def test_the_index_is_read_per_unit_too(app, session, services, user, login):
    application = _handed_over(session, services, user)
    reklame = application.permit_type
    reklame.unit = "Bidang Pelayanan Perizinan"
    session.commit()
    try:
        applicant = login("pemohon", app.test_client())
        applicant.post(f"/pemohon/permohonan/{application.id}/survei", data={f"unsur_{i}": "4" for i in range(1, 10)})
        supervisor = login("pengawas", app.test_client())
        page = supervisor.get("/pengawasan/ikm?unit=Bidang+Pelayanan+Perizinan").get_data(as_text=True)
        assert "Unit Bidang Pelayanan Perizinan" in page and "IKM 100,00" in page
        assert "Belum ada jawaban" in supervisor.get("/pengawasan/ikm?unit=Bidang+Lain").get_data(as_text=True)
    finally:
        reklame.unit = None
        session.commit()
