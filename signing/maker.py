"""The engine's ``DocumentMaker``, built from this package's parts: letters from templates, the
agency's seal, officers' signatures through the configured provider, the in-app timestamp
authority, the agency CA and its CRL, and validation."""
from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from cryptography import x509

from engine.clock import utcnow
from engine.localtime import format_datetime

from . import pdfs
from .pades import Verification, asn1_crls, asn1_roots, make_signer, sign_pdf, validation_context, verify_pdf
from .pki import AgencyPki, Revoked, describe, open_p12
from .providers import LocalKeyProvider, RemoteProvider
from .tsa import DEFAULT_POLICY, LocalTimeStamper, TimestampAuthority

# We embed the CRLs we publish ourselves; pyHanko's note that it may not fetch more is expected.
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)


class DocumentMaker:
    def __init__(self, pki_dir: Path, *, organization: str, seal_name: str, location: str, crl_url: str,
                 provider: str = "lokal", remote_url: str = "", extra_roots: list[Path] = (),
                 tsa_policy: str = DEFAULT_POLICY, zone: str = "WIB", key_secret: bytes | None = None):
        self.pki = AgencyPki(Path(pki_dir), organization=organization, crl_url=crl_url, seal_name=seal_name,
                             key_secret=key_secret)
        self.tsa = TimestampAuthority(self.pki.tsa_cert, self.pki.tsa_key, chain=[self.pki.ca_cert],
                                      policy=tsa_policy)
        self.timestamper = LocalTimeStamper(self.tsa)
        self.location = location
        self._seal = make_signer(self.pki.seal_key, self.pki.seal_cert, [self.pki.ca_cert])
        self.zone = zone
        self.trust_roots = [self.pki.ca_cert] + [x509.load_pem_x509_certificate(Path(p).read_bytes())
                                                 for p in extra_roots]
        self._roots = asn1_roots(self.trust_roots)
        self._crl_cache: tuple[float, bytes, list] | None = None
        self._crl_renew_at = utcnow()
        if provider == "remote":
            self.provider = RemoteProvider(remote_url)
        else:
            self.provider = LocalKeyProvider(self.timestamper, self.context, location, self.stamp_time)
        self.provider_name = self.provider.name

    # --- trust ---------------------------------------------------------------------------------
    def _current_crl(self) -> tuple[float, bytes, list]:
        # Re-read only when the file changed: another process may have revoked a certificate.
        now = utcnow()
        if self._crl_cache is None or not self._crl_renew_at - timedelta(hours=1) <= now < self._crl_renew_at:
            self.pki.renew_crl_if_due(now)
            self._crl_renew_at = now + timedelta(hours=1)
        mtime = self.pki.crl_path.stat().st_mtime
        if self._crl_cache is None or self._crl_cache[0] != mtime:
            der = self.pki.crl_der()
            self._crl_cache = (mtime, der, asn1_crls([der]))
        return self._crl_cache

    def crl(self) -> bytes:
        return self._current_crl()[1]

    def renew_crl(self) -> bool:
        """Republish the CA's revocation list if half its life has passed (the scheduler's job)."""
        renewed = self.pki.renew_crl_if_due(utcnow())
        if renewed:
            self._crl_cache = None
        return renewed

    def context(self, moment=None, retroactive: bool = False):
        """A validation context on the current CRL at ``moment`` (default: now), new for every
        signature and validation; only the parsed roots and CRL are kept between them."""
        return validation_context(self._roots, self._current_crl()[2], moment=moment or utcnow(),
                                  retroactive=retroactive)

    def stamp_time(self) -> str:
        """The signing time printed on the visible stamp, in the agency's zone."""
        return format_datetime(utcnow(), self.zone)

    # --- documents -----------------------------------------------------------------------------
    def render(self, facts: dict) -> bytes:
        return pdfs.render(facts)

    def seal(self, pdf: bytes, *, reason: str, url: str | None) -> bytes:
        return sign_pdf(pdf, self._seal, timestamper=self.timestamper, context=self.context(), reason=reason,
                        location=self.location, signer_name=self.pki.seal_name, url=url,
                        stamp_time=self.stamp_time())

    def sign(self, pdf: bytes, credential, passphrase: str, *, reason: str, url: str | None) -> bytes:
        return self.provider.sign(pdf, credential, passphrase, reason=reason, url=url)

    def verify(self, pdf: bytes) -> Verification:
        return verify_pdf(pdf, self.context, [crl["tbs_cert_list"]["issuer"] for crl in self._current_crl()[2]])

    # --- certificates --------------------------------------------------------------------------
    def issue_certificate(self, *, name: str, nik: str | None, passphrase: str):
        return self.pki.issue_personal(name=name, nik=nik, passphrase=passphrase)

    def read_p12(self, p12: bytes, passphrase: str):
        _key, cert, _chain = open_p12(p12, passphrase)
        return describe(p12, cert)

    def publish_crl(self, revoked: list) -> None:
        self.pki.publish_crl([Revoked(serial, at) for serial, at in revoked])
        self._crl_cache = None
