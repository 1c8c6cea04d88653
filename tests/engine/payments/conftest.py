"""An Izin Reklame whose SKRD was just issued, and its bill's virtual account opened at the bank simulator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.documents.models import PaymentBill
from engine.payments import virtual_accounts
from tests.factories import submit, work


def to_payment(session, services, user):
    """The application at the treasurer's "Konfirmasi Pembayaran", its SKRD issued."""
    application = submit(session, services, user)
    for _ in range(4):  # verification, survey schedule, berita acara, the SKRD
        work(session, services, user, application)
    return application


@pytest.fixture
def billed(session, services, user, agencies):
    application = to_payment(session, services, user)
    assert (
        virtual_accounts.open_pending(session, agencies.connectors, application_id=application.id, services=services)
        == 1
    )
    session.commit()
    return application, session.scalars(select(PaymentBill).where(PaymentBill.application_id == application.id)).one()
