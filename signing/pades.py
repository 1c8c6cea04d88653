"""PAdES signing with pyHanko (B-LTA: signature timestamp, validation data in the DSS, document
timestamp), and the trust a signature is judged against; the judging itself is in ``validation``."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import crl as asn1_crl
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule
from pyhanko_certvalidator.registry import SimpleCertificateStore, SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

from engine.core.clock import utcnow
from engine.core.errors import SigningRefused
from engine.core.localtime import Phrase

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
    return signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=store,
    )


def asn1_roots(trust_roots) -> list:
    return [translate_pyca_cryptography_cert_to_asn1(c) for c in trust_roots]


def asn1_crls(crls: list[bytes]) -> list:
    return [asn1_crl.CertificateList.load(c) for c in crls]


def validation_context(
    roots: list, crls: list, *, moment: dt.datetime, hard_fail: bool = False, retroactive: bool = False
) -> ValidationContext:
    """A context that judges certificates at ``moment``. Build one per signature or validation:
    a context keeps the time it was made with, so a kept one judges a certificate issued later
    as not yet valid. ``roots`` and ``crls`` are already parsed (``asn1_roots``, ``asn1_crls``).
    ``retroactive``: judge a past moment with revocation lists issued after it (a certificate
    revoked later was good then)."""
    return ValidationContext(
        trust_roots=roots,
        crls=crls,
        allow_fetching=False,
        revocation_mode="hard-fail" if hard_fail else "soft-fail",
        moment=moment,
        retroactive_revinfo=retroactive,
    )


@dataclass(frozen=True)
class Trust:
    """What a validation relies on: the trust anchors and the revocation lists held now (the
    agency CA's own, and those fetched from other issuers). Both already parsed."""

    roots: list
    crls: list

    def context(self, moment: dt.datetime | None = None, retroactive: bool = False) -> ValidationContext:
        return validation_context(self.roots, self.crls, moment=moment or utcnow(), retroactive=retroactive)

    @property
    def issuers(self) -> list:
        """The issuers whose revocation we can check (we hold a list of theirs)."""
        return [c["tbs_cert_list"]["issuer"] for c in self.crls]

    def revocation_of(self, cert) -> dt.datetime | None:
        """When a list we hold says ``cert`` was revoked, or None."""
        for crl in self.crls:
            tbs = crl["tbs_cert_list"]
            if tbs["issuer"] != cert.issuer:
                continue
            for entry in tbs["revoked_certificates"] or ():
                if entry["user_certificate"].native == cert.serial_number:
                    return entry["revocation_date"].native
        return None

    def ades_spec(self) -> PdfSignatureValidationSpec:
        """ETSI EN 319 102-1 validation settings: our anchors, never the network (the revocation
        lists we hold stand for what a verifier would fetch), revocation checked wherever a
        certificate declares where to find it, and required whenever we hold its issuer's list."""
        policy = CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(trust_roots=self.roots),
            revinfo_policy=CertRevTrustPolicy(
                RevocationCheckingPolicy(
                    RevocationCheckingRule.CHECK_IF_DECLARED_SOFT, RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
                )
            ),
        )
        return PdfSignatureValidationSpec(
            SignatureValidationSpec(
                cert_validation_policy=policy,
                revinfo_gathering_policy=RevocationInfoGatheringSpec(
                    online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
                ),
                local_knowledge=LocalKnowledge(known_crls=[CRLContainer(c) for c in self.crls]),
            )
        )


def with_signature_field(pdf: bytes, page: int) -> bytes:
    """The letter with its empty signature field over the signature block of ``page`` (0-based),
    which signing then fills: the stamp lands where the block is, whichever page a long letter puts
    it on."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(SIGNATURE_FIELD, box=STAMP_BOX, on_page=page))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _has_empty_field(writer: IncrementalPdfFileWriter) -> bool:
    return any(name == SIGNATURE_FIELD for name, _, _ in fields.enumerate_sig_fields(writer.prev, filled_status=False))


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    *,
    timestamper,
    context: ValidationContext | None,
    reason: str,
    location: str,
    signer_name: str,
    url: str | None,
    box=STAMP_BOX,
    stamp_time: str | None = None,
) -> bytes:
    """Sign with a visible stamp (signer, ``stamp_time`` as the agency reads it, QR of ``url``) in the
    letter's empty signature field, or on page 1; timestamp from ``timestamper``; with ``context``,
    embed the chain and CRLs in the DSS and close with a document timestamp (PAdES B-LTA)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    if not _has_empty_field(writer):
        fields.append_signature_field(writer, fields.SigFieldSpec(SIGNATURE_FIELD, box=box, on_page=0))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=signer_name,
        embed_validation_info=context is not None,
        validation_context=context,
        # With validation data, a document timestamp follows in the same step: PAdES B-LTA.
        use_pades_lta=context is not None and timestamper is not None,
    )
    # The QR code fills the stamp's height so a phone (or zbarimg on a 150 dpi scan) reads it.
    style = (
        QRStampStyle(stamp_text=STAMP_TEXT, border_width=1, innsep=2, qr_inner_size=int(box[3] - box[1]) - 4)
        if url
        else None
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style)
    # pyHanko's own "ts" is the UTC signing time; the stamp shows the agency's local time instead.
    params = {"url": url, "waktu": stamp_time or utcnow().strftime("%Y-%m-%d %H:%M UTC")} if url else None
    try:
        return pdf_signer.sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES, appearance_text_params=params).getvalue()
    except SigningError as exc:  # e.g. a certificate not valid at this moment: refused, nothing signed
        log.warning("Penandatanganan ditolak validator: %s", exc.__cause__ or exc)
        raise SigningRefused(
            Phrase(
                "Sertifikat penandatangan tidak dapat divalidasi saat ini (belum atau tidak lagi "
                "berlaku), sehingga tidak ada dokumen yang ditandatangani. Hubungi Administrator."
            ),
            reason="certificate_invalid",
        ) from exc


def extend_lta(pdf: bytes, timestamper, *, certs=(), crls=()) -> bytes:
    """Add validation data (``certs``, ``crls``, parsed) to the DSS and close with a document
    timestamp: a B-T signature made elsewhere becomes B-LTA, and an archived B-LTA document gets
    its archive timestamp renewed (new revocation data for the previous timestamp, a new one on top)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    last = writer.prev.embedded_signatures[-1]
    DocumentSecurityStore.supply_dss_in_writer(writer, last.pkcs7_content, certs=list(certs), crls=list(crls))
    with_dss = BytesIO()
    writer.write(with_dss)
    stamper = signers.PdfTimeStamper(timestamper, field_name=f"CapWaktuArsip{len(writer.prev.embedded_signatures)}")
    return stamper.timestamp_pdf(IncrementalPdfFileWriter(with_dss), md_algorithm="sha256").getvalue()
