"""PAdES signing and validation with pyHanko."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from .pki import DevPki

SIGNATURE_FIELD = "TandaTanganElektronik"
# Where the visible stamp sits on page 1 (points from bottom-left): the signature block.
STAMP_BOX = (330, 150, 550, 215)


class LocalSigner:
    """Signs with a key held on this server (development certificate)."""

    def __init__(self, pki: DevPki, location: str):
        self._signer = signers.SimpleSigner.load(str(pki.signer_key), str(pki.signer_cert),
                                                 ca_chain_files=(str(pki.ca_cert),))
        self.location = location

    def sign(self, pdf: bytes, *, reason: str, signer_name: str) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        fields.append_signature_field(writer, fields.SigFieldSpec(SIGNATURE_FIELD, box=STAMP_BOX, on_page=0))
        meta = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=reason, location=self.location,
                                            name=signer_name)
        style = TextStampStyle(stamp_text="Ditandatangani secara elektronik oleh\n%(signer)s\n%(ts)s",
                               border_width=1)
        out = signers.PdfSigner(meta, signer=self._signer, stamp_style=style).sign_pdf(writer)
        return out.getvalue()


@dataclass(frozen=True)
class Verification:
    signed: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    unchanged_after_signing: bool = False
    signer: str | None = None
    signing_time: str | None = None

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.unchanged_after_signing


def verify_pdf(pdf: bytes, trust_root: Path) -> Verification:
    """pyHanko's bottom line on the first signature, against the agency's root certificate."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return Verification(signed=False)
    if not signatures:
        return Verification(signed=False)
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(trust_root))], allow_fetching=False)
    status = validate_pdf_signature(signatures[0], signer_validation_context=context)
    unchanged = (status.coverage == SignatureCoverageLevel.ENTIRE_FILE
                 or (status.modification_level is not None
                     and status.modification_level <= ModificationLevel.LTA_UPDATES))
    return Verification(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        unchanged_after_signing=bool(unchanged),
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else None,
        signing_time=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
    )
