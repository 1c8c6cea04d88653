"""What the verbs need from the outside world, handed in by the composition root.

The web app, the CLI, the scheduler and the tests each build one ``Services``; the engine never
reads configuration or imports the web layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Protocol

from engine.core.files import FileStore
from engine.core.mail import ConsoleSender, MailSender

if TYPE_CHECKING:  # the core names the connectors' type; the composition root builds them
    from engine.connectors.registry import Connectors


@dataclass(frozen=True)
class CalendarSettings:
    """The agency's office hours and time zone, from its configuration."""

    zone: str = "WIB"
    start: time = time(8, 0)
    end: time = time(16, 0)


class DocumentMaker(Protocol):
    """Rendering, signing and checking PDFs; implemented in ``signing``. Signing methods raise
    ``SigningRefused`` and sign nothing when they cannot."""

    provider_name: str

    def render(self, facts: dict) -> bytes:
        """A letter from a document template and its facts."""

    def seal(self, pdf: bytes, *, reason: str, url: str | None) -> bytes:
        """The PDF with the agency's electronic seal (documents the system issues)."""

    def sign(self, pdf: bytes, credential, passphrase: str, *, reason: str, url: str | None) -> bytes:
        """The PDF signed by an officer whose key only ``passphrase`` opens."""

    def verify(self, pdf: bytes):
        """A ``Verification`` of the PDF's last signature."""

    def issue_certificate(self, *, name: str, nik: str | None, passphrase: str):
        """A new personal certificate from the agency CA, inside a passphrase-protected PKCS#12."""

    def read_p12(self, p12: bytes, passphrase: str):
        """The certificate inside an imported PKCS#12 (checks the passphrase opens it)."""

    def ocsp_reply(self, request_der: bytes) -> bytes:
        """The agency CA's OCSP answer to a DER request."""

    def timestamp_reply(self, request_der: bytes) -> bytes:
        """The agency TSA's answer to an RFC 3161 request."""

    def recertify(self, p12: bytes, passphrase: str):
        """The same key in a new certificate when the agency CA's public address moved since it was
        issued; None when the certificate is current. Raises ``SigningRefused`` (wrong passphrase)."""

    def publish_crl(self, revoked: list) -> None:
        """Publish the CA's revocation list with these (serial, revoked_at) entries."""

    def renew_crl(self) -> bool:
        """Republish the revocation list if half its life has passed; whether it did."""

    def archive_renew_at(self):
        """When a document timestamped now needs its next archive timestamp."""

    def rotate_tsa_if_due(self) -> bool:
        """Replace the timestamping key before its certificate nears its end; whether it did."""

    def renew_archive(self, pdf: bytes) -> bytes:
        """The PDF with current validation data and a new archive (document) timestamp."""


@dataclass(frozen=True)
class SignerCredential:
    """What a signature provider gets for an officer: NIK and name, and the passphrase-protected
    PKCS#12 when keys are held by this server (None for a remote provider)."""

    nik: str | None
    name: str
    p12: bytes | None = None


@dataclass
class Agency:
    name: str = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    short_name: str = "DPMPTSP"
    government: str = "Pemerintah Kota Contoh"
    city: str = "Kota Contoh"
    address: str = "Jl. Merdeka No. 1, Kota Contoh"
    seal_name: str = "Segel Elektronik DPMPTSP Kota Contoh"


@dataclass
class Services:
    files: FileStore
    documents: DocumentMaker
    verify_url: Callable[[str], str]
    # The full address of a page of the site, from its path (links in notices).
    page_url: Callable[[str], str] = lambda path: path
    agency: Agency = field(default_factory=Agency)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    mail: MailSender = field(default_factory=ConsoleSender)
    # Other agencies and the bank; None: nothing connected (checks are skipped and say so).
    connectors: Connectors | None = None
