"""Pages of those who read files: the list of applications within the reader's authority, and
the read-only page of one application for those who read without working it (supervisors, other
agencies), listing only the documents the reader may open."""

from flask import render_template, request
from flask_login import current_user

from engine.accounts.permissions import permit_types_in_scope, require_may_view, visible_documents
from engine.casework import queries
from engine.documents.documents import documents_of
from engine.service_time import clock_status

from .extensions import db
from .services import services


def applications_page(detail_endpoint: str):
    status = request.args.get("status") or None
    permit_type = request.args.get("jenis", type=int)
    search = (request.args.get("cari") or "").strip()[:100]
    number = max(1, min(request.args.get("halaman", 1, type=int), 10_000))
    page = queries.application_page(db.session, current_user, status, permit_type, search, number)
    args = {k: v for k, v in {"status": status, "jenis": permit_type, "cari": search}.items() if v}
    return render_template(
        "staff/applications.html",
        status=status,
        permit_type=permit_type,
        search=search,
        permit_types=permit_types_in_scope(db.session, current_user),
        args=args,
        detail_endpoint=detail_endpoint,
        page=page,
        applications=page.rows,
    )


def application_page(application_id: int, doc_blueprint: str):
    app_row = queries.get_application(db.session, application_id)
    require_may_view(current_user, app_row)
    documents = documents_of(db.session, app_row)
    shown = visible_documents(current_user, documents)
    return render_template(
        "staff/application.html",
        application=app_row,
        documents=shown,
        withheld=len(documents) - len(shown),
        history=queries.history(db.session, app_row),
        may_end=False,
        may_upload_scan=False,
        doc_blueprint=doc_blueprint,
        clock=clock_status.status_of(db.session, services().calendar, app_row),
    )
