"""A local stand-in for a remote signing service shaped like BSrE's, for development and tests.

``POST /api/sign/pdf`` (multipart: file, nik, passphrase, tampilan, page, xAxis, yAxis, width,
height, reason, linkQR) returns the signed PDF, or JSON ``{"error", "status_code"}`` with the
service's own codes: 1111 user not registered, 2031 wrong passphrase, 2021 bad document.
``POST /api/user/register`` (JSON nik, name, passphrase) enrols a signer (simulator only).
``GET /api/user/status/<nik>`` tells whether a NIK is registered. ``GET /ca.pem`` is its root,
``GET /ca.crl`` its revocation list (the address its certificates give), and
``POST /api/user/revoke`` (JSON nik) revokes a signer's certificate (simulator only).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from pathlib import Path

from flask import Flask, jsonify, request

from engine.core.clock import utcnow
from engine.core.errors import SigningRefused
from signing.pades import make_signer, sign_pdf

from .certs import Revoked, cert_pem_bytes, open_p12
from .pki import AgencyPki
from .tsa import LocalTimeStamper, TimestampAuthority


class SimulatedSigners:
    """Registered signers: NIK → (name, PKCS#12, passphrase digest). Kept in memory."""

    def __init__(self, pki: AgencyPki):
        self.pki = pki
        self._signers: dict[str, tuple[str, bytes, bytes]] = {}
        self._serials: dict[str, str] = {}
        self._revoked: list[Revoked] = []
        self._lock = threading.Lock()

    def register(self, nik: str, name: str, passphrase: str) -> None:
        issued = self.pki.issue_personal(name=name, nik=nik, passphrase=passphrase)
        with self._lock:
            self._signers[nik] = (name, issued.p12, hashlib.sha256(passphrase.encode("utf-8")).digest())
            self._serials[nik] = issued.serial

    def revoke(self, nik: str) -> bool:
        with self._lock:
            serial = self._serials.get(nik)
            if serial is None:
                return False
            self._revoked.append(Revoked(serial, utcnow()))
            self.pki.publish_crl(self._revoked)
            return True

    def crl(self) -> bytes:
        with self._lock:
            self.pki.renew_crl_if_due(utcnow())
            return self.pki.crl_der()

    def ocsp(self, request_der: bytes) -> bytes:
        with self._lock:
            self.pki.renew_crl_if_due(utcnow())
            return self.pki.ocsp_response(request_der)

    def get(self, nik: str):
        with self._lock:
            return self._signers.get(nik)


def create_simulator(
    directory: Path, signers: dict[str, tuple[str, str]] | None = None, *, base_url: str = "http://127.0.0.1:8089"
) -> Flask:
    """``base_url``: where the simulator is reached; its certificates point at ``{base_url}/ca.crl``."""
    pki = AgencyPki(
        directory,
        organization="BSrE Simulator",
        crl_url=f"{base_url.rstrip('/')}/ca.crl",
        seal_name="BSrE Simulator Seal",
        ocsp_url=f"{base_url.rstrip('/')}/ocsp",
    )
    registry = SimulatedSigners(pki)
    for nik, (name, passphrase) in (signers or {}).items():
        registry.register(nik, name, passphrase)
    timestamper = LocalTimeStamper(TimestampAuthority(pki.tsa_cert, pki.tsa_key, chain=[pki.ca_cert]))
    app = Flask("bsre_simulator")
    app.extensions["signers"] = registry

    def error(status: int, code: int, message: str):
        return jsonify({"error": message, "status_code": code}), status

    @app.post("/api/user/register")
    def register():
        body = request.get_json(silent=True) or {}
        try:
            registry.register(str(body.get("nik", "")), str(body.get("name", "")), str(body.get("passphrase", "")))
        except SigningRefused as exc:
            return error(400, 2001, exc.message)
        return jsonify({"status": "ISSUE"}), 201

    @app.get("/api/user/status/<nik>")
    def status(nik):
        known = registry.get(nik) is not None
        return jsonify({"status": "ISSUE" if known else "NOT_REGISTERED", "status_code": 1111 if not known else 0})

    @app.get("/ca.pem")
    def ca():
        return cert_pem_bytes(pki.ca_cert), 200, {"Content-Type": "application/x-pem-file"}

    @app.get("/ca.crl")
    def crl():
        return registry.crl(), 200, {"Content-Type": "application/pkix-crl"}

    @app.post("/ocsp")
    def ocsp():
        return registry.ocsp(request.get_data()), 200, {"Content-Type": "application/ocsp-response"}

    @app.post("/api/user/revoke")
    def revoke():
        nik = str((request.get_json(silent=True) or {}).get("nik", ""))
        if not registry.revoke(nik):
            return error(404, 1111, "User tidak terdaftar")
        return jsonify({"status": "REVOKED"})

    @app.post("/api/sign/pdf")
    def sign():
        upload = request.files.get("file")
        nik = request.form.get("nik", "")
        entry = registry.get(nik)
        if entry is None:
            return error(400, 1111, "User tidak terdaftar")
        name, p12, digest = entry
        passphrase = request.form.get("passphrase", "")
        if not hmac.compare_digest(digest, hashlib.sha256(passphrase.encode("utf-8")).digest()):
            return error(400, 2031, "Passphrase anda salah")
        pdf = upload.read() if upload else b""
        if not pdf.startswith(b"%PDF"):
            return error(400, 2021, "Dokumen bukan PDF")
        key, cert, chain = open_p12(p12, passphrase)
        try:
            x, y = float(request.form.get("xAxis", 0)), float(request.form.get("yAxis", 0))
            box = (x, y, x + float(request.form.get("width", 200)), y + float(request.form.get("height", 80)))
        except ValueError:
            return error(400, 2022, "Posisi tanda tangan tidak valid")
        signed = sign_pdf(
            pdf,
            make_signer(key, cert, chain),
            timestamper=timestamper,
            context=None,
            reason=request.form.get("reason", ""),
            location="BSrE Simulator",
            signer_name=name,
            url=request.form.get("linkQR") or None,
            box=box,
        )
        return signed, 200, {"Content-Type": "application/pdf"}

    return app
