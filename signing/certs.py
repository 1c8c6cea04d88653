"""Certificates as the agency's PKI makes and reads them: the subject and key usage it gives,
where a certificate says its revocation list and OCSP responder are, its readable name, and a
PKCS#12 opened with the officer's passphrase. ``pki`` issues and revokes with these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from engine.core.errors import SigningRefused
from engine.core.localtime import Phrase


@dataclass(frozen=True)
class IssuedCertificate:
    p12: bytes
    cert_der: bytes
    serial: str
    subject: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime


@dataclass(frozen=True)
class Revoked:
    serial: str
    revoked_at: dt.datetime


def subject_name(common_name: str, org: str, serial_number: str | None = None) -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if serial_number:
        parts.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
    return x509.Name(parts)


def key_usage(*, sign: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def write_file(path: Path, data: bytes, private: bool = False) -> None:
    if private:  # never readable by others, not even for a moment
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
    path.write_bytes(data)


def crl_urls(cert: x509.Certificate) -> list[str]:
    """Where the certificate says its revocation list is published."""
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return []
    return [
        name.value
        for point in points
        for name in (point.full_name or [])
        if isinstance(name, x509.UniformResourceIdentifier)
    ]


def ocsp_urls(cert: x509.Certificate) -> list[str]:
    """Where the certificate says an OCSP responder answers for it."""
    try:
        access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [d.access_location.value for d in access if d.access_method == AuthorityInformationAccessOID.OCSP]


def cert_pem_bytes(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def readable_name(name: x509.Name) -> str:
    """'Name · NIK … · Organisation' rather than an RFC 4514 string."""

    def first(oid):
        values = name.get_attributes_for_oid(oid)
        return str(values[0].value) if values else None

    nik = first(NameOID.SERIAL_NUMBER)
    parts = [first(NameOID.COMMON_NAME), f"NIK {nik}" if nik else None, first(NameOID.ORGANIZATION_NAME)]
    return " · ".join(p for p in parts if p) or name.rfc4514_string()


def describe(p12: bytes, cert: x509.Certificate) -> IssuedCertificate:
    return IssuedCertificate(
        p12=p12,
        cert_der=cert.public_bytes(serialization.Encoding.DER),
        serial=serial_hex(cert),
        subject=readable_name(cert.subject),
        issuer=readable_name(cert.issuer),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def open_p12(p12: bytes, passphrase: str):
    """(private key, certificate, chain) from a PKCS#12; ``SigningRefused`` if the passphrase is wrong."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(p12, (passphrase or "").encode("utf-8"))
    except ValueError:
        raise SigningRefused(
            Phrase("Passphrase salah. Tidak ada dokumen yang ditandatangani."), reason="wrong_passphrase"
        ) from None
    if key is None or cert is None:
        raise SigningRefused(Phrase("Berkas PKCS#12 tidak memuat kunci dan sertifikat."), reason="bad_p12")
    return key, cert, list(chain or [])
