"""The engine's ``DocumentMaker``, built from this package's parts: letters from templates, the
agency's seal, officers' signatures through the configured provider, the in-app timestamp
authority, the agency CA and its CRL, and validation."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509

from engine.core.clock import utcnow
from engine.core.errors import SigningRefused
from engine.core.localtime import Phrase, format_datetime
from signing.pades import Trust, asn1_crls, asn1_roots, extend_lta, make_signer, sign_pdf
from signing.validation import Verification, pdf_signatures, tst_signed_data, verify_pdf

from . import pdfs
from .certs import Revoked, describe, open_p12
from .pki import AgencyPki
from .providers import LocalKeyProvider, RemoteProvider
from .revocation import IssuerRevocationLists
from .tsa import DEFAULT_POLICY, LocalTimeStamper, TimestampAuthority

# An archive timestamp is renewed this long before its TSA certificate expires.
ARCHIVE_MARGIN = timedelta(days=365)

# We embed the CRLs we publish ourselves; pyHanko's note that it may not fetch more is expected.
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)


class DocumentMaker:
    def __init__(
        self,
        pki_dir: Path,
        *,
        organization: str,
        seal_name: str,
        location: str,
        crl_url: str,
        provider: str = "lokal",
        remote_url: str = "",
        extra_roots: list[Path] = (),
        tsa_policy: str = DEFAULT_POLICY,
        zone: str = "WIB",
        key_secret: bytes | None = None,
        ocsp_url: str | None = None,
    ):
        self.pki = AgencyPki(
            Path(pki_dir),
            organization=organization,
            crl_url=crl_url,
            seal_name=seal_name,
            key_secret=key_secret,
            ocsp_url=ocsp_url,
        )
        self.tsa = TimestampAuthority(self.pki.tsa_cert, self.pki.tsa_key, chain=[self.pki.ca_cert], policy=tsa_policy)
        self.timestamper = LocalTimeStamper(self.tsa)
        self.location = location
        self._seal = make_signer(self.pki.seal_key, self.pki.seal_cert, [self.pki.ca_cert])
        self.zone = zone
        self.trust_roots = [self.pki.ca_cert] + [
            x509.load_pem_x509_certificate(Path(p).read_bytes()) for p in extra_roots
        ]
        self._roots = asn1_roots(self.trust_roots)
        self.issuer_lists = IssuerRevocationLists(self.trust_roots[1:])
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

    # --- archive timestamps (PAdES B-LTA) -------------------------------------------------------
    def archive_renew_at(self) -> datetime:
        """When a document timestamped now needs its next archive timestamp."""
        self._follow_tsa()
        return self.pki.tsa_cert.not_valid_after_utc - ARCHIVE_MARGIN

    def rotate_tsa_if_due(self) -> bool:
        """The scheduler's job: replace the timestamping key in time (see ``AgencyPki``)."""
        if not self.pki.rotate_tsa_if_due(utcnow()):
            return False
        self._use_current_tsa()
        return True

    def ocsp_reply(self, request_der: bytes) -> bytes:
        """The agency CA's OCSP answer (RFC 6960) to a request sent over HTTP."""
        self._current_crl()  # republishes the CRL first if it is due
        return self.pki.ocsp_response(request_der)

    def timestamp_reply(self, request_der: bytes) -> bytes:
        """The answer of the agency TSA to an RFC 3161 request sent over HTTP."""
        self._follow_tsa()
        return self.tsa.respond_der(request_der)

    def _follow_tsa(self) -> None:
        # Web workers take up the key the scheduler's process replaced, at their next timestamp.
        if self.pki.reload_tsa_if_changed():
            self._use_current_tsa()

    def _use_current_tsa(self) -> None:
        self.tsa = TimestampAuthority(
            self.pki.tsa_cert, self.pki.tsa_key, chain=[self.pki.ca_cert], policy=self.tsa.policy
        )
        self.timestamper.authority = self.tsa  # the local signer shares this timestamper

    def renew_archive(self, pdf: bytes) -> bytes:
        """Current revocation data for everything the document holds (signers, the timestamp
        authorities), then a new document timestamp on top: its proof of existence carries the
        earlier ones past their certificates' expiry."""
        self._follow_tsa()
        signatures = pdf_signatures(pdf)
        last = signatures[-1]
        certs = [self._roots[0], last.signer_cert, *last.other_embedded_certs]
        crls = self._current_crl()[2] + self.issuer_lists.lists_for([s.signer_cert for s in signatures])
        return extend_lta(pdf, self.timestamper, certs=certs, crls=crls)

    def crl(self) -> bytes:
        return self._current_crl()[1]

    def renew_crl(self) -> bool:
        """Republish the CA's revocation list if half its life has passed (the scheduler's job)."""
        renewed = self.pki.renew_crl_if_due(utcnow())
        if renewed:
            self._crl_cache = None
        return renewed

    def trust(self, certs=()) -> Trust:
        """The anchors and the revocation lists held now: the agency CA's, and for ``certs`` issued
        under another configured root, that issuer's (fetched). Only parsed roots and lists are
        kept between signatures and validations."""
        return Trust(self._roots, self._current_crl()[2] + self.issuer_lists.lists_for(certs))

    def context(self, moment=None, retroactive: bool = False):
        """A validation context on the current CRL at ``moment`` (default: now), new for every
        signature and validation."""
        return self.trust().context(moment, retroactive)

    def stamp_time(self) -> str:
        """The signing time printed on the visible stamp, in the agency's zone."""
        return format_datetime(utcnow(), self.zone)

    # --- documents -----------------------------------------------------------------------------
    def render(self, facts: dict) -> bytes:
        return pdfs.render(facts)

    def seal(self, pdf: bytes, *, reason: str, url: str | None) -> bytes:
        self._follow_tsa()
        return sign_pdf(
            pdf,
            self._seal,
            timestamper=self.timestamper,
            context=self.context(),
            reason=reason,
            location=self.location,
            signer_name=self.pki.seal_name,
            url=url,
            stamp_time=self.stamp_time(),
        )

    def sign(self, pdf: bytes, credential, passphrase: str, *, reason: str, url: str | None) -> bytes:
        self._follow_tsa()
        signed = self.provider.sign(pdf, credential, passphrase, reason=reason, url=url)
        return signed if self.provider.name == "lokal" else self._to_lta(signed)

    def _to_lta(self, signed: bytes) -> bytes:
        """A signature made elsewhere (B-T) gets its issuer's revocation data and our document
        timestamp: B-LTA like our own."""
        last = pdf_signatures(signed)[-1]
        certs = [last.signer_cert, *last.other_embedded_certs]
        for token in tst_signed_data(last):
            certs += [c.chosen for c in token["certificates"] or ()]
        foreign = self.issuer_lists.lists_for(certs)
        if not foreign:
            raise SigningRefused(
                Phrase(
                    "Daftar pencabutan sertifikat dari penerbit tanda tangan tidak dapat diambil, "
                    "sehingga dokumen belum dapat diterbitkan. Coba lagi beberapa saat lagi."
                ),
                reason="provider_unavailable",
            )
        return extend_lta(signed, self.timestamper, certs=certs, crls=foreign + self._current_crl()[2])

    def verify(self, pdf: bytes) -> Verification:
        return verify_pdf(pdf, self.trust, utcnow())

    # --- certificates --------------------------------------------------------------------------
    def issue_certificate(self, *, name: str, nik: str | None, passphrase: str):
        return self.pki.issue_personal(name=name, nik=nik, passphrase=passphrase)

    def recertify(self, p12: bytes, passphrase: str):
        """A certificate of the agency CA naming an old revocation list address, certified anew
        (see ``AgencyPki.recertify_personal``); None if it is current."""
        return self.pki.recertify_personal(p12, passphrase)

    def read_p12(self, p12: bytes, passphrase: str):
        _key, cert, _chain = open_p12(p12, passphrase)
        return describe(p12, cert)

    def publish_crl(self, revoked: list) -> None:
        self.pki.publish_crl([Revoked(serial, at) for serial, at in revoked])
        self._crl_cache = None
