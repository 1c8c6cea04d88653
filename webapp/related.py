"""Other agencies' employees (Instansi Terkait): read the applications of the permit types they are
granted, without the applicants' personal documents unless those are granted too (R5.2)."""

from flask import Blueprint, request
from flask_login import current_user

from .access import guard
from .downloads import send_document
from .reading import application_page, applications_page

bp = guard(Blueprint("related", __name__, url_prefix="/instansi"), "read_granted")


@bp.get("/")
def applications():
    return applications_page("related.application")


@bp.get("/permohonan/<int:application_id>")
def application(application_id):
    return application_page(application_id, "related")


@bp.get("/dokumen/<int:document_id>")
def document(document_id):
    return send_document(document_id, current_user, inline=request.args.get("lihat") == "1")
