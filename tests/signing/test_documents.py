"""Issued documents: the permit's QR code leads to its verification page; signatures hold up
in pyHanko and in poppler's pdfsig; tampering is caught."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import select

from engine.models import Document
from tests.engine.test_applications import submit, work

needs_tools = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftoppm", "zbarimg", "pdfsig", "certutil")),
                                 reason="poppler-utils and zbar-tools are installed by .ci/run")


@pytest.fixture
def permit(session, services, user, tmp_path):
    application = submit(session, services, user, code="surat-izin-praktik")
    while application.status == "diproses":
        work(session, services, user, application)
    doc = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    path = tmp_path / "izin.pdf"
    path.write_bytes(services.files.read(doc.sha256))
    return doc, path


@needs_tools
def test_qr_code_on_permit_decodes_to_its_verification_url(permit, tmp_path, services, client):
    doc, path = permit
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True)
    url = decoded.stdout.strip()
    assert url == services.verify_url(doc.verify_code)
    response = client.get(url.removeprefix("http://127.0.0.1:5000"))
    assert response.status_code == 200
    assert "Dokumen ASLI dan SAH" in response.get_data(as_text=True)


@needs_tools
def test_pdfsig_reports_valid_signature_trusted_by_the_agency_ca(permit, tmp_path, services):
    _, path = permit
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "agency-root", "-t", "CT,C,C",
                    "-i", str(services.documents.pki.ca_cert_path)], check=True)
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out
    assert "Certificate is Trusted" in out


def test_flipped_byte_is_not_intact(permit, services):
    _, path = permit
    data = bytearray(path.read_bytes())
    index = data.index(b"Surat Izin Praktik") if b"Surat Izin Praktik" in data else len(data) // 3
    data[index] ^= 0x01
    check = services.documents.verify(bytes(data))
    assert not check.ok and not (check.intact and check.valid)


def test_unsigned_pdf_is_reported_as_unsigned(services):
    from tests.factories import pdf_bytes

    assert services.documents.verify(pdf_bytes()).signed is False
