"""Checking a document: by its verification code (the QR target) or by an uploaded PDF.

The answer is for anyone, in plain Indonesian: is the signature intact, who signed, when (the
timestamp), is the certificate trusted and not revoked, was the file changed after signing, is
the document still in force, and does the file match the archived original.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from engine.core.clock import aware, utcnow
from engine.core.localtime import Phrase, Written, format_datetime
from engine.documents.certificates import certificate_by_serial
from engine.documents.documents import (
    STATUS_LABELS,
    document_by_code,
    documents_by_hash,
    effective_status,
    sanctions_of,
    signed_prefixes,
)
from engine.documents.models import Document, SignerCertificate

MAX_UPLOAD_MB = 20
_TIME_TOLERANCE = timedelta(seconds=2)


@dataclass
class DocumentCheck:
    document: Document | None = None
    status: str | None = None
    verification: object | None = None  # signing.validation.Verification
    sha256: str | None = None
    matches_archive: bool | None = None  # an uploaded file's bytes equal an archived original
    from_archive: bool = False  # the check read the archived original itself (the QR page)
    changed_copy_of_archive: bool = False
    certificate: SignerCertificate | None = None
    findings: list[tuple[bool, str]] = field(default_factory=list)
    checked_at: datetime | None = None  # when the certificate's status was looked up
    # The sanctions on the same application (warnings, cancellations, revocations), other than this one.
    sanctions: list[Document] = field(default_factory=list)

    @property
    def status_label(self) -> str | None:
        return STATUS_LABELS.get(self.status, self.status) if self.status else None

    @property
    def _proven_signing_time(self) -> datetime | None:
        """When a trusted timestamp proves the signature existed (None without one)."""
        v = self.verification
        return v.signing_time if v is not None and v.timestamp_ok and v.signing_time else None

    @property
    def revoked_after_signing(self) -> datetime | None:
        """When the signer's certificate was revoked, if that came after the proven signing time."""
        c, signed = self.certificate, self._proven_signing_time
        if c is None or c.status != "dicabut" or c.revoked_at is None or signed is None:
            return None
        # A timestamp counts whole seconds and validators allow a second's tolerance: a signature
        # within that of the revocation is not proven earlier.
        return c.revoked_at if aware(c.revoked_at) - aware(signed) > _TIME_TOLERANCE else None

    @property
    def certificate_revoked(self) -> bool:
        """Revoked before the signature was made (or with no proof of when it was made): a
        certificate revoked afterwards leaves every earlier signature valid."""
        if self.verification is not None and self.verification.revoked:
            return True
        c = self.certificate
        return bool(c is not None and c.status == "dicabut" and self.revoked_after_signing is None)

    @property
    def authentic(self) -> bool:
        """The file is the agency's document, unaltered, signed with a trusted, unrevoked certificate."""
        v = self.verification
        if self.document is not None and self.document.signature == "basah":
            return bool(self.matches_archive or self.from_archive)
        return bool(v is not None and v.ok and not self.certificate_revoked and self.matches_archive is not False)

    @property
    def in_force(self) -> bool:
        """The document is in force and this is it: a changed or unknown copy is not."""
        return self.status == "berlaku" and self.matches_archive is not False


def _current(doc: Document) -> Document:
    # A draft replaced by its hand-signed scan is answered by the scan.
    seen = 0
    while doc.status == "diganti" and doc.superseded_by is not None and seen < 5:
        doc, seen = doc.superseded_by, seen + 1
    return doc


def _findings(check: DocumentCheck, zone: str) -> list[tuple[bool, str]]:
    v = check.verification
    out: list[tuple[bool, str]] = []
    if check.document is not None and check.document.signature == "basah":
        out.append((True, Phrase("Dokumen ditandatangani basah; pindaian aslinya tersimpan di arsip.")))
    elif v is None or not v.signed:
        out.append((False, Phrase("Berkas ini tidak memuat tanda tangan elektronik.")))
    else:
        out.append(
            (
                v.intact and v.valid,
                Phrase("Tanda tangan elektronik utuh.")
                if v.intact and v.valid
                else Phrase("Tanda tangan elektronik TIDAK utuh: isi berkas telah berubah sejak ditandatangani."),
            )
        )
        out.append(
            (
                bool(v.signer),
                Phrase("Ditandatangani oleh: %(signer)s.", signer=v.signer)
                if v.signer
                else Phrase("Penandatangan tidak dapat dibaca."),
            )
        )
        out.append(
            (
                v.timestamp_ok,
                Phrase("Waktu penandatanganan dijamin cap waktu (timestamp) server dinas.")
                if v.timestamp_ok
                else Phrase("Tanda tangan tidak memuat cap waktu yang sah."),
            )
        )
        later = check.revoked_after_signing
        if later is not None and v.trusted and not check.certificate_revoked:
            out.append(
                (
                    True,
                    Phrase(
                        "Ditandatangani sebelum sertifikat penandatangan dicabut pada %(moment)s: tanda tangan "
                        "tetap sah.",
                        moment=Written(format_datetime, later, zone),
                    ),
                )
            )
        elif v.trusted and not check.certificate_revoked and not v.revocation_checked:
            out.append(
                (
                    False,
                    Phrase(
                        "Sertifikat penandatangan terpercaya, tetapi status pencabutannya TIDAK dapat "
                        "diperiksa di sini (diterbitkan CA di luar dinas); periksa pada penerbitnya."
                    ),
                )
            )
        else:
            out.append(
                (
                    v.trusted and not check.certificate_revoked,
                    Phrase("Sertifikat penandatangan terpercaya dan tidak dicabut.")
                    if v.trusted and not check.certificate_revoked
                    else Phrase("Sertifikat penandatangan TELAH DICABUT sebelum dokumen ini ditandatangani.")
                    if check.certificate_revoked
                    else Phrase("Sertifikat penandatangan tidak dikenal sebagai terpercaya."),
                )
            )
        if v.expired_after_signing and v.certificate_not_after:
            out.append(
                (
                    True,
                    Phrase(
                        "Sertifikat penandatangan habis masa berlakunya pada %(moment)s, setelah dokumen ini "
                        "ditandatangani: tanda tangan tetap sah (dibuktikan cap waktu).",
                        moment=Written(format_datetime, v.certificate_not_after, zone),
                    ),
                )
            )
        out.append(
            (
                v.unchanged_after_signing,
                Phrase("Tidak ada perubahan setelah ditandatangani.")
                if v.unchanged_after_signing
                else Phrase("Berkas DIUBAH setelah ditandatangani."),
            )
        )
        stamps = [e for e in v.signatures if e.kind == "cap_waktu"]
        if stamps:
            out.append(
                (
                    v.document_timestamps_ok,
                    Phrase(
                        "Cap waktu dokumen untuk arsip jangka panjang (%(count)s) utuh dan terpercaya.",
                        count=len(stamps),
                    )
                    if v.document_timestamps_ok
                    else Phrase("Cap waktu dokumen untuk arsip jangka panjang TIDAK utuh atau tidak terpercaya."),
                )
            )
    if check.from_archive:
        out.append(
            (
                True,
                Phrase(
                    "Ini dokumen asli dari arsip dinas (tombol di bawah mengunduhnya). Berkas yang Anda "
                    "terima asli hanya bila isinya sama persis: periksa dengan mengunggahnya di halaman "
                    "Verifikasi."
                ),
            )
        )
    elif check.matches_archive is True:
        out.append((True, Phrase("Berkas yang diunggah sama persis dengan dokumen asli di arsip dinas.")))
    elif check.changed_copy_of_archive:
        out.append(
            (
                False,
                Phrase(
                    "Bagian yang ditandatangani sama dengan arsip, tetapi berkas ini memuat tambahan perubahan setelahnya."
                ),
            )
        )
    elif check.matches_archive is False:
        out.append((False, Phrase("Berkas TIDAK sama dengan dokumen mana pun di arsip dinas.")))
    if check.status and check.status != "berlaku":
        out.append((False, f"Status dokumen: {check.status_label}."))
    return out


def _describe(session: Session, services, check: DocumentCheck, now: datetime) -> DocumentCheck:
    check.checked_at = now
    if check.document is not None:
        check.status = effective_status(check.document, now)
        check.sanctions = [d for d in sanctions_of(session, check.document.application_id) if d.id != check.document.id]
    v = check.verification
    if v is not None and v.signer_serial:
        check.certificate = certificate_by_serial(session, v.signer_serial)
    check.findings = _findings(check, services.calendar.zone)
    return check


def check_code(session: Session, services, code: str, now: datetime | None = None) -> DocumentCheck:
    """The archived document behind a verification code. Errors: NotFound."""
    now = now or utcnow()
    doc = _current(document_by_code(session, code))
    content = services.files.read(doc.sha256)
    check = DocumentCheck(document=doc, sha256=doc.sha256, from_archive=True)
    if doc.signature in ("segel", "tte"):
        check.verification = services.documents.verify(content)
    return _describe(session, services, check, now)


def check_upload(session: Session, services, content: bytes, now: datetime | None = None) -> DocumentCheck:
    """Verify an uploaded PDF and look for it in the archive (exactly, or as its signed part)."""
    now = now or utcnow()
    sha = hashlib.sha256(content).hexdigest()
    check = DocumentCheck(sha256=sha)
    exact = documents_by_hash(session, sha)
    if exact:
        check.document, check.matches_archive = _current(exact[0]), True
    else:
        check.matches_archive = False
        for prefix_hash in signed_prefixes(content):
            earlier = documents_by_hash(session, prefix_hash)
            if earlier:
                check.document, check.changed_copy_of_archive = _current(earlier[0]), True
                break
    check.verification = services.documents.verify(content)
    return _describe(session, services, check, now)
