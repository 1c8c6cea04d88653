"""Passwords: hashed with Argon2 (older hashes upgraded at the next sign-in), and the rules a new
password must meet, told in the applicant's language."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash as _legacy_check

from engine.core.localtime import Phrase

# Argon2id with the library's current parameters; hashes of older installations (werkzeug's
# pbkdf2/scrypt) still verify and are replaced at the next successful login.
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(stored: str, password: str) -> bool:
    if stored.startswith("$argon2"):
        try:
            return _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return _legacy_check(stored, password)


def needs_rehash(stored: str) -> bool:
    return not stored.startswith("$argon2") or _HASHER.check_needs_rehash(stored)


MIN_PASSWORD = 8


# Words people here pick first, tried by any guesser: a password built on them is weak.
COMMON_WORDS = (
    "rahasia",
    "sandi",
    "katasandi",
    "kata sandi",
    "indonesia",
    "jakarta",
    "merdeka",
    "bismillah",
    "sayang",
    "cinta",
    "admin",
    "dinas",
    "perizinan",
    "pemohon",
    "ptsp",
    "dpmptsp",
    "izin",
    "kantor",
    "pegawai",
    "garuda",
    "pancasila",
    "selamat",
    "qwerty",
    "asdfgh",
)


def password_problem(password: str, *personal: str) -> str | None:
    """Why ``password`` is too weak to protect an account (judged by how guessable it is, with
    Indonesian common words and the person's own name and email counted), or None."""
    from zxcvbn import zxcvbn

    if len(password or "") < MIN_PASSWORD:
        return f"Kata sandi minimal {MIN_PASSWORD} karakter."
    inputs = list(COMMON_WORDS)
    for item in (p.lower() for p in personal if p):
        inputs += [item, re.sub(r"[^a-z0-9]", "", item.split("@")[0]), *(w for w in re.split(r"[\s@._-]+", item) if w)]
    if zxcvbn(password[:100], user_inputs=inputs)["score"] < 2:
        return Phrase(
            "Kata sandi terlalu mudah ditebak. Gunakan gabungan beberapa kata yang tidak umum, angka "
            "dan tanda baca, bukan nama, email atau kata seperti 'rahasia' dan '12345678'."
        )
    return None


@cache
def no_account_hash() -> str:
    """Checked against when no account matches, so a known and an unknown email take the same
    time; made on the first login, not at import (hashing costs a sixth of a second)."""
    return hash_password("tidak-ada-akun-dengan-email-ini")
