"""The tax office (DJP): whether an NPWP is valid and its holder tax-compliant (KSWP, konfirmasi
status wajib pajak)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from engine.connectors.http import ConnectorRefused, HttpService


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


class DjpService:
    def __init__(self, http: HttpService, api_key: str):
        self.http, self.headers = http, {"X-API-Key": api_key}

    def status(self, npwp: str) -> TaxStatus:
        status, answer = self.http.request("POST", "/v1/kswp", json={"npwp": digits(npwp)}, headers=self.headers,
                                           repeatable=True)
        if status == 404:
            return TaxStatus(found=False)
        if status >= 400:
            raise ConnectorRefused(f"DJP menolak permintaan ({answer.get('message', status)}).")
        return TaxStatus(found=True, name=answer.get("nama", ""), compliant=answer.get("status_kswp") == "VALID")
