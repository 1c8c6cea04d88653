"""The engine's ``DocumentMaker``, built from this package's parts: letters from templates, the
agency's seal, officers' signatures through the configured provider, the in-app timestamp
authority, the agency CA and its CRL, and validation."""
from __future__ import annotations

import logging
from pathlib import Path

from cryptography import x509

from . import pdfs
from .pades import Verification, make_signer, sign_pdf, validation_context, verify_pdf
from .pki import AgencyPki, Revoked, describe, open_p12
from .providers import LocalKeyProvider, RemoteProvider
from .tsa import DEFAULT_POLICY, LocalTimeStamper, TimestampAuthority

# We embed the CRLs we publish ourselves; pyHanko's note that it may not fetch more is expected.
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)


class DocumentMaker:
    def __init__(self, pki_dir: Path, *, organization: str, seal_name: str, location: str, crl_url: str,
                 provider: str = "lokal", remote_url: str = "", extra_roots: list[Path] = (),
                 tsa_policy: str = DEFAULT_POLICY):
        self.pki = AgencyPki(Path(pki_dir), organization=organization, crl_url=crl_url, seal_name=seal_name)
        self.tsa = TimestampAuthority(self.pki.tsa_cert, self.pki.tsa_key, chain=[self.pki.ca_cert],
                                      policy=tsa_policy)
        self.timestamper = LocalTimeStamper(self.tsa)
        self.location = location
        self._seal = make_signer(self.pki.seal_key, self.pki.seal_cert, [self.pki.ca_cert])
        self.trust_roots = [self.pki.ca_cert] + [x509.load_pem_x509_certificate(Path(p).read_bytes())
                                                 for p in extra_roots]
        self._crl_cache: tuple[float, bytes] | None = None
        self._context_cache: tuple[bytes, object] | None = None
        if provider == "remote":
            self.provider = RemoteProvider(remote_url)
        else:
            self.provider = LocalKeyProvider(self.timestamper, self.context, location)
        self.provider_name = self.provider.name

    # --- trust ---------------------------------------------------------------------------------
    def crl(self) -> bytes:
        # Re-read only when the file changed: another process may have revoked a certificate.
        mtime = self.pki.crl_path.stat().st_mtime
        if self._crl_cache is None or self._crl_cache[0] != mtime:
            self._crl_cache = (mtime, self.pki.crl_der())
        return self._crl_cache[1]

    def context(self, moment=None):
        """A validation context on the current CRL; kept while the CRL is unchanged, so the chain
        and CRL are parsed and checked once rather than on every signature."""
        crl = self.crl()
        if moment is not None:
            return validation_context(self.trust_roots, [crl], moment=moment)
        if self._context_cache is None or self._context_cache[0] is not crl:
            self._context_cache = (crl, validation_context(self.trust_roots, [crl]))
        return self._context_cache[1]

    # --- documents -----------------------------------------------------------------------------
    def render(self, facts: dict) -> bytes:
        return pdfs.render(facts)

    def seal(self, pdf: bytes, *, reason: str, url: str | None) -> bytes:
        return sign_pdf(pdf, self._seal, timestamper=self.timestamper, context=self.context(), reason=reason,
                        location=self.location, signer_name=self.pki.seal_name, url=url)

    def sign(self, pdf: bytes, credential, passphrase: str, *, reason: str, url: str | None) -> bytes:
        return self.provider.sign(pdf, credential, passphrase, reason=reason, url=url)

    def verify(self, pdf: bytes) -> Verification:
        return verify_pdf(pdf, self.context)

    # --- certificates --------------------------------------------------------------------------
    def issue_certificate(self, *, name: str, nik: str | None, passphrase: str):
        return self.pki.issue_personal(name=name, nik=nik, passphrase=passphrase)

    def read_p12(self, p12: bytes, passphrase: str):
        _key, cert, _chain = open_p12(p12, passphrase)
        return describe(p12, cert)

    def publish_crl(self, revoked: list) -> None:
        self.pki.publish_crl([Revoked(serial, at) for serial, at in revoked])
        self._crl_cache = self._context_cache = None
