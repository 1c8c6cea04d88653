"""Connector checks a process admin can put on a form field (``"x-connector": {"check": "oss.nib",
"fill": {"nama_penyelenggara": "nama"}}`` in the field's JSON Schema): the value is checked with the
named service when the form is submitted, and ``fill`` lets the applicant pull the other fields'
values from the service's answer. A service that does not answer never stops a submission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from engine.connectors.calls import Asker, logged, mask
from engine.connectors.http import ConnectorRefused, ConnectorUnavailable
from engine.connectors.registry import Connectors
from engine.core.localtime import Phrase


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str  # for the applicant (on the field) and the front office
    facts: dict = field(default_factory=dict)  # what ``fill`` may copy into the form


@dataclass(frozen=True)
class Check:
    title: str
    service: str
    run: Callable[[Connectors, str], CheckResult]
    facts: tuple[str, ...] = ()  # the names ``fill`` may use


def _nib(connectors: Connectors, value: str) -> CheckResult:
    business = connectors.oss.business(value.strip())
    if business is None:
        return CheckResult(False, Phrase("NIB tidak terdaftar di OSS. Periksa lagi nomornya."))
    if not business.active:
        return CheckResult(
            False, Phrase("NIB %(nib)s (%(name)s) tidak aktif di OSS.", nib=business.nib, name=business.name)
        )
    kbli = ", ".join(f"{k.get('kode')} {k.get('judul')}" for k in business.kbli)
    return CheckResult(
        True,
        Phrase("Terdaftar di OSS: %(name)s", name=business.name),
        {
            "nama": business.name,
            "bentuk": business.legal_form,
            "npwp": business.npwp,
            "alamat": business.address,
            "risiko": business.risk,
            "kbli": kbli,
        },
    )


def _npwp(connectors: Connectors, value: str) -> CheckResult:
    status = connectors.djp.status(value)
    if not status.found:
        return CheckResult(False, Phrase("NPWP tidak terdaftar di DJP."))
    return CheckResult(True, Phrase("NPWP terdaftar atas nama %(name)s", name=status.name), {"nama": status.name})


def _kswp(connectors: Connectors, value: str) -> CheckResult:
    status = connectors.djp.status(value)
    if not status.found:
        return CheckResult(False, Phrase("NPWP tidak terdaftar di DJP."))
    if not status.compliant:
        return CheckResult(
            False,
            Phrase("Status wajib pajak (KSWP) tidak valid: selesaikan kewajiban pajak di KPP, lalu ajukan kembali."),
        )
    return CheckResult(True, Phrase("KSWP valid atas nama %(name)s", name=status.name), {"nama": status.name})


def _company(connectors: Connectors, value: str) -> CheckResult:
    company = connectors.ahu.company(value.strip())
    if company is None:
        return CheckResult(
            False, Phrase("Badan usaha tidak ditemukan di AHU. Tulis nama sesuai akta, misalnya PT Contoh Jaya.")
        )
    return CheckResult(
        True,
        Phrase("Terdaftar di AHU: %(name)s (%(deed)s)", name=company.name, deed=company.deed_number),
        {
            "nama": company.name,
            "bentuk": company.legal_form,
            "nomor_sk": company.deed_number,
            "alamat": company.address,
            "direksi": ", ".join(company.directors),
        },
    )


def _bpjs(connectors: Connectors, value: str) -> CheckResult:
    membership = connectors.bpjs.membership(value.strip())
    if not membership.found:
        return CheckResult(False, Phrase("Nomor kepesertaan BPJS tidak ditemukan."))
    if not membership.active:
        return CheckResult(False, Phrase("Kepesertaan BPJS %(name)s tidak aktif.", name=membership.name))
    return CheckResult(
        True, Phrase("Kepesertaan BPJS aktif: %(name)s", name=membership.name), {"nama": membership.name}
    )


CHECKS = {
    "oss.nib": Check(
        "OSS RBA: NIB terdaftar dan aktif", "oss", _nib, ("nama", "bentuk", "npwp", "alamat", "risiko", "kbli")
    ),
    "djp.npwp": Check("DJP: NPWP terdaftar", "djp", _npwp, ("nama",)),
    "djp.kswp": Check("DJP: status wajib pajak (KSWP) valid", "djp", _kswp, ("nama",)),
    "ahu.perusahaan": Check(
        "AHU: badan usaha terdaftar", "ahu", _company, ("nama", "bentuk", "nomor_sk", "alamat", "direksi")
    ),
    "bpjs.kepesertaan": Check("BPJS: kepesertaan aktif", "bpjs", _bpjs, ("nama",)),
}


def problems(spec) -> list[str]:
    """What is wrong with a field's ``x-connector`` (for the process admin's findings)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("check"), str):
        return [Phrase("'x-connector' harus berupa objek dengan 'check', misalnya {\"check\": \"oss.nib\"}")]
    check = CHECKS.get(spec["check"])
    if check is None:
        return [
            Phrase(
                "pemeriksaan '%(check)s' tidak dikenal; yang tersedia: %(available)s",
                check=spec["check"],
                available=", ".join(sorted(CHECKS)),
            )
        ]
    fill = spec.get("fill", {})
    if not isinstance(fill, dict):
        return [Phrase("'fill' harus berupa objek: isian formulir → data dari layanan")]
    return [
        Phrase(
            "'%(source)s' tidak diberikan oleh %(check)s; pilih dari: %(facts)s",
            source=source,
            check=spec["check"],
            facts=", ".join(check.facts),
        )
        for source in fill.values()
        if source not in check.facts
    ]


def run(
    session: Session, connectors: Connectors | None, name: str, value: str, asker: Asker, now: datetime | None = None
) -> CheckResult | None:
    """The check's verdict, or None when its service is not connected or did not answer (the caller
    goes on and says it was not verified)."""
    check = CHECKS.get(name)
    if check is None or connectors is None or not connectors.connected(check.service):
        return None
    try:
        return logged(
            session,
            check.service,
            name,
            asker,
            mask(value) if value else None,
            lambda: check.run(connectors, value),
            lambda r: "sesuai" if r.ok else "tidak sesuai",
            now,
        )
    except (ConnectorUnavailable, ConnectorRefused):
        return None
