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
