"""What a letter says: its facts in Indonesian and, where the template asks for an English copy,
the same facts written the English way, with the signer named in English."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from engine.documents.letters import letter_facts, signer_position
from engine.workflow.version_forms import template_of
from tests.factories import REKLAME, submit

NOW = datetime(2026, 12, 1, 19, 42, tzinfo=UTC)  # 2 December in WIB


def _facts(services, user, application, template, data):
    facts, valid_until = letter_facts(
        services,
        application,
        "izin",
        template,
        "kepala_dinas",
        data,
        user("kadis"),
        NOW,
        None,
        None,
        number="503/0001/REK/DPMPTSP/XII/2026",
        verify_code="KODE",
        paper=False,
    )
    return facts, valid_until


def test_a_template_with_an_english_part_gets_the_facts_written_in_english(session, services, user):
    application = submit(session, services, user)
    template = template_of(application.process_version, "izin")
    assert "en" in template
    data = {**REKLAME, "retribusi": 7_200_000, "bersedia": True, "faktor": Decimal("24.5")}

    facts, valid_until = _facts(services, user, application, template, data)

    assert facts["values"]["date"] == "2 Desember 2026" and facts["values"]["retribusi_rupiah"] == "Rp 7.200.000"
    assert facts["values"]["bersedia"] == "Ya" and facts["values"]["faktor"] == "24,5"
    english = facts["english"]
    assert english["template"] is template["en"] and english["date"] == "2 December 2026"
    assert english["values"]["retribusi_rupiah"] == "IDR 7,200,000" and english["values"]["bersedia"] == "Yes"
    assert english["values"]["faktor"] == "24.5" and english["values"]["number"] == facts["number"]
    assert valid_until is not None and facts["values"]["berlaku_sampai"] == "2 Desember 2027"
    assert english["values"]["berlaku_sampai"] == "2 December 2027"
    assert english["signer"]["position"].startswith("HEAD OF ") and facts["signer"]["position"].startswith("KEPALA ")
    assert english["signer"]["name"] == facts["signer"]["name"]


def test_a_template_without_an_english_part_has_no_english_copy(session, services, user):
    application = submit(session, services, user)
    template = {key: value for key, value in template_of(application.process_version, "izin").items() if key != "en"}
    facts, _ = _facts(services, user, application, template, dict(REKLAME))
    assert "english" not in facts


def test_the_signer_is_named_in_the_letter_s_language():
    assert signer_position("segel", "DPMPTSP", None) == "a.n. KEPALA DPMPTSP"
    assert signer_position("segel", "DPMPTSP", None, "en") == "on behalf of the HEAD OF DPMPTSP"
    assert signer_position("kepala_dinas", "DPMPTSP", "Kepala Dinas", "en") == "HEAD OF DPMPTSP"
    assert signer_position("petugas", "DPMPTSP", "Analis Perizinan", "en") == "Analis Perizinan"
    assert signer_position("petugas", "DPMPTSP", None) == "Petugas"
    assert signer_position("petugas", "DPMPTSP", None, "en") == "Officer"
