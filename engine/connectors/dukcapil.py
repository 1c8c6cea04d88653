"""The population registry (Dukcapil), web-service access: the NIK with the name and birth data an
applicant claims, answered per field with "Sesuai" or "Tidak Sesuai" (and a similarity score).
The agency receives no data beyond the verdicts (UU PDP 27/2022: only what the check needs)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from engine.connectors.http import ConnectorRefused, HttpService
from engine.core.localtime import Phrase

# The claim's fields as the web service names them, and as the front office reads them.
FIELDS = {"NAMA_LGKP": "nama", "TGL_LHR": "tanggal lahir", "TMPT_LHR": "tempat lahir"}


@dataclass(frozen=True)
class IdentityClaim:
    nik: str
    name: str
    birth_date: date | None = None
    birth_place: str | None = None


@dataclass(frozen=True)
class IdentityVerdict:
    """``found`` False: no such NIK. ``fields``: claimed field → whether it matches."""

    found: bool
    fields: dict[str, bool] = field(default_factory=dict)

    @property
    def matches(self) -> bool:
        return self.found and bool(self.fields) and all(self.fields.values())

    @property
    def mismatched(self) -> list[str]:
        return [FIELDS.get(name, name) for name, ok in self.fields.items() if not ok]

    @property
    def outcome(self) -> str:
        return "cocok" if self.matches else "tidak_cocok" if self.found else "tidak_ditemukan"


class PopulationRegistry(Protocol):
    def verify(self, claim: IdentityClaim) -> IdentityVerdict:
        """Raises ConnectorUnavailable, ConnectorRefused."""


_VERDICT = re.compile(r"^\s*(Sesuai|Tidak Sesuai)", re.IGNORECASE)


class DukcapilWebService:
    """``POST {base}/verifikasi`` with the agency's user id and password in the body, as the
    access agreement's web service takes them."""

    def __init__(self, http: HttpService, user_id: str, password: str, threshold: int = 90):
        self.http, self.user_id, self.password, self.threshold = http, user_id, password, threshold

    def verify(self, claim: IdentityClaim) -> IdentityVerdict:
        body = {
            "NIK": claim.nik,
            "NAMA_LGKP": claim.name,
            "user_id": self.user_id,
            "password": self.password,
            "TRESHOLD": self.threshold,
        }
        if claim.birth_date is not None:
            body["TGL_LHR"] = claim.birth_date.strftime("%d-%m-%Y")
        if claim.birth_place:
            body["TMPT_LHR"] = claim.birth_place
        # A verification reads and changes nothing at the registry: safe to repeat.
        status, answer = self.http.request("POST", "/verifikasi", json=body, repeatable=True)
        if status in (401, 403):
            raise ConnectorRefused(Phrase("Akses ke Dukcapil ditolak: periksa user id dan kata sandi layanan."))
        content = (answer.get("content") or [{}])[0] if isinstance(answer.get("content"), list) else {}
        if status == 404 or "RESPON" in content:
            return IdentityVerdict(found=False)
        if status >= 400 or not content:
            raise ConnectorRefused(Phrase("Dukcapil menolak permintaan (%(status)s).", status=status))
        fields = {}
        for name in ("NAMA_LGKP", "TGL_LHR", "TMPT_LHR"):
            if name in body and name in content:
                found = _VERDICT.match(str(content[name]))
                fields[name] = bool(found) and found.group(1).lower() == "sesuai"
        return IdentityVerdict(found=True, fields=fields)
