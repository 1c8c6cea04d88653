"""An account made for one test and removed after it (the demo accounts outlive tests)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from engine.accounts import users
from engine.accounts.models import ApiToken, AuthorityScope, PasswordReset, User, UserRole
from engine.core.models import AuditEvent
from engine.core.roles import SUPERVISOR

PASSWORD = "Kerbau-Merah-Terbang-77!"


@pytest.fixture
def account(session, user):
    made = []

    def make(email="uji.akun@dinas.test", roles=(SUPERVISOR,), password=PASSWORD):
        created = users.create_user(
            session,
            user("admin"),
            name="Akun Uji",
            email=email,
            password=password,
            roles=list(roles),
            nip="199901012020011001",
        )
        session.commit()
        made.append(created.id)
        return created

    make.track = lambda created: made.append(created.id) or created  # accounts a test registered itself
    yield make
    session.rollback()
    if made:
        session.execute(delete(AuditEvent).where(AuditEvent.actor_id.in_(made)))
        for table, column in (
            (ApiToken, ApiToken.user_id),
            (PasswordReset, PasswordReset.user_id),
            (UserRole, UserRole.user_id),
            (AuthorityScope, AuthorityScope.user_id),
        ):
            session.execute(delete(table).where(column.in_(made)))
        session.execute(delete(User).where(User.id.in_(made)))
        session.commit()
