"""OSS RBA's side: applications it forwards for a regional permit. No login and no token: each
request is authenticated by its signature (``engine.casework.forwarded``)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from engine.casework import forwarded

from .extensions import db, limiter
from .services import services

bp = Blueprint("oss", __name__, url_prefix="/api/v1/oss")


@bp.post("/permohonan")
@limiter.limit("120 per minute")
def forwarded_request():
    """An application OSS RBA forwards for a regional permit.
    ---
    post:
      summary: "Permohonan izin daerah yang diteruskan OSS RBA. Tanpa token: ditandatangani seperti notifikasi
        bank, dengan kunci API OSS. Badan: id_permohonan, nib, kode_izin, pelaku_usaha {nama, email, nik}.
        Jawaban 201 (baru) atau 200 (sudah diterima): tautan untuk melengkapi"
      body: {required: true, content: {application/json: {schema: {type: object}}}}
      responses:
        200: ForwardedAnswer
        201: ForwardedAnswer
        400: {description: Permintaan tidak valid, content: {
          application/json: {schema: {$ref: "#/components/schemas/ForwardedAnswer"}},
          application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}}
        401: ForwardedAnswer
        404: ForwardedAnswer
        422: ForwardedAnswer
    """

    def link_for(code: str, external_id: str) -> str:
        return url_for("applicant.apply", code=code, oss=external_id, _external=True)

    status, answer = forwarded.receive_signed(
        db.session,
        services().connectors,
        method=request.method,
        path=request.path,
        headers=request.headers,
        body=request.get_data(),
        link_for=link_for,
    )
    db.session.commit()
    return jsonify(answer), status
