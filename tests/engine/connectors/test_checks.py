"""The connector checks a form field may name, against the simulators over real HTTP."""

from __future__ import annotations

from engine.connectors import checks
from engine.connectors.calls import Asker


def _run(session, agencies, name, value):
    return checks.run(session, agencies.connectors, name, value, Asker("uji"))


def test_a_registered_nib_gives_the_business_profile_to_fill_the_form_from(session, agencies):
    result = _run(session, agencies, "oss.nib", "9120001234567")
    assert result.ok and result.facts["nama"] == "PT Maju Jaya Reklame"
    assert result.facts["kbli"] == "73100 Periklanan" and result.facts["npwp"] == "01.234.567.8-901.000"


def test_an_unknown_or_revoked_nib_is_refused_with_a_reason(session, agencies):
    assert not _run(session, agencies, "oss.nib", "9999999999999").ok
    revoked = _run(session, agencies, "oss.nib", "9120000000009")
    assert not revoked.ok and "tidak aktif" in revoked.message


def test_tax_compliance_is_checked_with_djp(session, agencies):
    assert _run(session, agencies, "djp.kswp", "01.234.567.8-901.000").ok
    assert "KSWP) tidak valid" in _run(session, agencies, "djp.kswp", "02.345.678.9-012.000").message
    assert _run(session, agencies, "djp.npwp", "02.345.678.9-012.000").ok, "registered, though not compliant"
    assert not _run(session, agencies, "djp.npwp", "99.999.999.9-999.000").ok


def test_a_company_deed_comes_from_ahu_and_membership_from_bpjs(session, agencies):
    deed = _run(session, agencies, "ahu.perusahaan", "pt maju jaya reklame")
    assert deed.ok and deed.facts["direksi"] == "Andi Wijaya" and deed.facts["nomor_sk"].startswith("AHU-")
    assert _run(session, agencies, "bpjs.kepesertaan", "12345678901").ok
    assert not _run(session, agencies, "bpjs.kepesertaan", "98765432109").ok


def test_a_service_that_does_not_answer_gives_no_verdict(session, agencies):
    agencies.mode("djp", "mati")
    assert _run(session, agencies, "djp.kswp", "01.234.567.8-901.000") is None


def test_a_field_naming_an_unknown_check_or_fact_is_a_finding_for_the_process_admin():
    assert checks.problems({"check": "oss.nib", "fill": {"nama_penyelenggara": "nama"}}) == []
    assert "tidak dikenal" in checks.problems({"check": "oss.tidak_ada"})[0]
    assert "'warna' tidak diberikan oleh oss.nib" in checks.problems({"check": "oss.nib", "fill": {"x": "warna"}})[0]
    assert checks.problems("oss.nib")
