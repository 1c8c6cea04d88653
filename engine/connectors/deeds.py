"""The law ministry's company register (AHU): a company's deed data by its name or deed number."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from engine.connectors.http import ConnectorRefused, HttpService


@dataclass(frozen=True)
class Company:
    name: str
    legal_form: str
    deed_number: str
    address: str
    directors: list[str] = field(default_factory=list)


class CompanyRegister(Protocol):
    def company(self, name_or_number: str) -> Company | None:
        """None: not registered. Raises ConnectorUnavailable, ConnectorRefused."""


class AhuService:
    def __init__(self, http: HttpService, api_key: str):
        self.http, self.headers = http, {"X-API-Key": api_key}

    def company(self, name_or_number: str) -> Company | None:
        status, answer = self.http.request("GET", "/v1/perseroan", params={"q": name_or_number}, headers=self.headers)
        if status == 404:
            return None
        if status >= 400:
            raise ConnectorRefused(f"AHU menolak permintaan ({answer.get('message', status)}).")
        data = answer.get("data") or {}
        return Company(name=data.get("nama", ""), legal_form=data.get("bentuk_badan_hukum", ""),
                       deed_number=data.get("nomor_sk", ""), address=data.get("alamat", ""),
                       directors=[d.get("nama", "") for d in data.get("pengurus", []) if d.get("jabatan") == "Direktur"
                                  or d.get("jabatan") == "Direktur Utama"])
