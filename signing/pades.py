"""PAdES signing (B-LT: timestamp plus embedded validation data) and validation with pyHanko."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import crl as asn1_crl
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine.clock import utcnow
from engine.errors import SigningRefused

log = logging.getLogger(__name__)

SIGNATURE_FIELD = "TandaTanganElektronik"
# Where the visible stamp sits on page 1 (points from the bottom-left): inside the signature block.
STAMP_BOX = (318, 160, 538, 254)
# Room for the CMS container (signer chain + timestamp token with its chain); reserving it up front
# spares pyHanko a dry-run signature to estimate the size. Validation data goes in the DSS, not here.
SIGNATURE_BYTES = 12_000
STAMP_TEXT = "Ditandatangani secara elektronik oleh:\n%(signer)s\nWaktu: %(waktu)s\nVerifikasi: pindai kode QR"


def make_signer(key, cert, chain=()) -> signers.SimpleSigner:
    """A pyHanko signer from keys already loaded (parse once, sign many)."""
    store = SimpleCertificateStore()
    store.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in chain])
    return signers.SimpleSigner(signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
                                signing_key=translate_pyca_cryptography_key_to_asn1(key), cert_registry=store)


def asn1_roots(trust_roots) -> list:
    return [translate_pyca_cryptography_cert_to_asn1(c) for c in trust_roots]


def asn1_crls(crls: list[bytes]) -> list:
    return [asn1_crl.CertificateList.load(c) for c in crls]


def validation_context(roots: list, crls: list, *, moment: dt.datetime, hard_fail: bool = False,
                       retroactive: bool = False) -> ValidationContext:
    """A context that judges certificates at ``moment``. Build one per signature or validation:
    a context keeps the time it was made with, so a kept one judges a certificate issued later
    as not yet valid. ``roots`` and ``crls`` are already parsed (``asn1_roots``, ``asn1_crls``).
    ``retroactive``: judge a past moment with revocation lists issued after it (a certificate
    revoked later was good then)."""
    return ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False,
                             revocation_mode="hard-fail" if hard_fail else "soft-fail", moment=moment,
                             retroactive_revinfo=retroactive)


def sign_pdf(pdf: bytes, signer: signers.Signer, *, timestamper, context: ValidationContext | None,
             reason: str, location: str, signer_name: str, url: str | None, box=STAMP_BOX,
             stamp_time: str | None = None) -> bytes:
    """Sign page 1 with a visible stamp (signer, ``stamp_time`` as the agency reads it, QR of
    ``url``); timestamp from ``timestamper``; with ``context``, embed the chain and CRLs (PAdES B-LT)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(SIGNATURE_FIELD, box=box, on_page=0))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location, name=signer_name,
        embed_validation_info=context is not None, validation_context=context)
    # The QR code fills the stamp's height so a phone (or zbarimg on a 150 dpi scan) reads it.
    style = (QRStampStyle(stamp_text=STAMP_TEXT, border_width=1, innsep=2, qr_inner_size=int(box[3] - box[1]) - 4)
             if url else None)
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style)
    # pyHanko's own "ts" is the UTC signing time; the stamp shows the agency's local time instead.
    params = {"url": url, "waktu": stamp_time or utcnow().strftime("%Y-%m-%d %H:%M UTC")} \
        if url else None
    try:
        return pdf_signer.sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES, appearance_text_params=params).getvalue()
    except SigningError as exc:  # e.g. a certificate not valid at this moment: refused, nothing signed
        log.warning("Penandatanganan ditolak validator: %s", exc.__cause__ or exc)
        raise SigningRefused("Sertifikat penandatangan tidak dapat divalidasi saat ini (belum atau tidak lagi "
                             "berlaku), sehingga tidak ada dokumen yang ditandatangani. Hubungi Administrator.",
                             reason="certificate_invalid") from exc


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
        return (self.signed and self.intact and self.valid and self.trusted and self.unchanged_after_signing
                and not self.revoked and self.document_timestamps_ok)


def _common_name(cert) -> str:
    return _common_name_of(cert.subject)


def _revocation_time(status) -> dt.datetime | None:
    details = getattr(status, "revocation_details", None)
    return details.revocation_date if details is not None else None


DOCUMENT_TIMESTAMP = "/DocTimeStamp"


@dataclass(frozen=True)
class SignatureEntry:
    """One signature of a document, as the verify page lists them."""
    kind: str  # "tanda_tangan" (a person's or the seal's) or "cap_waktu" (a document timestamp)
    name: str | None
    at: dt.datetime | None
    ok: bool


def verify_pdf(pdf: bytes, context_for, revocation_issuers=()) -> Verification:
    """pyHanko's verdict on the document's last author signature (a person's or the seal's), with
    every signature listed: document timestamps added after it (PAdES B-LTA) are checked too and
    do not hide it. ``context_for(moment)`` gives a validation context; ``revocation_issuers`` are
    the issuers whose revocation lists it holds (others' revocation cannot be checked here)."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return Verification(signed=False, error="Berkas bukan PDF yang dapat dibaca.")
    authors = [s for s in signatures if s.sig_object_type != DOCUMENT_TIMESTAMP]
    if not authors:
        return Verification(signed=False)
    verdicts = [_author_verdict(a, context_for, revocation_issuers) for a in authors]
    entries, timestamps_ok = _entries(signatures, dict(zip(map(id, authors), verdicts)), context_for)
    return Verification(**{**verdicts[-1], "ltv": "/DSS" in reader.root, "signatures": tuple(entries),
                           "document_timestamps_ok": timestamps_ok})


def _entries(signatures, verdicts: dict, context_for) -> tuple[list[SignatureEntry], bool]:
    entries, timestamps_ok = [], True
    for embedded in signatures:
        if id(embedded) in verdicts:
            v = verdicts[id(embedded)]
            good = bool(v.get("intact") and v.get("valid") and v.get("trusted") and not v.get("revoked"))
            entries.append(SignatureEntry("tanda_tangan", v.get("signer"), v.get("signing_time"), good))
            continue
        try:  # not an author signature: a document timestamp
            ts = validate_pdf_timestamp(embedded, validation_context=context_for(None))
            ok = bool(ts.intact and ts.valid and ts.trusted)
            timestamps_ok = timestamps_ok and ok
            entries.append(SignatureEntry("cap_waktu", _common_name(ts.signing_cert) if ts.signing_cert
                                          else None, ts.timestamp, ok))
        except Exception:  # a damaged timestamp container: not intact
            timestamps_ok = False
            entries.append(SignatureEntry("cap_waktu", None, None, False))
    return entries, timestamps_ok


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
    return {"signer_issuer": _common_name_of(cert.issuer), "signer_nik": masked_nik(subject.get("serial_number")),
            "certificate_not_before": cert.not_valid_before, "certificate_not_after": cert.not_valid_after}


def _common_name_of(name) -> str:
    try:
        return name.native.get("common_name") or name.human_friendly
    except Exception:
        return name.human_friendly


def _author_verdict(embedded, context_for, revocation_issuers=()) -> dict:
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context_for(None))
    except Exception as exc:  # a damaged signature container is "not intact", not a crash
        return {"signed": True, "error": str(exc).splitlines()[0][:200]}
    unchanged = (status.coverage == SignatureCoverageLevel.ENTIRE_FILE
                 or (status.modification_level is not None
                     and status.modification_level <= ModificationLevel.LTA_UPDATES))
    ts = status.timestamp_validity
    signing_time = ts.timestamp if ts is not None else status.signer_reported_dt
    timestamp_ok = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
    revoked = bool(getattr(status, "revoked", False))
    revoked_later = False
    if revoked and timestamp_ok:
        # The trusted timestamp proves the signature existed at that time: judge the certificate
        # there, with the revocation list issued since. Revoked only afterwards, it was good then.
        try:
            then = validate_pdf_signature(embedded, signer_validation_context=context_for(ts.timestamp, True))
        except Exception:
            then = None
        revoked_at = _revocation_time(status)
        proven_earlier = revoked_at is None or revoked_at - ts.timestamp > dt.timedelta(seconds=2)
        if (then is not None and proven_earlier and then.intact and then.valid and then.trusted
                and not getattr(then, "revoked", False)):
            status, revoked, revoked_later = then, False, True
    cert = status.signing_cert
    sig = embedded.sig_object
    return {
        **_certificate_facts(cert),
        "tsa_name": _common_name(ts.signing_cert) if ts is not None and ts.signing_cert is not None else None,
        "reason": _text(sig.get("/Reason")),
        "location": _text(sig.get("/Location")),
        "signed": True,
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "unchanged_after_signing": bool(unchanged),
        "revoked": revoked,
        "signer": _common_name(cert) if cert is not None else None,
        "signer_serial": format(cert.serial_number, "x") if cert is not None else None,
        "signing_time": signing_time,
        "timestamped": ts is not None,
        "timestamp_ok": timestamp_ok,
        "revoked_after_signing": revoked_later,
        # Revocation was looked up only if we hold a revocation list of the certificate's issuer.
        "revocation_checked": cert is not None and any(cert.issuer == issuer for issuer in revocation_issuers),
    }
