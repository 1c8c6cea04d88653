"""SMS and WhatsApp gateways, in the shape most Indonesian gateways share: ``POST /api/send-message``
with the account's token in ``Authorization`` and JSON ``phone``, ``message`` and our ``ref_id``
(a gateway that sees a ref_id again answers the first send instead of sending twice, which makes a
retry safe). Inbound messages come to the agency's webhook with the same token."""

from __future__ import annotations

import re
from typing import Protocol

from engine.connectors.http import ConnectorRefused, KeyedService
from engine.core.localtime import Phrase


def msisdn(phone: str | None) -> str | None:
    """An Indonesian mobile number as gateways take it (62…), or None if it is not one."""
    digits = re.sub(r"[^0-9+]", "", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if re.fullmatch(r"628[0-9]{7,12}", digits) else None


class MessageGateway(Protocol):
    def send(self, phone: str, text: str, reference: str) -> str:
        """The gateway's message id. Raises ConnectorUnavailable (try later), ConnectorRefused."""


class GatewayService(KeyedService):
    key_header = "Authorization"
    label = "Gateway pesan"

    def send(self, phone: str, text: str, reference: str) -> str:
        answer = self.call(
            "POST", "/api/send-message", json={"phone": phone, "message": text, "ref_id": reference}, repeatable=True
        )
        if not answer or not answer.get("status"):
            raise ConnectorRefused(
                Phrase(
                    "%(label)s menolak pesan (%(value)s).",
                    label=self.label,
                    value=(answer or {}).get("message", Phrase("tanpa alasan")),
                )
            )
        return str((answer.get("data") or {}).get("id", ""))
