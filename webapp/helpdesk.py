"""The help desk for everyone signed in: an applicant's consultation, a staff member's question."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.core.errors import Conflict, ValidationFailed
from engine.public_data import helpdesk

from . import verbs
from .access import guard
from .extensions import db
from .i18n import say

bp = guard(Blueprint("helpdesk", __name__, url_prefix="/bantuan"), "ask_help")


@bp.route("/", methods=["GET", "POST"])
def threads():
    values, errors = {k: request.form.get(k, "") for k in ("judul", "pesan")}, {}
    if request.method == "POST":
        try:
            thread = verbs.run(
                lambda: helpdesk.open_thread(db.session, current_user, values["judul"], values["pesan"]), current_user
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash(_("Pertanyaan terkirim; jawaban akan muncul di sini."), "success")
            return redirect(url_for("helpdesk.thread", thread_id=thread.id))
    return render_template(
        "helpdesk/threads.html",
        rows=helpdesk.threads_for(db.session, current_user),
        values=values,
        errors=errors,
        kinds=helpdesk.KINDS,
        labels=helpdesk.STATUS_LABELS,
        mine=helpdesk.kind_for(current_user),
    ), (422 if errors else 200)


@bp.route("/<int:thread_id>", methods=["GET", "POST"])
def thread(thread_id):
    found = helpdesk.get_thread(db.session, current_user, thread_id)
    errors = {}
    if request.method == "POST":
        try:
            if request.form.get("selesai"):
                verbs.run(lambda: helpdesk.close(db.session, current_user, thread_id), current_user)
            else:
                verbs.run(
                    lambda: helpdesk.reply(db.session, current_user, thread_id, request.form.get("pesan", "")),
                    current_user,
                )
        except ValidationFailed as exc:
            errors = exc.errors
        except Conflict as exc:
            flash(say(exc.message), "error")
        else:
            return redirect(url_for("helpdesk.thread", thread_id=thread_id))
    return render_template(
        "helpdesk/thread.html", thread=found, errors=errors, kinds=helpdesk.KINDS, labels=helpdesk.STATUS_LABELS
    ), (422 if errors else 200)
