"""The population registry's verification by elements, against the simulator over real HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from engine.connectors import registry
from engine.connectors.dukcapil import IdentityClaim
from engine.connectors.http import ConnectorRefused
from tests.agencies import settings


def test_a_matching_claim_is_verified_field_by_field(agencies):
    verdict = agencies.connectors.dukcapil.verify(
        IdentityClaim("3171010101800001", "Budi Santoso", date(1980, 1, 1), "Jakarta")
    )
    assert verdict.matches and verdict.outcome == "cocok"
    assert verdict.fields == {"NAMA_LGKP": True, "TGL_LHR": True, "TMPT_LHR": True}


def test_a_wrong_birth_date_and_name_are_named_as_the_fields_that_differ(agencies):
    verdict = agencies.connectors.dukcapil.verify(
        IdentityClaim("3171010101800001", "Bambang Sutrisno", date(1981, 1, 1))
    )
    assert verdict.found and not verdict.matches and verdict.outcome == "tidak_cocok"
    assert verdict.mismatched == ["nama", "tanggal lahir"]


def test_a_small_spelling_difference_in_the_name_still_matches_above_the_threshold(agencies):
    verdict = agencies.connectors.dukcapil.verify(IdentityClaim("3273012002900003", "Ahmad Fauzi ", date(1990, 2, 20)))
    assert verdict.matches


def test_an_unknown_nik_is_not_found(agencies):
    verdict = agencies.connectors.dukcapil.verify(IdentityClaim("3171019999999999", "Siapa Saja", date(1990, 1, 1)))
    assert not verdict.found and verdict.outcome == "tidak_ditemukan"


def test_wrong_service_credentials_are_refused_with_a_message_for_the_operator(agencies):
    wrong = registry.build(settings(agencies.url, password="salah"))
    with pytest.raises(ConnectorRefused) as caught:
        wrong.dukcapil.verify(IdentityClaim("3171010101800001", "Budi Santoso", date(1980, 1, 1)))
    assert "user id dan kata sandi" in caught.value.message
