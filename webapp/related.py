"""Other agencies' employees (Instansi Terkait): read the applications of the permit types they are
granted, without the applicants' personal documents unless those are granted too (R5.2)."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from engine import queries
from engine.permissions import permit_types_in_scope

from .access import guard
from .downloads import send_document
from .extensions import db
from .reading import application_page

bp = guard(Blueprint("related", __name__, url_prefix="/instansi"), "read_granted")


@bp.get("/")
def applications():
    status = request.args.get("status") or None
    permit_type = request.args.get("jenis", type=int)
    return render_template("staff/applications.html", status=status, permit_type=permit_type,
                           permit_types=permit_types_in_scope(db.session, current_user),
                           detail_endpoint="related.application",
                           applications=queries.all_applications(db.session, current_user, status, permit_type))


@bp.get("/permohonan/<int:application_id>")
def application(application_id):
    return application_page(application_id, "related")


@bp.get("/dokumen/<int:document_id>")
def document(document_id):
    return send_document(document_id, current_user, inline=request.args.get("lihat") == "1")
