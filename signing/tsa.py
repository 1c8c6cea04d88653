"""The agency's own RFC 3161 timestamp authority: the server clock, the agency's TSA certificate.

The same ``TimestampAuthority`` answers HTTP requests (``application/timestamp-query``) and
stamps the app's own signatures in-process, so every signature's time comes from this server.
The key is parsed once and kept; a response costs one ECDSA signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps.api import TimeStamper

from engine.core.clock import utcnow

# Agencies set their own policy OID (TSA_POLICY_OID); this default marks the development policy.
DEFAULT_POLICY = "2.16.360.1.3.1.99.1"
_HASHES = {"sha256": (hashes.SHA256, 32), "sha384": (hashes.SHA384, 48), "sha512": (hashes.SHA512, 64)}


class TimestampRefused(ValueError):
    def __init__(self, text: str, fail: str):
        super().__init__(text)
        self.text, self.fail = text, fail


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


class TimestampAuthority:
    def __init__(self, cert, key, *, chain=(), policy: str = DEFAULT_POLICY, clock: Callable[[], dt.datetime] = utcnow):
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the TSA key must be an EC key")
        self._key = key
        self.cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        self._chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain]
        # Built once and kept as parsed DER: asn1crypto re-encodes freshly built values on every dump.
        self._signing_cert_attr = cms.CMSAttribute.load(
            simple_cms_attribute("signing_certificate_v2", as_signing_certificate_v2(self.cert)).dump()
        )
        self.policy = policy
        self.clock = clock

    @staticmethod
    def _rejection(refusal: TimestampRefused) -> bytes:
        status = tsp.PKIStatusInfo(
            {
                "status": tsp.PKIStatus("rejection"),
                "status_string": [refusal.text],
                "fail_info": tsp.PKIFailureInfo({refusal.fail}),
            }
        ).dump()
        # asn1crypto insists on a token even in a rejection, so the SEQUENCE is written by hand.
        return core.Sequence.load(b"\x30" + _der_length(len(status)) + status).dump()

    def respond_der(self, body: bytes) -> bytes:
        try:
            request = tsp.TimeStampReq.load(body)
            _ = request.native  # parse fully now, so a malformed request is refused here
        except Exception:  # noqa: BLE001 - asn1crypto raises many kinds on malformed DER
            return self._rejection(TimestampRefused("malformed request", "bad_data_format"))
        try:
            return self.respond(request).dump()
        except TimestampRefused as refusal:
            return self._rejection(refusal)

    def respond(self, request: tsp.TimeStampReq) -> tsp.TimeStampResp:
        """A granted response; ``TimestampRefused`` for requests the authority does not accept."""
        imprint = request["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        if algorithm not in _HASHES:
            raise TimestampRefused(f"unsupported hash algorithm {algorithm}", "bad_alg")
        if len(imprint["hashed_message"].native) != _HASHES[algorithm][1]:
            raise TimestampRefused("digest length does not match its algorithm", "bad_data_format")
        if request["req_policy"].native not in (None, self.policy):
            raise TimestampRefused("unaccepted policy", "unaccepted_policy")
        gen_time = self.clock().astimezone(dt.UTC).replace(microsecond=0)
        info = {
            "version": "v1",
            "policy": self.policy,
            "message_imprint": imprint,
            "serial_number": secrets.randbits(63),
            "gen_time": gen_time,
            "tsa": asn1_x509.GeneralName(name="directory_name", value=self.cert.subject),
        }
        if request["nonce"].native is not None:
            info["nonce"] = request["nonce"]
        content = tsp.TSTInfo(info).dump()
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(gen_time)})),
                self._signing_cert_attr,
                simple_cms_attribute("message_digest", hashlib.sha256(content).digest()),
            ]
        )
        signature = self._key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
        digest_algorithm = algos.DigestAlgorithm({"algorithm": "sha256"})
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                            {"issuer": self.cert.issuer, "serial_number": self.cert.serial_number}
                        )
                    }
                ),
                "digest_algorithm": digest_algorithm,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
                "signed_attrs": signed_attrs,
                "signature": signature,
            }
        )
        certificates = [self.cert] + self._chain if request["cert_req"].native else []
        signed_data = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [digest_algorithm],
                "encap_content_info": {"content_type": "tst_info", "content": cms.ParsableOctetString(content)},
                "certificates": certificates or None,
                "signer_infos": [signer_info],
            }
        )
        token = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
        return tsp.TimeStampResp(
            {"status": tsp.PKIStatusInfo({"status": tsp.PKIStatus("granted")}), "time_stamp_token": token}
        )


class LocalTimeStamper(TimeStamper):
    """pyHanko's timestamp client, answered by our authority in-process (no HTTP round trip)."""

    def __init__(self, authority: TimestampAuthority):
        super().__init__(include_nonce=True)
        self.authority = authority

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return self.authority.respond(req)
