"""The draft a signer reads before typing the passphrase: the letter as completing the step would
issue it, marked DRAF, and nothing numbered, stored or signed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from engine.core.clock import utcnow
from engine.core.errors import NotFound
from engine.core.models import Counter
from engine.documents import drafts
from engine.documents.models import Document
from tests.factories import open_item, submit, waiting_at

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "draf.pdf"
    path.write_bytes(pdf)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def _stored(session):
    return (
        session.scalar(select(func.count()).select_from(Document)),
        sorted(session.execute(select(Counter.key, Counter.value)).all()),
    )


def test_the_head_reads_the_permit_before_signing_and_nothing_is_numbered_or_stored(session, services, user, tmp_path):
    _, item = waiting_at(session, services, user, "persetujuan_kepala")
    assert drafts.kinds_to_sign(item) == [("izin", item.application.permit_type.name, False)]
    before = _stored(session)

    text = _text(drafts.draft_pdf(services, item, "izin", user("kadis"), utcnow()), tmp_path)

    assert "DRAF" in text and "belum ditandatangani" in text
    assert item.application.applicant.name.upper() in text.upper()
    assert "Nomor: (diberikan saat ditandatangani)" in text
    assert "verifikasi" not in text.lower().replace("tidak dapat diverifikasi", "")
    assert _stored(session) == before


def test_the_officer_s_own_berita_acara_quotes_what_they_have_typed_so_far(session, services, user, tmp_path):
    _, item = waiting_at(session, services, user, "berita_acara")
    # The rejection letter after it is sealed by the system, so it is not the officer's to read here.
    assert [(kind, own) for kind, _, own in drafts.kinds_to_sign(item)] == [("berita_acara", True)]

    pdf = drafts.draft_pdf(
        services,
        item,
        "berita_acara",
        user("teknis"),
        utcnow(),
        typed={"temuan": "Papan reklame berdiri di atas trotoar.", "foto_lapangan": "x"},
    )

    assert "Papan reklame berdiri di atas trotoar." in _text(pdf, tmp_path)


def test_a_step_that_signs_nothing_has_no_draft_to_show(session, services, user):
    application = submit(session, services, user)
    item = open_item(session, application)
    assert drafts.kinds_to_sign(item) == []
    with pytest.raises(NotFound):
        drafts.draft_pdf(services, item, "izin", user("fo"), utcnow())
    _, head = waiting_at(session, services, user, "persetujuan_kepala")
    with pytest.raises(NotFound):
        drafts.draft_pdf(services, head, "skrd", user("kadis"), utcnow())
