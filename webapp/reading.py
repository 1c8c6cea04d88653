"""The read-only page of one application, for those who read files without working them
(supervisors, other agencies): only the documents the reader may open are listed."""
from flask import render_template
from flask_login import current_user

from engine import queries, sla
from engine.documents import documents_of
from engine.permissions import require_may_view, visible_documents

from .extensions import db
from .services import services


def application_page(application_id: int, doc_blueprint: str):
    app_row = queries.get_application(db.session, application_id)
    require_may_view(current_user, app_row)
    documents = documents_of(db.session, app_row)
    shown = visible_documents(current_user, documents)
    return render_template("staff/application.html", application=app_row, documents=shown,
                           withheld=len(documents) - len(shown), history=queries.history(db.session, app_row),
                           may_end=False, may_upload_scan=False, doc_blueprint=doc_blueprint,
                           clock=sla.status_of(db.session, services().calendar, app_row))
