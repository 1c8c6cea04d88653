"""The engine's ``DocumentMaker`` built from this package's parts."""
from pathlib import Path

from . import pdfs
from .pades import LocalSigner, Verification, verify_pdf
from .pki import ensure_dev_pki


class LocalDocumentMaker:
    def __init__(self, pki_dir: Path, *, organization: str, signer_name: str, location: str):
        self.pki = ensure_dev_pki(pki_dir, organization=organization, signer_name=signer_name)
        self._signer = LocalSigner(self.pki, location)

    def render(self, kind: str, facts: dict) -> bytes:
        return pdfs.render(kind, facts)

    def sign(self, pdf: bytes, *, reason: str, signer_name: str) -> bytes:
        return self._signer.sign(pdf, reason=reason, signer_name=signer_name)

    def verify(self, pdf: bytes) -> Verification:
        return verify_pdf(pdf, self.pki.ca_cert)
