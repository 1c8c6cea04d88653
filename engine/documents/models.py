"""Documents issued on applications, their archived revisions, and officers' signing certificates."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.core.models import Base, StoredFile, UtcDateTime

if TYPE_CHECKING:  # relationships name these classes; the ORM resolves them by name
    from engine.accounts.models import User
    from engine.workflow.models import Application


class Document(Base):
    """An uploaded attachment or a generated document of one application."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(100))
    original_name: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    number: Mapped[str | None] = mapped_column(String(80))
    verify_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    source_task_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), default="berlaku")
    # How it was signed: "segel" (agency e-seal), "tte" (officer's certificate), "basah" (scanned
    # hand-signed original), or None (unsigned, e.g. an upload or a draft awaiting hand signature).
    signature: Mapped[str | None] = mapped_column(String(10))
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_certificate_id: Mapped[int | None] = mapped_column(ForeignKey("signer_certificates.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status_reason: Mapped[str | None] = mapped_column(Text)
    # What a decision states as its reason (a warning, a revocation, a cancellation): shown with it.
    grounds: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A later document that ends this one (the revocation decision) or replaces a draft (hand-signed scan).
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # When its archive timestamp (PAdES B-LTA) is renewed: a while before the certificate of the
    # timestamp authority that made the last one expires.
    archive_renew_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)

    application: Mapped[Application] = relationship()
    file: Mapped[StoredFile] = relationship()
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    signer_certificate: Mapped[SignerCertificate | None] = relationship()
    superseded_by: Mapped[Document | None] = relationship(remote_side=[id], foreign_keys=[superseded_by_id])


class ArchivedRevision(Base):
    """An earlier state of an archived document, before an archive timestamp was added on top:
    a copy downloaded then is still the agency's original."""

    __tablename__ = "archived_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"), index=True)
    superseded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SignerCertificate(Base):
    """An officer's signing certificate. The key stays inside the PKCS#12, which only the
    officer's passphrase opens; the passphrase is never stored."""

    __tablename__ = "signer_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(400))
    issuer: Mapped[str] = mapped_column(String(400))
    source: Mapped[str] = mapped_column(String(12))  # "agency" (issued here) or "import"
    p12: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    cert_der: Mapped[bytes] = mapped_column(LargeBinary)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime())
    not_after: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(12), default="aktif")  # aktif | diganti | dicabut
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The earlier certificate of the same key, certified again when the CA's public address moved:
    # revoking one revokes the other, since the key is the same.
    recertifies_id: Mapped[int | None] = mapped_column(ForeignKey("signer_certificates.id"))

    user: Mapped[User] = relationship()


class PaymentBill(Base):
    """What an SKRD asks the applicant to pay, and how it was paid: through the bank's virtual
    account (or QRIS) opened for it, or at the treasurer's counter."""

    __tablename__ = "payment_bills"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)  # the SKRD's number: the bank's trxId
    amount: Mapped[int] = mapped_column(BigInteger)
    due_date: Mapped[date] = mapped_column(Date)
    # "baru": no virtual account yet; "terbuka": payable at the bank; "lunas"; "batal" (SKRD void).
    status: Mapped[str] = mapped_column(String(12), default="baru", index=True)
    va_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    qris: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    open_tried_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    paid_amount: Mapped[int | None] = mapped_column(BigInteger)
    channel: Mapped[str | None] = mapped_column(String(12))  # "bank" or "loket"
    bank_reference: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    document: Mapped[Document] = relationship()
