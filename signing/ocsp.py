"""An OCSP responder (RFC 6960) for a CA whose key is held here: the agency CA, and the BSrE
simulator's. The answer is read from the CA's current revocation list, so the two never disagree;
the CA key signs the responses itself (the responder is the issuer, so no delegated certificate
needs checking)."""

from __future__ import annotations

import datetime as dt

from asn1crypto import keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import OCSPExtensionOID

from engine.core.clock import utcnow

# As long as a CRL lives: a validator may rely on an answer until the next one could differ.
ANSWER_VALIDITY = dt.timedelta(days=1)
MAX_REQUEST = 10_000  # bytes: one request names a handful of certificates


def _failure(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def _issued_by(request: ocsp.OCSPRequest, issuer: x509.Certificate) -> bool:
    algorithm = request.hash_algorithm
    name_hash = hashes.Hash(algorithm)
    name_hash.update(issuer.subject.public_bytes())
    # The key hash covers the subjectPublicKey BIT STRING only, not the whole SubjectPublicKeyInfo.
    key_hash = hashes.Hash(algorithm)
    key_hash.update(_subject_public_key(issuer))
    return request.issuer_name_hash == name_hash.finalize() and request.issuer_key_hash == key_hash.finalize()


def _subject_public_key(cert: x509.Certificate) -> bytes:
    info = keys.PublicKeyInfo.load(
        cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return info["public_key"].contents[1:]  # the BIT STRING's bytes, without its unused-bits octet


def respond(
    request_der: bytes,
    issuer: x509.Certificate,
    issuer_key,
    crl: x509.CertificateRevocationList,
    now: dt.datetime | None = None,
) -> bytes:
    """The DER OCSP response to ``request_der``: ``revoked`` (with its time) if ``crl`` lists the
    serial, ``good`` otherwise, ``unknown`` for a certificate of another issuer."""
    now = now or utcnow()
    if not request_der or len(request_der) > MAX_REQUEST:
        return _failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    try:  # also refused: several certificates in one request, a hash cryptography does not know
        request = ocsp.load_der_ocsp_request(request_der)
        serial, algorithm = request.serial_number, request.hash_algorithm
    except (ValueError, TypeError, NotImplementedError, x509.UnsupportedGeneralNameType):
        return _failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    revoked_at = None
    status = ocsp.OCSPCertStatus.UNKNOWN
    if _issued_by(request, issuer):
        entry = crl.get_revoked_certificate_by_serial_number(serial)
        status = ocsp.OCSPCertStatus.GOOD if entry is None else ocsp.OCSPCertStatus.REVOKED
        revoked_at = entry.revocation_date_utc if entry is not None else None
    this_update = now - dt.timedelta(minutes=1)
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=serial,
            algorithm=algorithm,
            cert_status=status,
            this_update=this_update,
            next_update=now + ANSWER_VALIDITY,
            revocation_time=revoked_at,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    )
    try:
        nonce = request.extensions.get_extension_for_oid(OCSPExtensionOID.NONCE).value
        builder = builder.add_extension(nonce, critical=False)
    except x509.ExtensionNotFound:
        pass
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
