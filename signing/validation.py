"""Judging a signed PDF as the verify page and an auditor need it: every signature and document
timestamp listed, the last author signature judged AdES-style (intact, trusted, revoked, expired),
judged at its timestamp when the certificate has expired or been revoked since."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

from engine.core.clock import utcnow
from signing.pades import Trust


@dataclass(frozen=True)
class Verification:
    signed: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    unchanged_after_signing: bool = False
    revoked: bool = False
    # Revoked now, but after the trusted timestamp: the signature stays valid.
    revoked_after_signing: bool = False
    revocation_checked: bool = False
    signer: str | None = None
    signer_nik: str | None = None  # masked
    signer_issuer: str | None = None
    certificate_not_before: dt.datetime | None = None
    certificate_not_after: dt.datetime | None = None
    tsa_name: str | None = None
    reason: str | None = None
    location: str | None = None
    signer_serial: str | None = None
    signing_time: dt.datetime | None = None
    timestamped: bool = False
    timestamp_ok: bool = False
    ltv: bool = False
    error: str | None = None
    # Every signature in the file, in order (author signatures and document timestamps).
    signatures: tuple = ()
    document_timestamps_ok: bool = True
    # The ETSI EN 319 102-1 indication (e.g. "TOTAL-PASSED", "INDETERMINATE/NO_POE").
    ades: str | None = None
    ades_passed: bool = False
    # The signer's certificate expired after the proven signing time (the signature stays valid).
    expired_after_signing: bool = False

    @property
    def pades_level(self) -> str | None:
        """The PAdES baseline level the file reaches, as read from what it carries."""
        if not self.signed:
            return None
        if not self.timestamp_ok:
            return "B-B"
        if not self.ltv:
            return "B-T"
        stamps = [e for e in self.signatures if e.kind == "cap_waktu"]
        return "B-LTA" if stamps and self.document_timestamps_ok else "B-LT"

    @property
    def ok(self) -> bool:
        return (
            self.signed
            and self.ades_passed
            and self.intact
            and self.valid
            and self.trusted
            and self.unchanged_after_signing
            and not self.revoked
            and self.document_timestamps_ok
        )


def _common_name(cert) -> str:
    return _common_name_of(cert.subject)


DOCUMENT_TIMESTAMP = "/DocTimeStamp"


@dataclass(frozen=True)
class SignatureEntry:
    """One signature of a document, as the verify page lists them."""

    kind: str  # "tanda_tangan" (a person's or the seal's) or "cap_waktu" (a document timestamp)
    name: str | None
    at: dt.datetime | None
    ok: bool


def verify_pdf(pdf: bytes, trust_for, now: dt.datetime | None = None) -> Verification:
    """The verdict on the document's last author signature (a person's or the seal's), with every
    signature listed: document timestamps added after it (PAdES B-LTA) are checked too and do not
    hide it. The verdict is ETSI EN 319 102-1 validation (pyHanko's AdES LTA process) at ``now``:
    a signature proven (by its timestamp or a later document timestamp) to exist before its
    certificate was revoked or expired stays valid. ``trust_for(certs)`` gives the ``Trust`` to
    judge the signers' certificates with (it may fetch their issuers' revocation lists)."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any reader failure: not a readable PDF
        return Verification(signed=False, error="Berkas bukan PDF yang dapat dibaca.")
    authors = [s for s in signatures if s.sig_object_type != DOCUMENT_TIMESTAMP]
    if not authors:
        return Verification(signed=False)
    now = now or utcnow()
    trust = trust_for([a.signer_cert for a in authors if _readable_cert(a)])
    stamps_expired = any(
        _readable_cert(s) and s.signer_cert.not_valid_after < now
        for s in signatures
        if s.sig_object_type == DOCUMENT_TIMESTAMP
    )
    verdicts = [_author_verdict(a, trust, now, stamps_expired) for a in authors]
    entries, timestamps_ok = _entries(signatures, dict(zip(map(id, authors), verdicts, strict=True)), trust)
    return Verification(
        **{
            **verdicts[-1],
            "ltv": "/DSS" in reader.root,
            "signatures": tuple(entries),
            "document_timestamps_ok": timestamps_ok,
        }
    )


def _entries(signatures, verdicts: dict, trust: Trust) -> tuple[list[SignatureEntry], bool]:
    entries, stamps = [], []
    for embedded in signatures:
        if id(embedded) in verdicts:
            v = verdicts[id(embedded)]
            good = bool(v.get("intact") and v.get("valid") and v.get("trusted") and not v.get("revoked"))
            entries.append(SignatureEntry("tanda_tangan", v.get("signer"), v.get("signing_time"), good))
            continue
        try:  # not an author signature: a document timestamp
            ts = validate_pdf_timestamp(embedded, validation_context=trust.context())
        except Exception:  # noqa: BLE001 - a damaged timestamp container: not intact
            ts = None
        stamps.append((len(entries), embedded, ts))
        entries.append(None)
    timestamps_ok = True
    for n, (index, embedded, ts) in enumerate(stamps):
        ok = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
        later = stamps[n + 1][2] if n + 1 < len(stamps) else None
        if ts is not None and not ok and ts.intact and ts.valid and later is not None and later.timestamp:
            # An archive timestamp whose authority's certificate has since expired: the next one
            # proves it existed while that certificate was good, so judge it then.
            try:
                then = validate_pdf_timestamp(embedded, validation_context=trust.context(later.timestamp, True))
                ok = bool(then.intact and then.valid and then.trusted)
            except Exception:  # noqa: BLE001 - a damaged timestamp proves nothing
                ok = False
        timestamps_ok = timestamps_ok and ok
        name = _common_name(ts.signing_cert) if ts is not None and ts.signing_cert else None
        entries[index] = SignatureEntry("cap_waktu", name, ts.timestamp if ts is not None else None, ok)
    return entries, timestamps_ok


def pdf_signatures(pdf: bytes) -> list:
    return PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures


def tst_signed_data(embedded) -> list:
    """The timestamp tokens inside a signature (its signature timestamp)."""
    return list(extract_tst_data_iter(embedded.signer_info, signed=False))


def _readable_cert(embedded) -> bool:
    try:
        return embedded.signer_cert is not None
    except Exception:  # noqa: BLE001 - a damaged certificate is unreadable
        return False


def ades_validation(embedded, trust: Trust, now: dt.datetime):
    """pyHanko's ETSI LTA validation of one signature at ``now``, without the network."""
    timing = ValidationTimingInfo(validation_time=now, best_signature_time=now, point_in_time_validation=False)
    return asyncio.run(ades_lta_validation(embedded, trust.ades_spec(), timing_info=timing))


def ades_indication(subindic) -> str:
    """The ETSI indication as verifiers print it: TOTAL-PASSED, INDETERMINATE/NO_POE, ..."""
    if isinstance(subindic, AdESPassed):
        return "TOTAL-PASSED"
    kind = "TOTAL-FAILED" if isinstance(subindic, AdESFailure) else "INDETERMINATE"
    return f"{kind}/{subindic.name}"


_EXPIRED = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.EXPIRED,
}
_REVOKED = {AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}


def _text(value) -> str | None:
    return str(value)[:200] if value is not None else None


def masked_nik(nik: str | None) -> str | None:
    """A NIK shown to anyone: enough to tell two people apart, not enough to reuse it."""
    if not nik:
        return None
    return nik[:4] + "*" * max(len(nik) - 6, 0) + nik[-2:] if len(nik) > 6 else "*" * len(nik)


def _certificate_facts(cert) -> dict:
    if cert is None:
        return {}
    subject = cert.subject.native
    return {
        "signer_issuer": _common_name_of(cert.issuer),
        "signer_nik": masked_nik(subject.get("serial_number")),
        "certificate_not_before": cert.not_valid_before,
        "certificate_not_after": cert.not_valid_after,
    }


def _common_name_of(name) -> str:
    try:
        return name.native.get("common_name") or name.human_friendly
    except Exception:  # noqa: BLE001 - an odd name falls back to its plain form
        return name.human_friendly


def _judged_at_timestamp(embedded, status, trust: Trust, now: dt.datetime, stamps_expired: bool):
    """pyHanko's AdES (0.38) does not slide its control time back past a certificate's expiry
    (the signer's, or a timestamp authority's) while a current revocation list is known. Where a
    certificate has expired, the signature timestamp (intact) proves when the signature was made
    and each archive timestamp is judged at the next one (see _entries): judge the certificates
    at that time, with the revocation lists issued since. The status then, or None."""
    ts = status.timestamp_validity
    if ts is None:
        ts = validate_pdf_signature(embedded, signer_validation_context=trust.context(now)).timestamp_validity
    if ts is None or not (ts.intact and ts.valid) or ts.timestamp is None:
        return None
    cert, tsa = status.signing_cert, ts.signing_cert
    if not (
        stamps_expired
        or (cert is not None and cert.not_valid_after < now)
        or (tsa is not None and tsa.not_valid_after < now)
    ):
        return None
    then = validate_pdf_signature(embedded, signer_validation_context=trust.context(ts.timestamp, True))
    then_ts = then.timestamp_validity
    good = (
        then.intact
        and then.valid
        and then.trusted
        and not getattr(then, "revoked", False)
        and then_ts is not None
        and then_ts.intact
        and then_ts.valid
        and then_ts.trusted
    )
    return then if good else None


def _author_verdict(embedded, trust: Trust, now: dt.datetime, stamps_expired: bool = False) -> dict:
    try:
        result = ades_validation(embedded, trust, now)
        status = result.api_status
        if status is None:  # AdES stopped before a status: read the signature's own facts
            status = validate_pdf_signature(embedded, signer_validation_context=trust.context(now))
    except Exception as exc:  # noqa: BLE001 - a damaged signature container is "not intact", not a crash
        return {"signed": True, "error": str(exc).splitlines()[0][:200]}
    passed = isinstance(result.ades_subindic, AdESPassed)
    ts = status.timestamp_validity
    timestamp_ok = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
    expired_later = False
    if not passed and result.ades_subindic in _EXPIRED | {AdESIndeterminate.NO_POE}:
        then = _judged_at_timestamp(embedded, status, trust, now, stamps_expired)
        if then is not None:
            status, passed, ts, timestamp_ok = then, True, then.timestamp_validity, True
            expired_later = status.signing_cert.not_valid_after < now
    unchanged = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.modification_level is not None and status.modification_level <= ModificationLevel.LTA_UPDATES
    )
    signing_time = ts.timestamp if ts is not None else status.signer_reported_dt
    cert = status.signing_cert
    revoked_at = trust.revocation_of(cert) if cert is not None else None
    # Revoked by a list we hold, yet valid under AdES: the signature is proven older than the revocation.
    revoked_later = revoked_at is not None and passed
    revoked = (result.ades_subindic in _REVOKED) or (revoked_at is not None and not passed)
    sig = embedded.sig_object
    return {
        **_certificate_facts(cert),
        "tsa_name": _common_name(ts.signing_cert) if ts is not None and ts.signing_cert is not None else None,
        "reason": _text(sig.get("/Reason")),
        "location": _text(sig.get("/Location")),
        "signed": True,
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        # Trusted: a path to our anchors, now or (for an expired or revoked certificate) at a proven time.
        "trusted": bool(passed or (status.trusted and not revoked)),
        "unchanged_after_signing": bool(unchanged),
        "revoked": revoked,
        "signer": _common_name(cert) if cert is not None else None,
        "signer_serial": format(cert.serial_number, "x") if cert is not None else None,
        "signing_time": signing_time,
        "timestamped": ts is not None,
        "timestamp_ok": timestamp_ok,
        "revoked_after_signing": revoked_later,
        "ades": ades_indication(result.ades_subindic),
        "expired_after_signing": expired_later,
        "ades_passed": passed,
        # Revocation was looked up only if we hold a revocation list of the certificate's issuer.
        "revocation_checked": cert is not None and any(cert.issuer == issuer for issuer in trust.issuers),
    }
