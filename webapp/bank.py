"""The bank's side: its payment notifications (SNAP BI ``transfer-va/payment``). No login and no
token: each request is authenticated by its HMAC signature (``engine.payments.notifications``)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from engine.core.audit import record
from engine.core.errors import EngineError
from engine.payments import notifications

from .extensions import db, limiter
from .services import services

bp = Blueprint("bank", __name__, url_prefix="/api/v1/bank")


@bp.post("/transfer-va/payment")
@limiter.limit("600 per minute")
def payment_notification():
    try:
        answer = notifications.receive(
            db.session,
            services(),
            method=request.method,
            path=request.path,
            headers=request.headers,
            body=request.get_data(),
        )
        db.session.commit()
    except EngineError as exc:
        # The payment task could not be completed (its form refused the data, or it moved on):
        # nothing is kept of the attempt but its audit row; the bank retries, the treasurer sees it.
        db.session.rollback()
        record(db.session, "payment_notification_refused", summary={"alasan": exc.message[:300]})
        db.session.commit()
        return jsonify({"responseCode": "5002500", "responseMessage": "General Error"}), 500
    return jsonify(answer.body), answer.status
