"""Issued documents: every signed kind holds up in poppler's pdfsig (valid, trusted through the
agency CA) and in our own check; its QR code leads to its verification page; tampering, appended
edits, revoked certificates and revoked or cancelled permits are reported as such."""

from __future__ import annotations

import html
import io
import shutil
import subprocess
from datetime import UTC, timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from sqlalchemy import select

from engine.casework import permits
from engine.casework.tasks import complete_task
from engine.core.clock import utcnow
from engine.documents import certificates
from engine.documents.documents import SignatureRequest
from engine.documents.models import Document
from tests.factories import open_item, submit, work
from tests.pdf_pages import page_text, qr_codes_by_page
from tests.signing.etsi import etsi_indication
from tests.signing.helpers import new_head
from webapp.seeding import DEMO_PASSPHRASE

needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftoppm", "zbarimg", "pdfsig", "certutil")),
    reason="poppler-utils, zbar-tools and libnss3-tools are installed by .ci/run",
)
SIGNED_KINDS = (
    "tanda_terima",
    "berita_acara",
    "skrd",
    "izin",
    "penolakan",
    "pencabutan",
    "pembatalan",
    "teguran",
    "pembatalan_penerbitan",
)
GROUNDS = ("Konstruksi reklame roboh dan membahayakan pengguna jalan.", "Perda Kota Contoh No. 5 Tahun 2024 Pasal 30")


def finish(session, services, user, code="izin-reklame", overrides=None):
    application = submit(session, services, user, code=code)
    first = True
    while application.status == "diproses":
        work(session, services, user, application, overrides if first else None)
        first = False
    return application


def document_of(session, application, kind) -> Document:
    return session.scalar(
        select(Document)
        .where(Document.application_id == application.id, Document.kind == kind)
        .order_by(Document.id.desc())
    )


@pytest.fixture
def issued(session, services, user):
    """One document of each signed kind, from real runs of the processes."""

    def make(kind):
        if kind == "penolakan":
            application = finish(
                session,
                services,
                user,
                overrides={
                    "hasil_verifikasi": "tidak_memenuhi",
                    "alasan_penolakan": "Lokasi berada di kawasan larangan reklame.",
                },
            )
            return document_of(session, application, kind)
        if kind == "pembatalan_penerbitan":
            application = submit(session, services, user)
            work(session, services, user, application)
            permits.cancel_before_issue(
                session, services, user("kadis"), application.id, *GROUNDS, SignatureRequest(DEMO_PASSPHRASE)
            )
            session.commit()
            return document_of(session, application, kind)
        application = finish(session, services, user)
        if kind in ("pencabutan", "pembatalan"):
            permit = document_of(session, application, "izin")
            permits.end_permit(
                session, services, user("kadis"), permit.id, kind, *GROUNDS, SignatureRequest(DEMO_PASSPHRASE)
            )
            session.commit()
        if kind == "teguran":
            permits.warn(
                session,
                services,
                user("kadis"),
                application.id,
                *GROUNDS,
                "Bongkar konstruksi dalam 3 hari.",
                SignatureRequest(DEMO_PASSPHRASE),
            )
            session.commit()
        return document_of(session, application, kind)

    return make


def _nss(tmp_path, services):
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{nss}",
            "-n",
            "agency-root",
            "-t",
            "CT,C,C",
            "-i",
            str(services.documents.pki.ca_cert_path),
        ],
        check=True,
    )
    return nss


def _pdfsig(path, nss) -> str:
    return subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=False
    ).stdout


@needs_tools
@pytest.mark.parametrize("kind", SIGNED_KINDS)
def test_signed_document_is_valid_trusted_timestamped_and_its_qr_leads_to_its_page(
    kind, issued, services, tmp_path, client
):
    doc = issued(kind)
    assert doc is not None and doc.signature in ("segel", "tte")
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(services.files.read(doc.sha256))

    out = _pdfsig(path, _nss(tmp_path, services))
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out
    check = services.documents.verify(path.read_bytes())
    assert check.ok and check.timestamp_ok and check.ltv

    # The stamp stands in the signature block, on whichever page a long letter puts it.
    read = qr_codes_by_page(path, tmp_path)
    decoded = [code for codes in read.values() for code in codes]
    assert "Ditetapkan di" in page_text(path, next(number for number, codes in read.items() if codes))
    assert decoded == [services.verify_url(doc.verify_code)]
    page = client.get(urlparse(decoded[0]).path).get_data(as_text=True)
    if kind in ("pencabutan", "pembatalan"):
        assert "Dokumen ASLI dan SAH" in page  # the decision itself is in force
    assert doc.number in page


def test_permit_is_signed_by_the_head_with_a_server_timestamp(issued, services, user):
    doc = issued("izin")
    check = services.documents.verify(services.files.read(doc.sha256))
    assert check.signer == user("kadis").name and doc.signer_id == user("kadis").id
    assert check.timestamp_ok and check.signing_time is not None
    assert doc.signer_certificate.serial == check.signer_serial


@needs_tools
def test_flipped_byte_is_not_intact_for_us_and_for_pdfsig(issued, services, client, tmp_path):
    doc = issued("izin")
    data = bytearray(services.files.read(doc.sha256))
    # A byte inside the signed page content (not the signature container itself).
    index = data.index(b"stream") + 40
    data[index] ^= 0x01
    path = tmp_path / "rusak.pdf"
    path.write_bytes(bytes(data))
    assert "Signature is Valid" not in _pdfsig(path, _nss(tmp_path, services))
    page = client.post(
        "/verifikasi", data={"berkas": (io.BytesIO(bytes(data)), "izin.pdf")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "TIDAK dapat dipastikan keasliannya" in page and "TIDAK utuh" in page


def _append_edit(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)  # a visible change, written after the signature
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_edit_appended_after_signing_is_reported_as_changed(issued, services, client):
    doc = issued("izin")
    edited = _append_edit(services.files.read(doc.sha256))
    page = client.post(
        "/verifikasi", data={"berkas": (io.BytesIO(edited), "izin.pdf")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Berkas DIUBAH setelah ditandatangani" in page
    assert "Bagian yang ditandatangani sama dengan arsip" in page
    body = client.post("/api/v1/verify", data=edited, content_type="application/pdf").get_json()
    assert body["authentic"] is False and body["signature"]["unchanged_after_signing"] is False
    assert body["changed_copy_of_archive"] is True and body["document"]["number"] == doc.number
    assert body["in_force"] is False and body["matches_archive"] is False  # a changed copy is not the permit
    assert "sama persis dengan dokumen asli" not in page


def test_the_qr_page_reads_the_archive_and_points_to_the_original_without_claiming_a_match(issued, client):
    doc = issued("izin")
    page = client.get(f"/verify/{doc.verify_code}").get_data(as_text=True)
    assert "Dokumen ASLI dan SAH" in page and "Ini dokumen asli dari arsip dinas" in page
    assert "sama persis dengan dokumen asli" not in page and f"/verify/{doc.verify_code}/asli" in page
    body = client.get(f"/api/v1/verify/{doc.verify_code}").get_json()
    assert body["matches_archive"] is None and body["authentic"] is True and body["in_force"] is True


def test_unchanged_download_matches_the_archive(issued, services, client):
    doc = issued("izin")
    body = client.post(
        "/api/v1/verify", data=services.files.read(doc.sha256), content_type="application/pdf"
    ).get_json()
    assert body["authentic"] is True and body["matches_archive"] is True and body["in_force"] is True
    assert body["signature"]["timestamped"] is True and body["signature"]["long_term_validation_data"] is True


def test_a_certificate_revoked_later_leaves_earlier_signatures_valid_and_voids_later_ones(
    session, services, user, client
):
    head = new_head(session, services)
    application = submit(session, services, user, code="surat-izin-praktik")
    while application.status == "diproses":
        item = open_item(session, application)
        if item.task_spec == "persetujuan_kepala":
            complete_task(
                session,
                services,
                item.id,
                head,
                {"keputusan_kepala": "setujui"},
                signature=SignatureRequest("kepala-baru-123"),
            )
            session.commit()
        else:
            work(session, services, user, application)
    permit = document_of(session, application, "izin")
    assert permit.signer_id == head.id
    certificate = permit.signer_certificate
    p12 = certificate.p12
    # The head leaves office an hour later and his certificate is revoked.
    with time_machine.travel(utcnow() + timedelta(hours=1)):
        certificates.revoke(session, services, user("admin"), certificate.id, "Kunci diduga bocor")
        session.commit()
        # Signed (and timestamped) before the revocation: the permit stays valid, and says so.
        page = client.get(f"/verify/{permit.verify_code}").get_data(as_text=True)
        assert "Ditandatangani sebelum sertifikat penandatangan dicabut pada" in page and "TELAH DICABUT" not in page
        body = client.get(f"/api/v1/verify/{permit.verify_code}").get_json()
        assert body["signature"]["certificate_revoked"] is False and body["authentic"] is True
        assert body["signature"]["certificate_revoked_after_signing"] is not None
        # pyHanko agrees: judged at the trusted timestamp with the CRL issued since, the signer was good.
        verdict = services.documents.verify(services.files.read(permit.sha256))
        assert verdict.revoked_after_signing and verdict.trusted and not verdict.revoked and verdict.ok
        crl = client.get("/pki/ca.crl")
        assert crl.status_code == 200 and crl.mimetype == "application/pkix-crl"
        # An outside ETSI validator, given the list that now names the certificate, agrees.
        root = services.documents.pki.ca_cert_path.read_bytes()
        assert (
            etsi_indication(services.files.read(permit.sha256), root, at=utcnow(), downloaded_crl=crl.data)
            == "TOTAL-PASSED"
        )
        # A signature forced through with the revoked key afterwards is not valid.
        from signing.certs import open_p12
        from signing.pades import extend_lta, make_signer, sign_pdf
        from tests.factories import pdf_bytes

        key, cert, chain = open_p12(p12, "kepala-baru-123")
        # A minute later: within a second of the revocation, no validator can order the two.
        with time_machine.travel(utcnow() + timedelta(minutes=1)):
            forged = sign_pdf(
                pdf_bytes("izin yang ditandatangani sesudah pencabutan"),
                make_signer(key, cert, chain),
                timestamper=services.documents.timestamper,
                context=None,
                reason="sesudah dicabut",
                location="Kota",
                signer_name=head.name,
                url=None,
            )
            forged = extend_lta(forged, services.documents.timestamper, crls=services.documents.trust().crls)
            assert etsi_indication(forged, root, at=utcnow(), downloaded_crl=crl.data) == "REVOKED_NO_POE"
            after = client.post("/api/v1/verify", data=forged, content_type="application/pdf").get_json()
            assert after["signature"]["certificate_revoked"] is True and after["authentic"] is False
            assert after["signature"]["certificate_revoked_after_signing"] is None


@pytest.mark.parametrize("action,label", [("pencabutan", "Dicabut"), ("pembatalan", "Dibatalkan")])
def test_revoked_or_cancelled_permit_shows_at_once(action, label, issued, session, client):
    decision = issued(action)
    permit = session.scalar(select(Document).where(Document.superseded_by_id == decision.id))
    assert permit.status in ("dicabut", "dibatalkan")
    page = client.get(f"/verify/{permit.verify_code}").get_data(as_text=True)
    assert "Dokumen ASLI, tetapi statusnya" in page and label in page and decision.number in page
    body = client.get(f"/api/v1/verify/{permit.verify_code}").get_json()
    assert body["in_force"] is False and body["status"] == permit.status


def test_revocation_needs_reason_legal_basis_and_the_heads_passphrase(issued, session, services, user):
    from engine.core.errors import SigningRefused, ValidationFailed

    permit = issued("izin")
    with pytest.raises(ValidationFailed) as caught:
        permits.end_permit(session, services, user("kadis"), permit.id, "pencabutan", "", "", None)
    assert set(caught.value.errors) == {"alasan", "dasar_hukum"}
    session.rollback()
    with pytest.raises(SigningRefused):
        permits.end_permit(
            session,
            services,
            user("kadis"),
            permit.id,
            "pencabutan",
            "Pemegang izin melanggar ketentuan.",
            "Perda No. 5/2024",
            SignatureRequest("salah-sekali"),
        )
    session.rollback()
    assert session.get(Document, permit.id).status == "berlaku"


def test_archived_files_are_read_only_and_a_changed_blob_is_detected(issued, services):
    from engine.core.files import ArchiveDamaged

    doc = issued("tanda_terima")
    path = services.files.path_for(doc.sha256)
    assert not path.stat().st_mode & 0o222
    original = path.read_bytes()
    path.chmod(0o644)
    try:
        path.write_bytes(original + b"% tambahan")
        with pytest.raises(ArchiveDamaged):
            services.files.read(doc.sha256)
    finally:
        path.write_bytes(original)
        path.chmod(0o444)


def test_permit_past_its_validity_shows_as_expired(issued, session, client):
    from datetime import datetime, timedelta

    permit = issued("izin")
    assert permit.valid_until is not None  # Izin Reklame: issue date plus masa berlaku (years)
    permit.valid_until = datetime.now(UTC) - timedelta(days=1)
    session.commit()
    page = client.get(f"/verify/{permit.verify_code}").get_data(as_text=True)
    assert "Kedaluwarsa" in page and "Dokumen ASLI, tetapi statusnya" in page
    assert client.get(f"/api/v1/verify/{permit.verify_code}").get_json()["status"] == "kedaluwarsa"


def test_a_pdf_whose_last_signature_is_a_document_timestamp_verifies_as_intact_listing_every_signature(
    issued, services, client
):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    doc = issued("izin")
    writer = IncrementalPdfFileWriter(io.BytesIO(services.files.read(doc.sha256)))
    stamped = (
        signers.PdfTimeStamper(services.documents.timestamper).timestamp_pdf(writer, md_algorithm="sha256").getvalue()
    )
    verdict = services.documents.verify(stamped)
    assert verdict.intact and verdict.trusted and verdict.unchanged_after_signing and verdict.ok
    # Issued as B-LTA (one document timestamp already), now with a second one on top.
    assert verdict.signer and [e.kind for e in verdict.signatures] == ["tanda_tangan", "cap_waktu", "cap_waktu"]
    assert all(e.ok for e in verdict.signatures) and verdict.ades == "TOTAL-PASSED"
    body = client.post("/api/v1/verify", data=stamped, content_type="application/pdf").get_json()
    assert body["signature"]["intact"] is True and body["signature"]["signer"] == verdict.signer
    assert [s["kind"] for s in body["signature"]["all"]] == ["tanda_tangan", "cap_waktu", "cap_waktu"]
    page = client.post(
        "/verifikasi", data={"berkas": (io.BytesIO(stamped), "izin.pdf")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Tanda tangan elektronik utuh." in page and "Cap waktu dokumen untuk arsip jangka panjang (2) utuh" in page
    assert "Penandatangan tidak dapat dibaca" not in page and "Semua tanda tangan dalam berkas" in page


def test_the_verify_page_shows_what_a_careful_verifier_needs(issued, client):
    """Like the national verifier: signer with NIK masked, issuer, serial and validity, the
    timestamp authority, revocation and when it was checked, the PAdES level, reason and location."""
    permit = issued("izin")
    body = client.get(f"/api/v1/verify/{permit.verify_code}").get_json()["signature"]
    assert body["signer_nik"] == "1671**********01"  # the demo head's NIK, 1671010101700001
    assert body["issuer"].endswith("Root CA") and body["serial"] and body["tsa"].endswith("Timestamping")
    assert body["certificate_valid_from"] < body["signing_time"] < body["certificate_valid_until"]
    assert body["revocation_checked"] is True and body["revocation_checked_at"]
    assert body["pades_level"] == "B-LTA" and body["reason"] and body["location"]
    assert body["etsi_indication"] == "TOTAL-PASSED"
    page = client.get(f"/verify/{permit.verify_code}").get_data(as_text=True)
    for label in (
        "NIK penandatangan",
        "Penerbit sertifikat",
        "Nomor seri sertifikat",
        "Masa berlaku sertifikat",
        "Penerbit cap waktu",
        "Status pencabutan",
        "Tingkat PAdES",
        "1671**********01",
    ):
        assert label in page, label
    assert "1671010101700001" not in page


def test_a_foreign_verifier_reads_the_verdict_in_english(issued, client):
    permit = issued("izin")
    page = html.unescape(client.get(f"/verify/{permit.verify_code}?lang=en").get_data(as_text=True))
    try:
        assert "The electronic signature is intact." in page and "No change after it was signed." in page
        assert "The signer's certificate is trusted and not revoked." in page
        assert "Tanda tangan elektronik utuh" not in page and "Sertifikat penandatangan" not in page
    finally:
        client.get("/?lang=id")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run")
def test_a_permit_whose_template_has_an_english_copy_carries_it_after_the_indonesian_under_one_signature(
    issued, services, tmp_path
):
    def pages(content: bytes) -> list[str]:
        path = tmp_path / "doc.pdf"
        path.write_bytes(content)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        return [" ".join(page.split()) for page in text.stdout.split("\f") if page.strip()]

    permit = issued("izin")
    content = services.files.read(permit.sha256)
    text = pages(content)
    first_english = next(i for i, page in enumerate(text) if "ENGLISH TRANSLATION" in page)
    indonesian, english = " ".join(text[:first_english]), " ".join(text[first_english:])
    assert first_english >= 1 and "Nomor: " + permit.number in indonesian and "Berlaku sampai dengan" in indonesian
    assert "Number: " + permit.number in english and "The Indonesian text above is the authentic" in english
    assert "Valid until" in english and "Retribution paid" in english and "IDR " in english
    assert "HEAD OF" in english and "signed on the Indonesian original above" in english
    assert "Law Number 11 of 2008" in english and "Undang-Undang Nomor 11 Tahun 2008" not in english
    assert "Keputusan Kepala" not in english and "Decree of the Head" not in indonesian
    # One signature covers both, and its visible stamp stays on the Indonesian first page.
    verdict = services.documents.verify(content)
    assert verdict.intact and verdict.trusted and verdict.unchanged_after_signing
    # A letter whose template has no English copy has none.
    receipt = issued("tanda_terima")
    assert not any("ENGLISH TRANSLATION" in page for page in pages(services.files.read(receipt.sha256)))
