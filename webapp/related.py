"""Other agencies' employees (Instansi Terkait): read the applications of the permit types they are
granted, without the applicants' personal documents unless those are granted too (R5.2)."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from engine import queries, sla
from engine.definitions import active_permit_types
from engine.documents import documents_of
from engine.permissions import require_may_view, scope_of, visible_documents

from .access import guard
from .downloads import send_document
from .extensions import db
from .services import services

bp = guard(Blueprint("related", __name__, url_prefix="/instansi"), "read_granted")


@bp.get("/")
def applications():
    status = request.args.get("status") or None
    permit_type = request.args.get("jenis", type=int)
    scope = scope_of(db.session, current_user)
    return render_template("staff/applications.html", status=status, permit_type=permit_type,
                           permit_types=[p for p in active_permit_types(db.session) if scope.covers(p.id)],
                           detail_endpoint="related.application",
                           applications=queries.all_applications(db.session, current_user, status, permit_type))


@bp.get("/permohonan/<int:application_id>")
def application(application_id):
    app_row = queries.get_application(db.session, application_id)
    require_may_view(current_user, app_row)
    documents = documents_of(db.session, app_row)
    shown = visible_documents(current_user, documents)
    return render_template("staff/application.html", application=app_row, documents=shown,
                           withheld=len(documents) - len(shown), history=queries.history(db.session, app_row),
                           may_end=False, may_upload_scan=False, doc_blueprint="related",
                           clock=sla.status_of(db.session, services().calendar, app_row))


@bp.get("/dokumen/<int:document_id>")
def document(document_id):
    return send_document(document_id, current_user, inline=request.args.get("lihat") == "1")
