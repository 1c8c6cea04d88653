"""What other machines ask of the agency, without login: the RFC 3161 timestamp service, the CA's
certificate, revocation list and OCSP responder, and the liveness and readiness probes."""

import base64
from urllib.parse import unquote

from flask import Blueprint, jsonify, request

from engine.core import health

from .extensions import db, limiter
from .services import services

bp = Blueprint("trust", __name__)


@bp.post("/tsa")
@limiter.limit("120 per minute")
def timestamp():
    """RFC 3161 timestamp service of the agency (the server's clock, the agency's TSA certificate)."""
    if request.mimetype != "application/timestamp-query":
        return "Content-Type harus application/timestamp-query", 415
    reply = services().documents.timestamp_reply(request.get_data())
    return reply, 200, {"Content-Type": "application/timestamp-reply"}


@bp.get("/healthz")
def healthz():
    """The process answers (for a load balancer's liveness probe); touches nothing else."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """Database, archive and scheduler (a sweep within five minutes): 200 when all hold, else 503."""
    state = health.readiness(db.session, services().files)
    if not state.database:
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001, S110 - the connection is gone already; the pool replaces it once it answers
            pass
    body = {
        "status": "ready" if state.ready else "not_ready",
        "database": state.database,
        "files": state.files,
        "scheduler": state.scheduler,
        "last_sweep": state.last_sweep.isoformat() if state.last_sweep else None,
    }
    return jsonify(body), 200 if state.ready else 503


@bp.get("/pki/ca.crt")
def ca_certificate():
    return (
        services().documents.pki.ca_cert_path.read_bytes(),
        200,
        {"Content-Type": "application/x-pem-file", "Content-Disposition": "attachment; filename=ca.crt"},
    )


@bp.get("/pki/ca.crl")
def ca_crl():
    return services().documents.crl(), 200, {"Content-Type": "application/pkix-crl"}


@bp.post("/pki/ocsp")
@bp.get("/pki/ocsp/<path:encoded>")
@limiter.limit("300 per minute")
def ocsp(encoded=None):
    """The agency CA's OCSP responder (RFC 6960): POST the DER request, or GET it base64 in the path."""
    der = request.get_data() if encoded is None else _b64(encoded)
    return services().documents.ocsp_reply(der), 200, {"Content-Type": "application/ocsp-response"}


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(unquote(text), validate=False)
    except ValueError:
        return b""
