"""Payment notifications the bank sent with a valid signature: the external id makes a replay visible."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.models import Base, UtcDateTime


class PaymentNotification(Base):
    __tablename__ = "payment_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("payment_bills.id"))
    outcome: Mapped[str] = mapped_column(String(40))
