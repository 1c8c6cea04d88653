"""Document templates in the draft: edited with a check before saving, a sample letter before
publishing, and the placeholders nothing in the draft fills are named."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from engine.core.errors import ValidationFailed
from engine.process_admin import drafts, template_preview
from tests.timeline import at


def test_every_template_of_a_new_permit_type_is_listed_by_its_document_name(session, made):
    files = drafts.draft_of(session, made()).files
    kinds = {t.kind: t.title for t in template_preview.templates_of(files)}
    assert kinds["izin"] == "Surat Izin" and kinds["skrd"].startswith("Surat Ketetapan Retribusi Daerah")
    assert {"tanda_terima", "penolakan", "berita_acara"} <= set(kinds)


def test_placeholders_that_no_form_fills_are_named(session, made):
    files = drafts.draft_of(session, made()).files
    text = json.dumps(
        {
            "title": "Izin {permit_name}",
            "blocks": [
                {"text": "Usaha {nama_usaha} di {alamat_lokasi} untuk {applicant_name}; {jumlah_peserta} orang."}
            ],
        }
    )
    assert template_preview.unknown_placeholders(files, text) == ["jumlah_peserta"]


def test_a_template_that_would_not_render_is_refused_and_the_draft_kept(session, user, made):
    permit_type = made()
    before = drafts.draft_of(session, permit_type).files["templates/izin.json"]
    for text in (
        '{"title": "Izin"',
        '{"blocks": []}',
        '{"title": "Izin", "signature": "camat"}',
        '{"title": "Izin", "blocks": [{"gambar": "logo.png"}]}',
        '{"title": "Izin", "blocks": {"text": "x"}}',
        '{"title": "Izin", "blocks": [{"text": "x", "table": "permohonan"}]}',
        '{"title": "Izin", "blocks": [{"text": ["x"]}]}',
        '{"title": "Izin", "blocks": [{"facts": "Nama: Siti"}]}',
        '{"title": "Izin", "blocks": [{"facts": [["Nama"]]}]}',
        '{"title": "Izin", "blocks": [{"table": "gaji"}]}',
        '{"title": "Izin", "blocks": [{"text": "x", "when": 3}]}',
        '{"title": "Izin", "blocks": [{"text": "x", "style": "Z"}]}',
    ):
        with pytest.raises(ValidationFailed) as refused:
            drafts.save_draft_files(session, user("proses"), permit_type, {"templates/izin.json": text}, now=at(2, 9))
        assert list(refused.value.errors) == ["templates/izin.json"]
        session.rollback()
    assert drafts.draft_of(session, permit_type).files["templates/izin.json"] == before


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by .ci/run")
def test_the_preview_is_an_unsigned_sample_with_each_other_placeholder_named(session, services, made):
    files = drafts.draft_of(session, made()).files
    template = json.loads(files["templates/izin.json"])
    template["blocks"].insert(0, {"text": "Kegiatan {nama_usaha} dihadiri {jumlah_peserta} orang."})
    pdf = template_preview.preview_pdf(services, "Izin Keramaian", template, at(2, 9))
    assert pdf.startswith(b"%PDF") and b"/ByteRange" not in pdf  # never signed
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split()
    )
    assert "PRATINJAU - bukan dokumen resmi" in text
    assert "Kegiatan <nama_usaha> dihadiri <jumlah_peserta> orang." in text
    assert "PEMBERIAN IZIN KERAMAIAN" in text.upper() and "Siti Rahmawati" in text
