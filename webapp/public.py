"""Public information: permit guides, tracking, document verification. No login."""
from flask import Blueprint, render_template, request

from engine import definitions, queries
from engine.documents import document_by_code
from engine.errors import NotFound

from .extensions import db
from .services import services

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html", permit_types=definitions.active_permit_types(db.session))


@bp.get("/izin/<code>")
def permit_type(code):
    return render_template("public/permit_type.html", permit_type=definitions.permit_type_by_code(db.session, code))


@bp.get("/lacak")
def track():
    number = request.args.get("nomor", "").strip()
    application, error, steps, current = None, None, [], []
    if number:
        try:
            application = queries.application_by_reg(db.session, number)
        except NotFound as exc:
            error = exc.message
        else:
            steps = queries.history(db.session, application, public=True)
            current = queries.open_items(db.session, application)
    status = 404 if error else 200
    return render_template("public/track.html", number=number, application=application, error=error,
                           steps=steps, current=current), status


@bp.get("/verify/<code>")
def verify(code):
    doc = document_by_code(db.session, code)
    content = services().files.read(doc.sha256)
    check = services().documents.verify(content)
    return render_template("public/verify.html", doc=doc, check=check)
