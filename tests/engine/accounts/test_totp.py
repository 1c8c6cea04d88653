"""The second factor: in force only once a code confirms it, each code good once, and turned off
by its owner with a code (unless the agency requires it) or by an administrator."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from engine.accounts import totp
from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.roles import HEAD
from tests.timeline import at

NOW = at(10, 9)


def _code(user, moment):
    return pyotp.TOTP(user.totp_secret).at(moment)


def test_a_secret_is_in_force_only_after_a_code_from_it_is_confirmed(session, account):
    made = account()
    secret = totp.begin(session, made)
    assert not totp.enabled(made) and f"secret={secret}" in totp.provisioning_uri(made)
    with pytest.raises(ValidationFailed):
        totp.confirm(session, made, "000000" if _code(made, NOW) != "000000" else "111111", now=NOW)
    totp.confirm(session, made, _code(made, NOW), now=NOW)
    assert totp.enabled(made)
    with pytest.raises(ValidationFailed):
        totp.begin(session, made)  # a second secret only after turning the first off


def test_a_code_is_accepted_once_within_one_step_either_side(session, account):
    made = account()
    totp.begin(session, made)
    totp.confirm(session, made, _code(made, NOW), now=NOW)
    later = NOW + timedelta(minutes=2)
    with pytest.raises(ValidationFailed):
        totp.check(session, made, _code(made, NOW), now=later)  # replayed
    with pytest.raises(ValidationFailed):
        totp.check(session, made, _code(made, later - timedelta(seconds=90)), now=later)  # too old
    totp.check(session, made, " " + _code(made, later + timedelta(seconds=30)), now=later)  # the next step
    with pytest.raises(ValidationFailed):
        totp.check(session, made, _code(made, later), now=later + timedelta(seconds=1))  # not before it


def test_the_owner_turns_it_off_with_a_code_unless_the_agency_requires_it(session, account, user):
    head = account(email="kepala.uji@dinas.test", roles=(HEAD,))
    totp.begin(session, head)
    totp.confirm(session, head, _code(head, NOW), now=NOW)
    assert totp.required(head, agency_requires=True) and not totp.required(user("fo"), agency_requires=True)
    with pytest.raises(PermissionDenied):
        totp.disable(
            session,
            head,
            head,
            agency_requires=True,
            code=_code(head, NOW + timedelta(minutes=1)),
            now=NOW + timedelta(minutes=1),
        )
    with pytest.raises(ValidationFailed):
        totp.disable(session, head, head, agency_requires=False, code="123", now=NOW + timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        totp.disable(session, user("fo"), head, agency_requires=False, now=NOW)
    version = head.session_version or 1
    totp.disable(session, user("admin"), head, agency_requires=True, now=NOW + timedelta(minutes=2))
    assert not totp.enabled(head) and head.session_version == version + 1
