"""OSS RBA (the national online single submission): a business's profile by its NIB, and the
regional decision on a permit reported back to it (``status-izin``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from engine.connectors.http import ConnectorRefused, KeyedService
from engine.core.localtime import Phrase

# OSS's status codes for a regional permit's decision.
STATUS_CODES = {"selesai": "50", "ditolak": "90", "gugur": "90", "dibatalkan": "91"}


@dataclass(frozen=True)
class Business:
    nib: str
    name: str
    legal_form: str
    npwp: str
    address: str
    risk: str
    kbli: list[dict] = field(default_factory=list)
    active: bool = True


class BusinessRegistry(Protocol):
    def business(self, nib: str) -> Business | None:
        """None: no such NIB. Raises ConnectorUnavailable, ConnectorRefused."""

    def report_decision(
        self,
        *,
        nib: str,
        reference: str,
        status: str,
        permit_number: str | None,
        decided_on: str,
        note: str,
        oss_reference: str | None = None,
    ) -> str:
        """Tell OSS what the agency decided (``oss_reference``: OSS's id when OSS forwarded the
        request); returns OSS's receipt id."""


class OssService(KeyedService):
    key_header = "X-User-Key"
    label = "OSS"

    def business(self, nib: str) -> Business | None:
        answer = self.call("GET", f"/v1/nib/{nib}")
        if answer is None:
            return None
        data = answer.get("data") or {}
        return Business(
            nib=data.get("nib", nib),
            name=data.get("nama_perusahaan", ""),
            legal_form=data.get("jenis_perseroan", ""),
            npwp=data.get("npwp_perusahaan", ""),
            address=data.get("alamat_perusahaan", ""),
            risk=data.get("tingkat_risiko", ""),
            kbli=list(data.get("data_kbli") or []),
            active=data.get("status_nib") == "aktif",
        )

    def report_decision(
        self,
        *,
        nib: str,
        reference: str,
        status: str,
        permit_number: str | None,
        decided_on: str,
        note: str,
        oss_reference: str | None = None,
    ) -> str:
        body = {
            "nib": nib,
            "id_permohonan_daerah": reference,
            "kd_status": STATUS_CODES.get(status, "90"),
            "nomor_izin": permit_number,
            "tgl_status": decided_on,
            "keterangan": note[:500],
            "id_permohonan": oss_reference,
        }
        # OSS keys the report by the regional reference: sending it again replaces, never duplicates.
        answer = self.call("POST", "/v1/status-izin", json=body, repeatable=True)
        if answer is None:
            raise ConnectorRefused(Phrase("OSS tidak mengenal alamat laporan status."))
        return str(answer.get("id_laporan", ""))
