"""Opening the bank's virtual account (and QRIS) for each new SKRD bill. Called after the step that
issued the SKRD commits, and by the scheduler for bills the bank did not answer for; the bank is
never called inside the step's own transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.connectors.calls import Asker, logged
from engine.connectors.http import ConnectorRefused, ConnectorUnavailable
from engine.connectors.registry import Connectors
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.services import Services
from engine.documents.models import PaymentBill
from engine.notifications import events
from engine.workflow.models import Application

RETRY_AFTER = timedelta(minutes=2)


def open_pending(
    session: Session,
    connectors: Connectors | None,
    now: datetime | None = None,
    application_id: int | None = None,
    limit: int = 50,
    services: Services | None = None,
) -> int:
    """Open virtual accounts for bills that have none (of one application, or all due a try);
    returns how many were opened. Stops at the first call the bank does not answer. With
    ``services``, each applicant is told the account's number."""
    now = now or utcnow()
    if connectors is None or connectors.bank is None:
        return 0
    query = select(PaymentBill).where(PaymentBill.status == "baru").order_by(PaymentBill.id).limit(limit)
    if application_id is not None:
        query = query.where(PaymentBill.application_id == application_id)
    else:
        query = query.where(or_(PaymentBill.open_tried_at.is_(None), PaymentBill.open_tried_at <= now - RETRY_AFTER))
    opened = 0
    for bill in session.scalars(query).all():
        application = session.get(Application, bill.application_id)
        bill.open_tried_at = now

        def open_account(bill=bill, application=application):
            return connectors.bank.open_account(
                bill_number=bill.number,
                customer_no=_customer_no(bill),
                name=f"Retribusi {application.reg_number}",
                amount=bill.amount,
                due=bill.due_date,
            )

        try:
            account = logged(
                session,
                "bank",
                "buka_va",
                Asker(f"SKRD {bill.number}", application_id=application.id),
                None,
                open_account,
                lambda account: "terbuka",
                now,
            )
        except (ConnectorUnavailable, ConnectorRefused):
            break
        bill.status, bill.va_number, bill.qris, bill.opened_at = "terbuka", account.number, account.qris, now
        record(
            session,
            "virtual_account_opened",
            application=application,
            now=now,
            summary={
                "skrd": bill.number,
                "virtual_account": account.number,
                "jumlah": bill.amount,
                "jatuh_tempo": bill.due_date.isoformat(),
            },
        )
        if services is not None:
            events.account_opened(session, services, bill, now)
        opened += 1
    return opened


def _customer_no(bill: PaymentBill) -> str:
    """The bill's own part of the account number: unique per bill, digits only."""
    return f"{bill.id:012d}"
