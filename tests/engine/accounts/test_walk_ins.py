"""A person served at the counter: found by NIK or given an account without a password, which they
later claim with their own email and password."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from engine.accounts import walk_ins
from engine.accounts.users import authenticate
from engine.core.clock import utcnow
from engine.core.errors import PermissionDenied, ValidationFailed

SECRET = "rahasia-uji"


def person() -> dict:
    """A walk-in nobody has seen yet (accounts outlive tests: each gets a NIK of its own)."""
    return {
        "nik": "3273" + f"{secrets.randbelow(10**12):012d}",
        "name": "Ahmad Fauzi",
        "birth_date": "1990-02-20",
        "birth_place": "Bandung",
        "phone": "0812 9999 0003",
    }


def test_a_known_nik_is_the_known_account_and_a_new_one_gets_an_account_without_password(session, user):
    officer = user("fo")
    found, created = walk_ins.walk_in(session, officer, nik="3171010101800001", name="", birth_date="", birth_place="")
    assert (found.email, created) == ("pemohon@demo.test", False)
    walker, created = walk_ins.walk_in(session, officer, **person())
    assert created and walk_ins.unclaimed(walker) and walker.email_confirmed_at is None
    assert walker.phone == "081299990003" and walker.has_role("pemohon")
    assert authenticate(session, walker.email, "") is None
    session.rollback()


def test_only_the_front_office_and_only_with_ktp_data(session, user):
    with pytest.raises(PermissionDenied):
        walk_ins.walk_in(session, user("teknis"), **person())
    with pytest.raises(ValidationFailed) as refused:
        walk_ins.walk_in(session, user("fo"), nik="123", name="A", birth_date="", birth_place="")
    assert "16 digit" in refused.value.errors["nik"]
    with pytest.raises(ValidationFailed) as refused:
        walk_ins.walk_in(session, user("fo"), **{**person(), "email": "fo@demo.test"})
    assert "sudah dipakai" in refused.value.errors["email"]


def test_the_owner_claims_the_account_once_with_a_link_valid_for_a_month(session, user):
    walker, _ = walk_ins.walk_in(session, user("fo"), **person())
    token = walk_ins.claim_link(session, SECRET, walker, lambda t: t)
    with pytest.raises(ValidationFailed) as refused:
        walk_ins.claim(session, SECRET, token, "", "Kopi-Tubruk-Pagi-42", "Kopi-Tubruk-Pagi-42")
    assert "Isi alamat email" in refused.value.errors["email"]
    claimed = walk_ins.claim(
        session,
        SECRET,
        token,
        "Ahmad.Fauzi@warga.test",
        "Kopi-Tubruk-Pagi-42",
        "Kopi-Tubruk-Pagi-42",
        now=utcnow() + timedelta(days=29),
    )
    assert claimed.email == "ahmad.fauzi@warga.test" and not walk_ins.unclaimed(claimed)
    assert authenticate(session, "ahmad.fauzi@warga.test", "Kopi-Tubruk-Pagi-42") is not None
    with pytest.raises(ValidationFailed):  # spent
        walk_ins.claim(session, SECRET, token, "lain@warga.test", "Kopi-Tubruk-Pagi-42", "Kopi-Tubruk-Pagi-42")
    late = walk_ins.claim_link(session, SECRET, claimed, lambda t: t)
    with pytest.raises(ValidationFailed):  # expired
        walk_ins.claim(
            session, SECRET, late, "", "Kopi-Tubruk-Pagi-42", "Kopi-Tubruk-Pagi-42", now=utcnow() + timedelta(days=31)
        )
    session.rollback()
