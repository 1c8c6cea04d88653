"""Social security (BPJS Ketenagakerjaan / Kesehatan): whether a company or person is an active member."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from engine.connectors.http import ConnectorRefused, HttpService


@dataclass(frozen=True)
class Membership:
    found: bool
    active: bool = False
    name: str = ""


class SocialSecurity(Protocol):
    def membership(self, number: str) -> Membership:
        """Raises ConnectorUnavailable, ConnectorRefused."""


class BpjsService:
    def __init__(self, http: HttpService, api_key: str):
        self.http, self.headers = http, {"X-API-Key": api_key}

    def membership(self, number: str) -> Membership:
        status, answer = self.http.request("GET", f"/v1/kepesertaan/{number}", headers=self.headers)
        if status == 404:
            return Membership(found=False)
        if status >= 400:
            raise ConnectorRefused(f"BPJS menolak permintaan ({answer.get('message', status)}).")
        return Membership(found=True, active=answer.get("status") == "AKTIF", name=answer.get("nama", ""))
