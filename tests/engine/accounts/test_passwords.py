"""Passwords: Argon2id hashes, older hashes still accepted and marked for upgrade, weak ones refused."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from engine.accounts.passwords import (
    MIN_PASSWORD,
    hash_password,
    needs_rehash,
    no_account_hash,
    password_matches,
    password_problem,
)


def test_a_hash_is_argon2id_salted_and_matches_only_its_password():
    first, second = hash_password("Kerbau-Merah-Terbang-77!"), hash_password("Kerbau-Merah-Terbang-77!")
    assert first.startswith("$argon2id$") and first != second
    assert password_matches(first, "Kerbau-Merah-Terbang-77!")
    assert not password_matches(first, "kerbau-merah-terbang-77!")
    assert not needs_rehash(first)


def test_an_older_installations_hash_still_matches_and_asks_to_be_replaced():
    old = generate_password_hash("Kerbau-Merah-Terbang-77!")
    assert password_matches(old, "Kerbau-Merah-Terbang-77!") and not password_matches(old, "salah")
    assert needs_rehash(old)


def test_a_damaged_hash_matches_nothing():
    assert not password_matches("$argon2id$rusak", "apa saja")


@pytest.mark.parametrize(
    "password, personal",
    [
        ("pendek", ()),
        ("12345678", ()),
        ("rahasia123", ()),
        ("dinasperizinan", ()),
        ("budisantoso1980", ("Budi Santoso", "budi.santoso@contoh.test")),
    ],
)
def test_a_guessable_password_is_refused_in_indonesian(password, personal):
    problem = password_problem(password, *personal)
    assert problem and ("Kata sandi" in problem)
    if len(password) < MIN_PASSWORD:
        assert problem == f"Kata sandi minimal {MIN_PASSWORD} karakter."


def test_a_strong_password_passes():
    assert password_problem("Kerbau-Merah-Terbang-77!", "Budi Santoso") is None


def test_the_stand_in_hash_for_unknown_accounts_is_made_once_and_matches_no_guess():
    assert no_account_hash() is no_account_hash()
    assert not password_matches(no_account_hash(), "")
