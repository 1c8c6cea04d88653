"""The SMS gateway's side: messages texted to the agency's number (``CEK <nomor>``). No login: the
gateway's own token authenticates each request; the answer goes back as one SMS."""

from __future__ import annotations

import hmac

from flask import Blueprint, jsonify, request

from engine.casework import status_sms
from engine.notifications.delivery import deliver_pending, gateways_of

from .extensions import db, limiter
from .services import services

bp = Blueprint("sms", __name__, url_prefix="/api/v1/sms")


@bp.post("/masuk")
@limiter.limit("120 per minute")
def inbound():
    connectors = services().connectors
    token = request.headers.get("Authorization", "")
    if (
        connectors is None
        or connectors.sms is None
        or not connectors.sms_key
        or not hmac.compare_digest(token.encode(), connectors.sms_key.encode())
    ):
        return jsonify(status=False, message="token tidak valid"), 401
    given = request.get_json(silent=True) or {}
    message_id, phone, text = (str(given.get(k, ""))[:200] for k in ("id", "phone", "message"))
    if not message_id or not phone:
        return jsonify(status=False, message="id dan phone wajib"), 400
    reply = status_sms.answer(db.session, services(), message_id, phone, text)
    db.session.commit()
    if reply is not None:
        # The person waits at their phone: the answer goes now, not at the next sweep (which
        # retries it if the gateway is down).
        deliver_pending(db.session, gateways_of(db.session, services()), ids=[d.id for d in reply.deliveries])
    return jsonify(status=True, replied=reply is not None)
