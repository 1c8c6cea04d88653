"""The permit card: two card-sized pages whose QR code decodes to the verification address."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from engine.documents.cards import card_facts
from engine.documents.models import Document
from signing.cards import HEIGHT, WIDTH, render
from tests.factories import issued

needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftoppm", "zbarimg", "pdftotext")),
    reason="poppler-utils and zbar-tools are installed by .ci/run",
)


@needs_tools
def test_the_card_carries_the_permit_and_a_qr_code_of_its_verification_page(session, services, user, tmp_path):
    application = issued(session, services, user)
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    path = tmp_path / "kartu.pdf"
    path.write_bytes(render(card_facts(services, permit)))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2\n", info) and f"{WIDTH / 25.4 * 72:.2f} x {HEIGHT / 25.4 * 72:.2f} pts" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert permit.number in text and "Budi Santoso" in text and "IZIN REKLAME" in text
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "2", "-l", "2", str(path), str(tmp_path / "back")], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("back*.png")))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == services.verify_url(permit.verify_code)
