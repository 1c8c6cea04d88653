"""Staff task inbox: claim, release, work and complete tasks of one's role."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engine import queries
from engine.documents import documents_of
from engine.errors import Conflict, PermissionDenied, SigningRefused, ValidationFailed
from engine.permissions import may_work
from engine.runtime import ProcessRunError
from engine.tasks import claim, current_data, get_item, release, task_form
from engine.version_forms import submission_form

from . import verbs
from .access import guard
from .downloads import send_document
from .extensions import db
from .formdata import from_request

bp = guard(Blueprint("staff", __name__, url_prefix="/petugas"), "work_tasks")


@bp.get("/")
def inbox():
    return render_template("staff/inbox.html", inbox=queries.inbox(db.session, current_user))


def _verb(action, item_id, success):
    try:
        action(db.session, item_id, current_user)
        db.session.commit()
        flash(success, "success")
    except (Conflict, PermissionDenied) as exc:
        db.session.rollback()
        flash(exc.message, "error")


@bp.post("/tugas/<int:item_id>/ambil")
def claim_task(item_id):
    _verb(claim, item_id, "Tugas diambil dan masuk ke daftar tugas Anda.")
    return redirect(url_for("staff.task", item_id=item_id))


@bp.post("/tugas/<int:item_id>/lepas")
def release_task(item_id):
    _verb(release, item_id, "Tugas dikembalikan ke daftar bersama.")
    return redirect(url_for("staff.inbox"))


@bp.route("/tugas/<int:item_id>", methods=["GET", "POST"])
def task(item_id):
    item = get_item(db.session, item_id)
    if not may_work(current_user, item):
        raise PermissionDenied("Tugas ini bukan untuk peran Anda.")
    form = task_form(item)
    current = current_data(item) if item.state == "open" else {}
    values, errors, status = current, {}, 200
    if request.method == "POST":
        raw, uploads = from_request(form)
        try:
            verbs.complete(item.id, current_user, raw, uploads, verbs.passphrase_from_form())
        except ValidationFailed as exc:
            values, errors, status = {**current, **raw}, exc.errors, 422
        except SigningRefused as exc:
            values, errors, status = {**current, **raw}, {"passphrase": exc.message}, 422
            item = get_item(db.session, item_id)
        except (Conflict, PermissionDenied, ProcessRunError) as exc:
            flash(exc.message, "error")
            status = 409 if isinstance(exc, Conflict) else 403 if isinstance(exc, PermissionDenied) else 500
            item = get_item(db.session, item_id)
        else:
            flash(f"Tugas '{item.title}' selesai untuk permohonan {item.application.reg_number}.", "success")
            return redirect(url_for("staff.inbox"))
    application = item.application
    return render_template("staff/task.html", item=item, form=form, values=values, errors=errors,
                           application=application, data=current,
                           submission=submission_form(application.process_version),
                           documents=documents_of(db.session, application),
                           history=queries.history(db.session, application)), status


@bp.get("/permohonan")
def applications():
    status = request.args.get("status") or None
    return render_template("staff/applications.html", status=status,
                           applications=queries.all_applications(db.session, status))


@bp.get("/dokumen/<int:document_id>")
def document(document_id):
    return send_document(document_id, current_user, inline=request.args.get("lihat") == "1")
