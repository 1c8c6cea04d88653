"""The agency CA's OCSP responder (RFC 6960): it answers from the CA's published revocation list,
signed by the CA, in a form standard clients (pyHanko's certificate validator) accept; hostile or
foreign requests get a plain refusal or "unknown", never an error page."""

from __future__ import annotations

import asyncio
import base64
import shutil
import subprocess
import threading
from datetime import timedelta
from urllib.parse import unquote

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import RevokedError
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule
from werkzeug.serving import make_server

from engine.core.clock import utcnow
from engine.documents import certificates
from tests.signing.helpers import new_head

OCSP = {"Content-Type": "application/ocsp-request"}


def _request(cert, issuer, algorithm=None, nonce: bytes | None = b"nonce-uji-0001") -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, algorithm or hashes.SHA1())
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def _ask(client, der: bytes) -> ocsp.OCSPResponse:
    reply = client.post("/pki/ocsp", data=der, headers=OCSP)
    assert reply.status_code == 200 and reply.mimetype == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(reply.data)


def _officer_cert(session, services):
    head = new_head(session, services)
    row = certificates.active_certificate(session, head)
    return head, row, x509.load_der_x509_certificate(row.cert_der)


def test_the_responder_says_good_then_revoked_signed_by_the_agency_ca(session, services, user, client):
    ca = services.documents.pki.ca_cert
    _head, row, cert = _officer_cert(session, services)
    answer = _ask(client, _request(cert, ca))
    assert answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD and answer.serial_number == cert.serial_number
    ca.public_key().verify(answer.signature, answer.tbs_response_bytes, ec.ECDSA(hashes.SHA256()))
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"nonce-uji-0001"
    assert timedelta(hours=23) < answer.next_update_utc - utcnow() <= timedelta(days=1)

    certificates.revoke(session, services, user("admin"), row.id, "Kunci diduga bocor")
    session.commit()
    revoked = _ask(client, _request(cert, ca, algorithm=hashes.SHA256(), nonce=None))
    assert revoked.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert abs(
        revoked.revocation_time_utc - row.revoked_at.replace(tzinfo=revoked.revocation_time_utc.tzinfo)
    ) < timedelta(seconds=2)
    # The same request in the GET form (base64 in the path), as NSS sends it.
    encoded = base64.b64encode(_request(cert, ca)).decode()
    by_get = ocsp.load_der_ocsp_response(client.get(f"/pki/ocsp/{encoded}").data)
    assert by_get.certificate_status == ocsp.OCSPCertStatus.REVOKED


def test_certificates_name_the_responder_when_configured_and_pyhankos_validator_accepts_its_answers(tmp_path):
    """With PKI_OCSP_IN_CERTIFICATES on, the certificates the CA issues name the responder, and a
    validator that trusts OCSP alone accepts its answers: good, then revoked."""
    from signing.certs import Revoked, ocsp_urls
    from signing.pki import AgencyPki

    pki = AgencyPki(
        tmp_path,
        organization="DPMPTSP Uji",
        crl_url="http://uji.test/pki/ca.crl",
        seal_name="Segel",
        ocsp_url="http://uji.test/pki/ocsp",
    )
    issued = pki.issue_personal(name="Kepala Uji", nik="3171010101800001", passphrase="rahasia-kepala")
    cert = x509.load_der_x509_certificate(issued.cert_der)
    assert ocsp_urls(cert) == ["http://uji.test/pki/ocsp"] and ocsp_urls(pki.tsa_cert) == ocsp_urls(cert)
    anchor = asn1_x509.Certificate.load(pki.ca_cert.public_bytes(serialization.Encoding.DER))
    subject = asn1_x509.Certificate.load(issued.cert_der)

    def validate(answer: bytes):
        # OCSP alone decides: the CRL the certificate also names is not given.
        policy = CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=RevocationCheckingRule.OCSP_REQUIRED,
                intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
            )
        )
        context = ValidationContext(
            trust_roots=[anchor], ocsps=[answer], crls=[], revinfo_policy=policy, allow_fetching=False
        )
        return asyncio.run(CertificateValidator(subject, validation_context=context).async_validate_usage(set()))

    assert validate(pki.ocsp_response(_request(cert, pki.ca_cert)))
    pki.publish_crl([Revoked(issued.serial, utcnow())])
    with pytest.raises(RevokedError):
        validate(pki.ocsp_response(_request(cert, pki.ca_cert)))


@pytest.mark.parametrize("body", [b"", b"bukan permintaan OCSP", b"\x30\x82\xff\xff" + b"\x00" * 64, b"\x30" * 20_000])
def test_a_malformed_request_gets_a_malformed_request_answer(client, body):
    answer = _ask(client, body)
    assert answer.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_a_certificate_of_another_issuer_is_unknown(services, client, tmp_path):
    from signing.pki import AgencyPki

    ca = services.documents.pki.ca_cert
    other = AgencyPki(
        tmp_path / "pki-lain", organization="CA Lain", crl_url="http://lain.test/ca.crl", seal_name="Segel Lain"
    )
    answer = _ask(client, _request(other.seal_cert, other.ca_cert))
    assert answer.certificate_status == ocsp.OCSPCertStatus.UNKNOWN
    # Our serial asked under another issuer's name is no answer about our certificate either.
    forged = _request(services.documents.pki.seal_cert, other.ca_cert)
    assert _ask(client, forged).certificate_status == ocsp.OCSPCertStatus.UNKNOWN
    assert ca.subject != other.ca_cert.subject


@pytest.mark.skipif(not all(shutil.which(t) for t in ("pdfsig", "certutil")), reason="installed by .ci/run")
def test_poppler_asks_a_named_responder_online_and_fails_without_it(tmp_path):
    """Why naming the responder is off by default: NSS (pdfsig) then asks it for every signature
    and, if it cannot be reached, no longer trusts a certificate it trusts on the CRL alone."""
    from signing.maker import DocumentMaker
    from tests.factories import pdf_bytes

    served = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: served["app"](environ, start), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    maker = DocumentMaker(
        tmp_path / "pki",
        organization="DPMPTSP Uji",
        seal_name="Segel Uji",
        location="Kota Uji",
        crl_url=f"{base}/pki/ca.crl",
        ocsp_url=f"{base}/pki/ocsp",
    )

    def responder(environ, start):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if environ["REQUEST_METHOD"] == "GET":
            body = base64.b64decode(unquote(environ["PATH_INFO"][len("/pki/ocsp/") :]))
        answer = maker.ocsp_reply(body)
        start("200 OK", [("Content-Type", "application/ocsp-response"), ("Content-Length", str(len(answer)))])
        return [answer]

    served["app"] = responder
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    path = tmp_path / "segel.pdf"
    path.write_bytes(maker.seal(pdf_bytes("uji OCSP"), reason="Uji", url=None))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(maker.pki.ca_cert_path)],
        check=True,
    )

    def pdfsig() -> str:
        out = subprocess.run(
            ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=False
        ).stdout
        return out.split("Signature #2")[0]

    assert "Certificate is Trusted" in pdfsig()
    server.shutdown()
    server.server_close()
    assert "Certificate is Trusted" not in pdfsig()
