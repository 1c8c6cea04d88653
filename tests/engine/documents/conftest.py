"""The document most steps issue first, shared by the documents tests."""

from __future__ import annotations

import pytest

from engine.documents import documents
from tests.factories import submit, work


@pytest.fixture
def receipt(session, services, user):
    """The Tanda Terima the front office's verification issues."""
    application = submit(session, services, user)
    work(session, services, user, application)
    return next(d for d in documents.documents_of(session, application) if d.kind == "tanda_terima")
