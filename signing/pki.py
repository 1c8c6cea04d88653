"""The agency's own PKI for development and small agencies.

Created on first run in the instance folder: a root CA, a timestamping certificate for the
in-app RFC 3161 service, and an electronic seal (segel elektronik) for documents the system
issues on the agency's behalf (receipt, SKRD, rejection letter). Personal signing certificates
are issued to officers as passphrase-protected PKCS#12 files; the server never keeps the
passphrase. The CA publishes a CRL that the validator uses. Agencies in production import
PKCS#12 files issued by a licensed CA (such as BSrE) instead of personal ones issued here.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from engine.core.clock import utcnow
from engine.core.errors import SigningRefused
from engine.core.localtime import Phrase

from .certs import (
    IssuedCertificate,
    Revoked,
    crl_urls,
    describe,
    key_usage,
    ocsp_urls,
    open_p12,
    subject_name,
    write_file,
)
from .ocsp import respond as ocsp_respond

log = logging.getLogger(__name__)

# A day: validators read fresh revocation data, and the scheduler republishes it twice a day (and
# at once at each revocation), so an embedded list is never out of date.
CRL_VALIDITY = dt.timedelta(days=1)
MIN_PASSPHRASE = 8
# An officer's certificate: three years, so a permit is still judged with its signer's certificate
# in force at the usual two-year checks; after that the timestamps carry it (see signing.pades).
PERSONAL_LIFETIME = dt.timedelta(days=1095)
SERVICE_LIFETIME = dt.timedelta(days=1825)  # the TSA and the seal
# The timestamping key is replaced this long before its certificate expires, so archive
# timestamps renewed in its last year (signing.maker.ARCHIVE_MARGIN) come from a fresh one.
TSA_ROTATE_BEFORE = dt.timedelta(days=730)


class AgencyPki:
    """Files under ``directory``: ca.pem/ca-key.pem, tsa.pem/tsa-key.pem, seal.pem/seal-key.pem, ca.crl.

    With ``key_secret`` the three private keys are kept encrypted with it (PKCS#8); keys found
    unencrypted (an older installation) are encrypted in place when first read."""

    def __init__(
        self,
        directory: Path,
        *,
        organization: str,
        crl_url: str,
        seal_name: str,
        key_secret: bytes | None = None,
        ocsp_url: str | None = None,
    ):
        self.directory = Path(directory)
        self._secret = key_secret
        self.organization = organization
        self.crl_url = crl_url
        self.ocsp_url = ocsp_url
        self._crl_parsed: tuple[int, x509.CertificateRevocationList] | None = None
        self.seal_name = seal_name
        self.ca_cert_path = self.directory / "ca.pem"
        self.crl_path = self.directory / "ca.crl"
        self._ensure()
        self.ca_cert = self._cert("ca")
        self._ca_key = self._key("ca")
        self.tsa_cert, self.tsa_key = self._cert("tsa"), self._key("tsa")
        self.seal_cert, self.seal_key = self._cert("seal"), self._key("seal")
        self._follow_crl_url()
        self._tsa_stamp = self._stamp("tsa")
        if not self.crl_path.exists():
            self.publish_crl([])

    # --- files ---------------------------------------------------------------------------------
    def _cert(self, stem: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.directory / f"{stem}.pem").read_bytes())

    def _stamp(self, stem: str) -> tuple[int, int]:
        return tuple((self.directory / f"{stem}{end}").stat().st_mtime_ns for end in (".pem", "-key.pem"))

    def reload_tsa_if_changed(self) -> bool:
        """Take up a timestamping key another process (the scheduler) replaced. A key and a
        certificate caught mid-write do not match and are left for the next call. True if taken."""
        stamp = self._stamp("tsa")
        if stamp == self._tsa_stamp:
            return False
        cert, key = self._cert("tsa"), self._key("tsa")
        if cert.public_key() != key.public_key():
            return False
        self.tsa_cert, self.tsa_key, self._tsa_stamp = cert, key, stamp
        log.info("Kunci cap waktu (TSA) baru dipakai; berlaku sampai %s.", cert.not_valid_after_utc)
        return True

    def _key(self, stem: str):
        path = self.directory / f"{stem}-key.pem"
        data = path.read_bytes()
        if self._secret and b"ENCRYPTED" not in data:
            key = serialization.load_pem_private_key(data, None)
            write_file(path, self._pem(key), private=True)
            return key
        try:
            return serialization.load_pem_private_key(data, self._secret if b"ENCRYPTED" in data else None)
        except (TypeError, ValueError):
            raise RuntimeError(f"Kunci privat {path.name} tidak dapat dibuka: periksa PKI_KEY_PASSPHRASE.") from None

    def _pem(self, key) -> bytes:
        encryption = (
            serialization.BestAvailableEncryption(self._secret) if self._secret else serialization.NoEncryption()
        )
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

    @staticmethod
    def present(directory: Path) -> bool:
        """Whether the agency's CA, timestamping and seal keys exist in ``directory``."""
        return all(
            (Path(directory) / f"{s}.pem").exists() and (Path(directory) / f"{s}-key.pem").exists()
            for s in ("ca", "tsa", "seal")
        )

    def _ensure(self) -> None:
        if self.present(self.directory):
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        now = utcnow() - dt.timedelta(minutes=5)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = subject_name(f"{self.organization} Root CA", self.organization)
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        self._ca_key, self.ca_cert = ca_key, ca_cert
        for stem, common_name, eku in (
            ("tsa", f"{self.organization} Timestamping", ExtendedKeyUsageOID.TIME_STAMPING),
            ("seal", self.seal_name, None),
        ):
            key = ec.generate_private_key(ec.SECP256R1())
            cert = self._issue(
                key.public_key(), subject_name(common_name, self.organization), now, SERVICE_LIFETIME, eku=eku
            )
            write_file(self.directory / f"{stem}.pem", cert.public_bytes(serialization.Encoding.PEM))
            write_file(self.directory / f"{stem}-key.pem", self._pem(key), private=True)
        write_file(self.directory / "ca-key.pem", self._pem(ca_key), private=True)
        write_file(self.ca_cert_path, ca_cert.public_bytes(serialization.Encoding.PEM))

    def _current_addresses(self, cert: x509.Certificate) -> bool:
        """The certificate names where revocation is published now (CRL, and OCSP if served)."""
        return crl_urls(cert) == [self.crl_url] and ocsp_urls(cert) == ([self.ocsp_url] if self.ocsp_url else [])

    def _follow_crl_url(self) -> None:
        """Re-certify the TSA and seal keys when the public address moved (``PUBLIC_BASE_URL``), so
        validators look for the revocation list where it is served now. The keys stay; signatures
        made before keep their earlier certificates, which stay valid."""
        for stem in ("tsa", "seal"):
            cert = getattr(self, f"{stem}_cert")
            if self._current_addresses(cert):
                continue
            key = getattr(self, f"{stem}_key")
            eku = ExtendedKeyUsageOID.TIME_STAMPING if stem == "tsa" else None
            renewed = self._issue(
                key.public_key(),
                cert.subject,
                utcnow() - dt.timedelta(minutes=5),
                cert.not_valid_after_utc - utcnow(),
                eku=eku,
            )
            write_file(self.directory / f"{stem}.pem", renewed.public_bytes(serialization.Encoding.PEM))
            setattr(self, f"{stem}_cert", renewed)
            log.info("Sertifikat %s diterbitkan ulang dengan alamat CRL %s.", stem, self.crl_url)

    def _issue(
        self, public_key, subject: x509.Name, now: dt.datetime, lifetime: dt.timedelta, eku=None
    ) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.ca_cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + lifetime)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage(sign=True), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_cert.public_key()), critical=False
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            full_name=[x509.UniformResourceIdentifier(self.crl_url)],
                            relative_name=None,
                            reasons=None,
                            crl_issuer=None,
                        )
                    ]
                ),
                critical=False,
            )
        )
        if self.ocsp_url:
            builder = builder.add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(self.ocsp_url)
                        )
                    ]
                ),
                critical=False,
            )
        if eku is not None:
            # RFC 3161: a TSA certificate carries exactly this critical extended key usage.
            builder = builder.add_extension(x509.ExtendedKeyUsage([eku]), critical=True)
        return builder.sign(self._ca_key, hashes.SHA256())

    def rotate_tsa_if_due(self, now: dt.datetime | None = None) -> bool:
        """A new timestamping key and certificate once the current one nears its end. Timestamps
        made before keep their own certificate (it travels inside each token). True if rotated."""
        now = now or utcnow()
        if self.tsa_cert.not_valid_after_utc - now > TSA_ROTATE_BEFORE:
            return False
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._issue(
            key.public_key(),
            self.tsa_cert.subject,
            now - dt.timedelta(minutes=5),
            min(SERVICE_LIFETIME, self.ca_cert.not_valid_after_utc - now),
            eku=ExtendedKeyUsageOID.TIME_STAMPING,
        )
        write_file(self.directory / "tsa-key.pem", self._pem(key), private=True)
        write_file(self.directory / "tsa.pem", cert.public_bytes(serialization.Encoding.PEM))
        self.tsa_cert, self.tsa_key, self._tsa_stamp = cert, key, self._stamp("tsa")
        log.info("Kunci dan sertifikat cap waktu (TSA) diganti; berlaku sampai %s.", cert.not_valid_after_utc)
        return True

    # --- personal certificates ---------------------------------------------------------------------
    def issue_personal(
        self, *, name: str, nik: str | None, passphrase: str, now: dt.datetime | None = None
    ) -> IssuedCertificate:
        """A new key pair and certificate for one officer, returned only inside a PKCS#12 that the
        passphrase protects."""
        if len(passphrase or "") < MIN_PASSPHRASE:
            raise SigningRefused(Phrase("Passphrase minimal %(count)s karakter.", count=MIN_PASSPHRASE))
        now = (now or utcnow()) - dt.timedelta(minutes=5)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._issue(key.public_key(), subject_name(name, self.organization, nik), now, PERSONAL_LIFETIME)
        p12 = pkcs12.serialize_key_and_certificates(
            name.encode("utf-8"),
            key,
            cert,
            [self.ca_cert],
            serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
        )
        return describe(p12, cert)

    def recertify_personal(
        self, p12: bytes, passphrase: str, now: dt.datetime | None = None
    ) -> IssuedCertificate | None:
        """The same key certified again when the certificate names a revocation list address that
        is no longer ours (the public address moved): a new certificate to the same end date, in a
        PKCS#12 under the same passphrase. None when nothing needs doing (or another CA issued it).
        Errors: SigningRefused (wrong passphrase)."""
        key, cert, _chain = open_p12(p12, passphrase)
        if cert.issuer != self.ca_cert.subject or self._current_addresses(cert):
            return None
        now = (now or utcnow()) - dt.timedelta(minutes=5)
        renewed = self._issue(key.public_key(), cert.subject, now, cert.not_valid_after_utc - now)
        name = next(iter(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)), None)
        p12 = pkcs12.serialize_key_and_certificates(
            (name.value if name else "penandatangan").encode("utf-8"),
            key,
            renewed,
            [self.ca_cert],
            serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
        )
        return describe(p12, renewed)

    # --- revocation ----------------------------------------------------------------------------------
    def publish_crl(self, revoked: list[Revoked], now: dt.datetime | None = None) -> bytes:
        now = now or utcnow()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.ca_cert.subject)
            .last_update(now - dt.timedelta(minutes=5))
            .next_update(now + CRL_VALIDITY)
            .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_cert.public_key()), critical=False
            )
        )
        for item in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(int(item.serial, 16))
                .revocation_date(item.revoked_at)
                .build()
            )
        crl = builder.sign(self._ca_key, hashes.SHA256())
        der = crl.public_bytes(serialization.Encoding.DER)
        tmp = self.crl_path.with_name(f"{self.crl_path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(der)
        tmp.replace(self.crl_path)  # readers never see a half-written CRL
        return der

    def crl_der(self) -> bytes:
        return self.crl_path.read_bytes()

    def ocsp_response(self, request_der: bytes, now: dt.datetime | None = None) -> bytes:
        """The CA's OCSP answer, from the revocation list as published now (another process may
        have republished it: it is read again whenever the file changed)."""
        mtime = self.crl_path.stat().st_mtime_ns
        if self._crl_parsed is None or self._crl_parsed[0] != mtime:
            self._crl_parsed = (mtime, x509.load_der_x509_crl(self.crl_der()))
        return ocsp_respond(request_der, self.ca_cert, self._ca_key, self._crl_parsed[1], now)

    def renew_crl_if_due(self, now: dt.datetime | None = None) -> bool:
        """Publish the same revocations afresh once half the CRL's validity has passed: a server
        that revokes nothing for a week must still sign (validators refuse a CRL past its next
        update), and replace one dated ahead of the clock (the clock was wrong and set back, or a
        test travelled in time). True if it was renewed."""
        now = now or utcnow()
        crl = x509.load_der_x509_crl(self.crl_der())
        if crl.last_update_utc <= now < crl.next_update_utc - CRL_VALIDITY / 2:
            return False
        self.publish_crl([Revoked(format(r.serial_number, "x"), r.revocation_date_utc) for r in crl], now)
        return True
