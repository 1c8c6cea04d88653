"""A letter carries the agency's own date, and its number (and a registration number) the agency's
year and month: at 02:42 WIB on 2 December it is still 1 December in UTC. Frozen instants."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engine.core.localtime import format_date, format_datetime, format_rupiah
from engine.documents.models import Document
from tests.timeline import WIB, step, submit

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by .ci/run")


def _permit_signed_at(session, services, user, moment: datetime):
    """A Surat Izin Praktik received and surveyed the day before, signed by the head at ``moment``."""
    day_before = (moment.astimezone(WIB) - timedelta(days=1)).replace(hour=9, minute=0)
    application = submit(session, services, user, "surat-izin-praktik", day_before)
    for hour in (10, 11, 12):  # receipt, survey, berita acara
        step(session, services, user, application, day_before.replace(hour=hour))
    step(session, services, user, application, moment)
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    return application, permit


def _text(services, document, tmp_path) -> str:
    path = tmp_path / "dokumen.pdf"
    path.write_bytes(services.files.read(document.sha256))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@needs_pdftotext
@pytest.mark.parametrize(
    ("moment", "dated", "numbered"),
    [
        # 02:42 WIB on 2 December is 19:42 UTC on 1 December.
        (datetime(2026, 12, 2, 2, 42, tzinfo=WIB), "2 Desember 2026", "/XII/2026"),
        # 02:42 WIB on 1 December is still November in UTC: the number is December's all the same.
        (datetime(2026, 12, 1, 2, 42, tzinfo=WIB), "1 Desember 2026", "/XII/2026"),
    ],
)
def test_a_permit_signed_in_the_small_hours_is_dated_and_numbered_by_the_agency_clock(
    session, services, user, tmp_path, moment, dated, numbered
):
    _, permit = _permit_signed_at(session, services, user, moment)
    assert permit.number.endswith(numbered), permit.number
    text = _text(services, permit, tmp_path)
    assert f"Ditetapkan di Kota Contoh pada tanggal {dated}" in text
    # The stamp shows the real signing time, in the agency's zone with its label.
    assert "UTC" not in text and " WIB Verifikasi" in text


def test_new_year_in_the_agency_zone_starts_the_new_numbering_year(session, services, user):
    # 01:00 WIB on 1 January 2027 is 18:00 UTC on 31 December 2026.
    application = submit(session, services, user, "surat-izin-praktik", datetime(2027, 1, 1, 1, 0, tzinfo=WIB))
    assert "-2027-" in application.reg_number
    step(session, services, user, application, datetime(2027, 1, 1, 2, 0, tzinfo=WIB))
    receipt = session.scalar(
        select(Document).where(Document.application_id == application.id, Document.kind == "tanda_terima")
    )
    assert receipt.number.startswith("TT/") and "/2027/" in receipt.number


@needs_pdftotext
def test_an_agency_in_wita_dates_its_letters_in_wita(session, services, user, tmp_path):
    wita = dataclasses.replace(services, calendar=dataclasses.replace(services.calendar, zone="WITA"))
    # 23:30 WIB on 1 December is 00:30 WITA on 2 December.
    _, permit = _permit_signed_at(session, wita, user, datetime(2026, 12, 1, 23, 30, tzinfo=WIB))
    assert "2 Desember 2026" in _text(wita, permit, tmp_path)


def test_times_carry_their_zone_label_and_money_is_rupiah():
    moment = datetime(2026, 12, 1, 19, 42, tzinfo=UTC)
    assert format_datetime(moment, "WIB") == "2 Desember 2026 02.42 WIB"
    assert format_datetime(moment, "WITA") == "2 Desember 2026 03.42 WITA"
    assert format_datetime(moment, "WIT") == "2 Desember 2026 04.42 WIT"
    assert format_datetime(moment, "Asia/Makassar") == "2 Desember 2026 03.42 WITA"
    assert format_date(moment, "WIB") == "2 Desember 2026"
    assert format_date(datetime(2026, 12, 1, 16, 59, tzinfo=UTC), "WIB") == "1 Desember 2026"
    assert format_date(moment.replace(tzinfo=None), "WIB") == "2 Desember 2026"  # naive values are UTC
    assert format_rupiah(7_200_000) == "Rp 7.200.000"
    assert format_datetime(datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("UTC")), "WIT") == "1 Juni 2026 21.00 WIT"


def test_a_phrase_reads_as_indonesian_and_can_be_said_in_another_language():
    from engine.core.localtime import Phrase

    phrase = Phrase("Minimal %(n)s karakter.", n=5)
    assert phrase == "Minimal 5 karakter." and isinstance(phrase, str)
    assert phrase.said({"Minimal %(n)s karakter.": "At least %(n)s characters."}.get) == "At least 5 characters."
    assert Phrase("Wajib diisi.").said(lambda template: "Required.") == "Required."
