"""The daily reconciliation: the bank's statement of a day against the SKRD bills. Differences are
reported to the treasurer (audited), never settled silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.connectors.calls import Asker, logged
from engine.connectors.registry import Connectors
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.localtime import local, zone_info
from engine.documents.models import PaymentBill


@dataclass
class Reconciliation:
    day: date
    matched: int = 0
    differences: list[dict] = field(default_factory=list)


def reconcile(
    session: Session, connectors: Connectors | None, zone: str, day: date, now: datetime | None = None
) -> Reconciliation | None:
    """Compare what the bank booked on ``day`` (local) with the bills paid through it that day.
    Returns None when no bank is connected. Raises ConnectorUnavailable (tried again next run)."""
    now = now or utcnow()
    if connectors is None or connectors.bank is None:
        return None
    lines = logged(
        session,
        "bank",
        "mutasi",
        Asker(f"rekonsiliasi {day.isoformat()}"),
        None,
        lambda: connectors.bank.statement(day),
        lambda lines: f"{len(lines)} transaksi",
        now,
    )
    result = Reconciliation(day)
    by_number = (
        {
            b.number: b
            for b in session.scalars(
                select(PaymentBill).where(PaymentBill.number.in_([line.bill_number for line in lines]))
            )
        }
        if lines
        else {}
    )
    seen = set()
    for line in lines:
        bill = by_number.get(line.bill_number)
        twice = line.bill_number in seen
        seen.add(line.bill_number)
        if twice:
            result.differences.append(
                {
                    "skrd": line.bill_number,
                    "masalah": "dibayar lebih dari sekali di bank",
                    "jumlah_bank": line.amount,
                    "referensi": line.reference,
                }
            )
        elif bill is None:
            result.differences.append(
                {
                    "skrd": line.bill_number,
                    "masalah": "di mutasi bank, tidak ada tagihannya",
                    "jumlah_bank": line.amount,
                }
            )
        elif bill.status != "lunas":
            result.differences.append(
                {
                    "skrd": bill.number,
                    "masalah": "dibayar di bank, belum tercatat lunas",
                    "jumlah_bank": line.amount,
                    "tagihan": bill.amount,
                }
            )
        elif bill.paid_amount != line.amount:
            result.differences.append(
                {
                    "skrd": bill.number,
                    "masalah": "jumlah berbeda",
                    "jumlah_bank": line.amount,
                    "tercatat": bill.paid_amount,
                }
            )
        else:
            result.matched += 1
    starts = datetime.combine(day, time(0), tzinfo=zone_info(zone))
    for bill in session.scalars(
        select(PaymentBill).where(
            PaymentBill.channel == "bank",
            PaymentBill.paid_at >= starts,
            PaymentBill.paid_at < starts + timedelta(days=1),
        )
    ):
        if bill.number not in seen:
            result.differences.append(
                {
                    "skrd": bill.number,
                    "masalah": "tercatat lunas, tidak ada di mutasi bank",
                    "tercatat": bill.paid_amount,
                }
            )
    record(
        session,
        "payment_reconciled",
        now=now,
        summary={"tanggal": day.isoformat(), "cocok": result.matched, "selisih": result.differences},
    )
    return result


def yesterday(now: datetime, zone: str) -> date:
    return local(now, zone).date() - timedelta(days=1)
