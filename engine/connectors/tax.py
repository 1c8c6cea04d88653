"""The tax office (DJP): whether an NPWP is valid and its holder tax-compliant (KSWP, konfirmasi
status wajib pajak)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from engine.connectors.http import KeyedService


def digits(npwp: str) -> str:
    return re.sub(r"[^0-9]", "", npwp or "")


@dataclass(frozen=True)
class TaxStatus:
    found: bool
    name: str = ""
    compliant: bool = False  # KSWP "VALID"


class TaxOffice(Protocol):
    def status(self, npwp: str) -> TaxStatus:
        """Raises ConnectorUnavailable, ConnectorRefused."""


class DjpService(KeyedService):
    label = "DJP"

    def status(self, npwp: str) -> TaxStatus:
        # A status query changes nothing at DJP: safe to repeat.
        answer = self.call("POST", "/v1/kswp", json={"npwp": digits(npwp)}, repeatable=True)
        if answer is None:
            return TaxStatus(found=False)
        return TaxStatus(found=True, name=answer.get("nama", ""), compliant=answer.get("status_kswp") == "VALID")
