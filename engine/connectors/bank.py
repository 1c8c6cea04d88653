"""The bank's virtual accounts and QRIS, SNAP BI style: the agency opens a virtual account for each
SKRD (exact amount, due date), the bank posts a signed notification when it is paid, and its daily
statement lists what was paid. Both directions are signed (``signatures``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

import httpx

from engine.connectors.http import ConnectorRefused, HttpService
from engine.connectors.signatures import minified, signature
from engine.core.clock import utcnow
from engine.core.localtime import Phrase
from engine.core.numbers import is_whole_number


def amount_text(rupiah: int) -> str:
    """SNAP amounts: a decimal string with two places."""
    return f"{int(rupiah)}.00"


def amount_value(text: str) -> int | None:
    """Whole rupiah from a SNAP amount, None if it is not one (or has sen)."""
    try:
        whole, _, cents = str(text).partition(".")
        if cents.strip("0") or not is_whole_number(whole):
            return None
        return int(whole)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class VirtualAccount:
    number: str
    qris: str | None


@dataclass(frozen=True)
class StatementLine:
    va_number: str
    bill_number: str
    amount: int
    paid_at: str
    reference: str


class BankPayments(Protocol):
    def open_account(self, *, bill_number: str, customer_no: str, name: str, amount: int, due: date) -> VirtualAccount:
        """Raises ConnectorUnavailable, ConnectorRefused."""

    def statement(self, day: date) -> list[StatementLine]:
        """Payments the bank booked on ``day``."""


class SnapBank:
    def __init__(
        self, http: HttpService, partner_id: str, partner_service_id: str, secret: str, channel: str = "95221"
    ):
        self.http, self.partner_id, self.partner_service_id = http, partner_id, partner_service_id
        self.secret, self.channel = secret, channel

    def _headers(self, method: str, path: str, body: bytes, now: datetime) -> dict:
        timestamp = now.astimezone().isoformat(timespec="seconds")
        return {
            "X-TIMESTAMP": timestamp,
            "X-PARTNER-ID": self.partner_id,
            "CHANNEL-ID": self.channel,
            "X-EXTERNAL-ID": secrets.token_hex(12),
            "Content-Type": "application/json",
            "X-SIGNATURE": signature(self.secret, method, self._full(path), body, timestamp),
        }

    def _full(self, path: str) -> str:
        """The path the bank sees (and signs): the base URL's own path, then the operation's."""
        return httpx.URL(self.http.endpoint.base_url).path.rstrip("/") + path

    def open_account(self, *, bill_number: str, customer_no: str, name: str, amount: int, due: date) -> VirtualAccount:
        path = "/v1.0/transfer-va/create-va"
        body = {
            "partnerServiceId": self.partner_service_id.rjust(8),
            "customerNo": customer_no,
            "virtualAccountNo": self.partner_service_id.rjust(8) + customer_no,
            "virtualAccountName": name[:60],
            "trxId": bill_number,
            "totalAmount": {"value": amount_text(amount), "currency": "IDR"},
            "expiredDate": f"{due.isoformat()}T23:59:59+07:00",
            "additionalInfo": {"qris": True},
        }
        raw = minified(body)
        # The external id makes a repeat of this request a no-op at the bank: safe to retry.
        headers = self._headers("POST", path, raw, utcnow())
        status, answer = self.http.request("POST", path, content=raw, headers=headers, repeatable=True)
        if status >= 400:
            raise ConnectorRefused(
                Phrase(
                    "Bank menolak pembukaan virtual account (%(answer)s).", answer=answer.get("responseMessage", status)
                )
            )
        data = answer.get("virtualAccountData") or {}
        return VirtualAccount(
            number=str(data.get("virtualAccountNo", "")).strip(),
            qris=(data.get("additionalInfo") or {}).get("qrContent"),
        )

    def statement(self, day: date) -> list[StatementLine]:
        path = "/v1.0/transfer-va/statement"
        body = {"partnerServiceId": self.partner_service_id.rjust(8), "date": day.isoformat()}
        raw = minified(body)
        headers = self._headers("POST", path, raw, utcnow())
        status, answer = self.http.request("POST", path, content=raw, headers=headers, repeatable=True)
        if status >= 400:
            raise ConnectorRefused(
                Phrase("Bank menolak permintaan mutasi (%(answer)s).", answer=answer.get("responseMessage", status))
            )
        return [
            StatementLine(
                va_number=str(line.get("virtualAccountNo", "")).strip(),
                bill_number=line.get("trxId", ""),
                amount=amount_value((line.get("paidAmount") or {}).get("value")) or 0,
                paid_at=line.get("trxDateTime", ""),
                reference=line.get("paymentRequestId", ""),
            )
            for line in answer.get("payments", [])
        ]
