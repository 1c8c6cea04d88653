"""Every call to another agency leaves a row: who asked, about whom (masked), why, how it went."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.connectors.calls import Asker, logged, mask
from engine.connectors.dukcapil import IdentityClaim
from engine.connectors.http import ConnectorUnavailable
from engine.connectors.models import ConnectorCall


def test_personal_numbers_are_kept_masked():
    assert mask("3171010101800001") == "3171********0001"
    assert mask("1234") == "1234" and mask(None) is None


def test_an_answered_call_is_logged_with_its_asker_purpose_and_verdict(session, agencies, user):
    claim = IdentityClaim("3171010101800001", "Budi Santoso", date(1980, 1, 1))
    asker = Asker("registrasi akun", actor_id=user("fo").id)
    logged(
        session,
        "dukcapil",
        "verifikasi_nik",
        asker,
        claim.nik,
        lambda: agencies.connectors.dukcapil.verify(claim),
        lambda v: v.outcome,
    )
    row = session.scalars(select(ConnectorCall)).one()
    assert (row.service, row.operation, row.purpose, row.actor_id) == (
        "dukcapil",
        "verifikasi_nik",
        "registrasi akun",
        user("fo").id,
    )
    assert row.subject == "3171********0001" and row.ok and row.outcome == "cocok" and row.duration_ms >= 0


def test_an_unanswered_call_is_logged_as_failed_and_the_error_goes_on(session, agencies):
    agencies.mode("dukcapil", "mati")
    claim = IdentityClaim("3171010101800001", "Budi Santoso", date(1980, 1, 1))
    with pytest.raises(ConnectorUnavailable):
        logged(
            session,
            "dukcapil",
            "verifikasi_nik",
            Asker("uji"),
            claim.nik,
            lambda: agencies.connectors.dukcapil.verify(claim),
            lambda v: v.outcome,
        )
    row = session.scalars(select(ConnectorCall)).one()
    assert not row.ok and row.outcome.startswith("gagal")
