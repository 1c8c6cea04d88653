"""Social security (BPJS Ketenagakerjaan / Kesehatan): whether a company or person is an active member."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from engine.connectors.http import KeyedService


@dataclass(frozen=True)
class Membership:
    found: bool
    active: bool = False
    name: str = ""


class SocialSecurity(Protocol):
    def membership(self, number: str) -> Membership:
        """Raises ConnectorUnavailable, ConnectorRefused."""


class BpjsService(KeyedService):
    label = "BPJS"

    def membership(self, number: str) -> Membership:
        answer = self.call("GET", f"/v1/kepesertaan/{number}")
        if answer is None:
            return Membership(found=False)
        return Membership(found=True, active=answer.get("status") == "AKTIF", name=answer.get("nama", ""))
