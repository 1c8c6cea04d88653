"""Fixtures shared by the engine tests."""

from __future__ import annotations

import pytest

from engine.process_admin import catalog
from tests.factories import FORMS, NEW_TYPE, TEMPLATES
from tests.timeline import at


@pytest.fixture
def made(session, user, processes_restored):
    """A function that makes a new permit type (inactive, with its starter draft) as the process admin."""

    def create(values=None):
        permit_type = catalog.create_permit_type(
            session, user("proses"), dict(values or NEW_TYPE), FORMS, TEMPLATES, now=at(2, 8)
        )
        session.commit()
        return permit_type

    return create
