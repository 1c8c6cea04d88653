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
    """The bank's notice that a virtual account or QRIS bill was paid.
    ---
    post:
      summary: "Notifikasi pembayaran virtual account/QRIS dari bank (SNAP BI). Tanpa token: header X-TIMESTAMP,
        X-SIGNATURE (HMAC-SHA512 atas METHOD:path:sha256(badan):timestamp dengan rahasia bersama, base64),
        X-EXTERNAL-ID (sekali pakai). Badan: trxId (nomor SKRD), virtualAccountNo, paidAmount {value, currency},
        paymentRequestId. Jawaban: responseCode SNAP"
      body: {required: true, content: {application/json: {schema: {type: object}}}}
      responses:
        200: SnapAnswer
        400: {description: Permintaan tidak valid, content: {
          application/json: {schema: {$ref: "#/components/schemas/SnapAnswer"}},
          application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}}
        401: SnapAnswer
        404: SnapAnswer
        409: SnapAnswer
    """
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
