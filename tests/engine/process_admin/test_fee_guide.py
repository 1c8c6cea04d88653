"""The guide's fee: the published fee table as readable rows, and a calculator that gives the SKRD's
amount for the same answers (it runs the process's own table and fee script)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.errors import ValidationFailed
from engine.documents.models import PaymentBill
from engine.process_admin import fee_guide
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form
from tests.engine.payments.conftest import to_payment
from tests.factories import REKLAME


def _guide(session, code="izin-reklame"):
    version = definitions.published_version(session, definitions.permit_type_by_code(session, code))
    return version, fee_guide.guide_of(version.files, submission_form(version))


def test_the_calculator_gives_the_skrd_amount_for_the_same_answers(session, services, user):
    version, guide = _guide(session)
    assert sorted(f.name for f in guide.fields) == ["jenis_reklame", "jumlah_sisi", "luas_m2", "masa_berlaku_tahun"]
    application = to_payment(session, services, user)  # the real process up to its SKRD
    bill = session.scalar(select(PaymentBill).where(PaymentBill.application_id == application.id))
    answers = {f.name: REKLAME[f.name] for f in guide.fields}
    assert fee_guide.estimate(version.files, guide, answers) == bill.amount == 7_200_000
    # Other rows of the table: a larger billboard, a videotron over two years.
    assert fee_guide.estimate(version.files, guide, {**answers, "luas_m2": "30", "jumlah_sisi": "1"}) == 175_000 * 30
    assert (
        fee_guide.estimate(
            version.files,
            guide,
            {"jenis_reklame": "videotron", "luas_m2": "8", "jumlah_sisi": "1", "masa_berlaku_tahun": "2"},
        )
        == 400_000 * 8 * 2
    )


def test_missing_or_wrong_answers_are_explained(session):
    version, guide = _guide(session)
    with pytest.raises(ValidationFailed) as refused:
        fee_guide.estimate(version.files, guide, {"jenis_reklame": "billboard", "luas_m2": "dua", "jumlah_sisi": "0"})
    errors = refused.value.errors
    assert "angka" in errors["luas_m2"] and "lebih dari nol" in errors["jumlah_sisi"] and "masa_berlaku_tahun" in errors


def test_the_table_reads_as_a_tariff(session):
    _, guide = _guide(session)
    jenis, luas, tarif = guide.table.inputs[0], guide.table.inputs[1], guide.table.outputs[0]
    first = guide.table.rules[0]
    assert fee_guide.readable(first[0], False, jenis, guide.fields) == "Billboard / papan reklame"
    assert fee_guide.readable(first[1], False, luas, guide.fields) == "≤ 24"
    assert fee_guide.readable(first[2], True, tarif, guide.fields).replace("\xa0", " ") in ("Rp 150.000", "Rp150.000")
    assert fee_guide.readable("-", False, luas, guide.fields) == "semua"


def test_a_process_without_a_fee_has_no_guide(session):
    _, guide = _guide(session, "surat-izin-praktik")
    assert guide is None
