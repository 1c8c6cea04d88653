"""Revocation lists of other issuers (a licensed CA such as BSrE), fetched from the address
their certificates give.

Only for a certificate that one of the configured trust roots really issued (its signature is
checked before any request), so an uploaded PDF cannot make the server fetch an address of its
choosing. A list is kept until half its life has passed; one that cannot be fetched again is
used while it is still current, then dropped: the verify page says revocation could not be
checked rather than "tidak dicabut".
"""

from __future__ import annotations

import logging
import threading
import urllib.request
from datetime import datetime

from asn1crypto import crl as asn1_crl
from cryptography import x509

from engine.core.clock import utcnow

from .certs import crl_urls

log = logging.getLogger(__name__)

MAX_CRL_BYTES = 5 * 1024 * 1024


def http_get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read(MAX_CRL_BYTES + 1)


class IssuerRevocationLists:
    def __init__(self, roots: list[x509.Certificate], *, fetch=http_get, timeout: float = 5):
        self._roots = list(roots)
        self._fetch = fetch
        self._timeout = timeout
        self._lists: dict[str, tuple[datetime, datetime, asn1_crl.CertificateList]] = {}
        self._lock = threading.Lock()

    def _issuer_of(self, cert: x509.Certificate) -> x509.Certificate | None:
        for root in self._roots:
            if root.subject != cert.issuer:
                continue
            try:
                cert.verify_directly_issued_by(root)
                return root
            except Exception:  # noqa: BLE001, S112 - any failure: not issued by it
                continue
        return None

    def lists_for(self, certs) -> list[asn1_crl.CertificateList]:
        """The current revocation lists covering ``certs`` (asn1crypto or cryptography
        certificates) that a configured root issued."""
        found: dict[str, asn1_crl.CertificateList] = {}
        for cert in certs:
            cert = cert if isinstance(cert, x509.Certificate) else x509.load_der_x509_certificate(cert.dump())
            issuer = self._issuer_of(cert)
            if issuer is None:
                continue
            for url in crl_urls(cert):
                if url.startswith(("http://", "https://")) and url not in found:
                    crl = self._current(url, issuer)
                    if crl is not None:
                        found[url] = crl
        return list(found.values())

    def _current(self, url: str, issuer: x509.Certificate) -> asn1_crl.CertificateList | None:
        now = utcnow()
        with self._lock:
            held = self._lists.get(url)
        if held is not None and now < held[0]:
            return held[2]
        try:
            der = self._fetch(url, self._timeout)
            if len(der) > MAX_CRL_BYTES:
                raise ValueError("revocation list too large")
            crl = x509.load_der_x509_crl(der)
            if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):
                raise ValueError("revocation list not signed by the issuer")
            if crl.next_update_utc is None or crl.next_update_utc <= now:
                raise ValueError("revocation list out of date")
        except Exception as exc:  # noqa: BLE001 (unreachable, damaged or stale: not used)
            log.warning("Daftar pencabutan %s tidak dapat diambil: %s", url, exc)
            if held is not None and now < held[1]:
                return held[2]
            with self._lock:
                self._lists.pop(url, None)
            return None
        refresh_at = crl.last_update_utc + (crl.next_update_utc - crl.last_update_utc) / 2
        parsed = asn1_crl.CertificateList.load(der)
        with self._lock:
            self._lists[url] = (min(refresh_at, crl.next_update_utc), crl.next_update_utc, parsed)
        return parsed
