"""The law ministry's company register (AHU): a company's deed data by its name or deed number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from engine.connectors.http import KeyedService


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


class AhuService(KeyedService):
    label = "AHU"

    def company(self, name_or_number: str) -> Company | None:
        answer = self.call("GET", "/v1/perseroan", params={"q": name_or_number})
        if answer is None:
            return None
        data = answer.get("data") or {}
        return Company(
            name=data.get("nama", ""),
            legal_form=data.get("bentuk_badan_hukum", ""),
            deed_number=data.get("nomor_sk", ""),
            address=data.get("alamat", ""),
            directors=[
                d.get("nama", "")
                for d in data.get("pengurus", [])
                if d.get("jabatan") == "Direktur" or d.get("jabatan") == "Direktur Utama"
            ],
        )
