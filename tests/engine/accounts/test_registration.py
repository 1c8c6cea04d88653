"""Self-registration: the account opens only from the emailed link, and a taken email or NIK is
told to its owner, never to the one registering."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.accounts import registration, users
from engine.core.errors import ValidationFailed
from engine.core.models import OutboxMail
from tests.engine.accounts.conftest import PASSWORD
from tests.timeline import at

SECRET = "rahasia-uji-aktivasi"


def _link(token):
    return f"https://ptsp.test/aktivasi/{token}"


def _queued(session):
    return len(session.scalars(select(OutboxMail.id)).all())


def test_a_self_registered_applicant_signs_in_only_after_the_emailed_link(session, account):
    tokens = []
    made = account.track(
        registration.register_applicant(
            session,
            SECRET,
            lambda token: tokens.append(token) or _link(token),
            name="Sari Wulandari",
            nik="3171014405900002",
            email="sari@contoh.test",
            phone="081298765432",
            password=PASSWORD,
            birth_date="1990-04-04",
            birth_place="Jakarta",
            now=at(2, 9),
        )
    )
    session.commit()
    assert made is not None and _queued(session) == 1
    assert users.authenticate(session, "sari@contoh.test", PASSWORD) is None
    (token,) = tokens  # the link the activation email carries
    assert _link(token) in session.scalars(select(OutboxMail.body)).one()
    with pytest.raises(ValidationFailed):
        registration.confirm_email(session, SECRET, token, now=at(2, 9) + registration.ACTIVATION_LIFETIME)
    with pytest.raises(ValidationFailed):
        registration.confirm_email(session, "kunci-lain", token, now=at(2, 10))
    registration.confirm_email(session, SECRET, token, now=at(2, 10))
    registration.confirm_email(session, SECRET, token, now=at(2, 11))  # a second click changes nothing
    session.commit()
    assert made.email_confirmed_at == at(2, 10)
    assert users.authenticate(session, "sari@contoh.test", PASSWORD).id == made.id


def test_registering_with_a_taken_email_creates_nothing_and_tells_the_owner_by_email(session):
    answer = registration.register_applicant(
        session,
        SECRET,
        _link,
        name="Orang Lain",
        nik="3171019999990001",
        email="pemohon@demo.test",
        phone="081200000000",
        password=PASSWORD,
        birth_date="1990-01-01",
        birth_place="Jakarta",
        now=at(2, 9),
    )
    session.commit()
    assert answer is None and _queued(session) == 1
