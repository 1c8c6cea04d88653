"""Staff task inbox: claim, release, work and complete tasks of one's role. The front office's
counter and queue desk are ``counter_desk``, on the same blueprint."""

from dataclasses import replace
from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.accounts.permissions import may_work, require_may_view
from engine.casework import manual_entry, permits, queries, worklist
from engine.casework.tasks import assign, assignable_officers, claim, current_data, get_item, release, task_form
from engine.core.clock import utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, SigningRefused, ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import N_, Phrase
from engine.core.roles import FRONT_OFFICE, HEAD
from engine.documents import certificates, drafts
from engine.documents.documents import documents_of, get_document
from engine.notifications import notices
from engine.service_time import clock_status
from engine.workflow.runtime import ProcessRunError
from engine.workflow.version_forms import submission_form

from . import verbs
from .access import guard
from .downloads import send_document
from .extensions import db
from .formdata import forget_files, keep_files, paper_record, paper_values, posted, with_attached
from .i18n import say
from .reading import applications_page
from .services import services

bp = guard(Blueprint("staff", __name__, url_prefix="/petugas"), "work_tasks")


@bp.get("/")
def inbox():
    query = worklist.TaskQuery.from_args(request.args)
    page = worklist.task_page(db.session, services().calendar, current_user, query)
    if "tampilan" not in request.args and not page.rows and not query.filtered and worklist.WAITING in page.views:
        # Nothing in hand: an officer opening the inbox wants the queue to take from.
        page = worklist.task_page(db.session, services().calendar, current_user, replace(query, view=worklist.WAITING))
    return render_template(
        "staff/inbox.html",
        page=page,
        worklist=worklist,
        notifications=clock_status.notifications_for(db.session, current_user),
    )


@bp.route("/tugas/<int:item_id>/serahkan", methods=["GET", "POST"])
def assign_task(item_id):
    """The head hands a task to a named officer of its role."""
    item, officers = assignable_officers(db.session, current_user, item_id)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            verbs.run(
                lambda: assign(db.session, item_id, current_user, request.form.get("petugas", type=int) or 0),
                current_user,
            )
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        except Conflict as exc:
            flash(say(exc.message), "error")
            return redirect(url_for("staff.inbox", tampilan=worklist.TEAM))
        else:
            item = get_item(db.session, item_id)
            flash(
                _(
                    "Tugas '%(title)s' (%(number)s) diserahkan kepada %(name)s.",
                    title=item.title,
                    number=item.application.reg_number,
                    name=item.claimed_by.name,
                ),
                "success",
            )
            return redirect(url_for("staff.inbox", tampilan=worklist.TEAM))
    return render_template("staff/assign.html", item=item, officers=officers, errors=errors), status


def _verb(action, item_id, success) -> bool:
    # A conflict (someone else took the task first) is news for the inbox; a refusal is a 403.
    try:
        action(db.session, item_id, current_user)
        db.session.commit()
        flash(success, "success")
        return True
    except Conflict as exc:
        db.session.rollback()
        flash(say(exc.message), "error")
        return False


@bp.post("/tugas/<int:item_id>/ambil")
def claim_task(item_id):
    if _verb(claim, item_id, _("Tugas diambil dan masuk ke daftar tugas Anda.")):
        return redirect(url_for("staff.task", item_id=item_id))
    # Lost to another officer: the task page, saying who took it, answers 409 Conflict.
    item = get_item(db.session, item_id)
    return _task_page(item, task_form(item), {}, {}, 409)


@bp.post("/tugas/<int:item_id>/lepas")
def release_task(item_id):
    _verb(release, item_id, _("Tugas dikembalikan ke daftar bersama."))
    return redirect(url_for("staff.inbox"))


@bp.route("/tugas/<int:item_id>", methods=["GET", "POST"])
def task(item_id):
    item = get_item(db.session, item_id)
    if not may_work(current_user, item):
        raise PermissionDenied(Phrase("Tugas ini bukan untuk peran Anda."))
    form = task_form(item)
    key = f"tugas:{item.id}"
    current = current_data(item) if item.state == "open" else {}
    values, errors, status = current, {}, 200
    if request.method == "POST":
        raw, uploads = posted(form, key)
        try:
            paper = paper_record()
            if paper is not None:
                verbs.run(
                    lambda: manual_entry.complete_on_paper(
                        db.session, services(), current_user, item.id, raw, uploads, paper
                    ),
                    current_user,
                )
            else:
                verbs.complete(item.id, current_user, raw, uploads, verbs.passphrase_from_form())
        except ValidationFailed as exc:
            values, errors, status = {**current, **raw}, exc.errors, 422
            keep_files(form, key, uploads, errors)
        except SigningRefused as exc:
            # A mistyped passphrase must not cost the officer the field photos they attached.
            values, errors, status = {**current, **raw}, {"passphrase": exc.message}, 422
            keep_files(form, key, uploads, {})
            item = get_item(db.session, item_id)
        except (Conflict, PermissionDenied, ProcessRunError, NotFound) as exc:
            flash(say(exc.message), "error")
            status = {Conflict: 409, PermissionDenied: 403, NotFound: 404}.get(type(exc), 500)
            item = get_item(db.session, item_id)
        else:
            forget_files(key)
            flash(
                _(
                    "Tugas '%(title)s' selesai untuk permohonan %(number)s.",
                    title=item.title,
                    number=item.application.reg_number,
                ),
                "success",
            )
            return redirect(url_for("staff.inbox"))
    return _task_page(item, form, with_attached(values, form, key), errors, status)


def _task_page(item, form, values, errors, status):
    application = item.application
    current = current_data(item) if item.state == "open" else {}
    return render_template(
        "staff/task.html",
        item=item,
        form=form,
        values=values or current,
        errors=errors,
        application=application,
        data=current,
        outages=manual_entry.outages(db.session),
        paper_values=paper_values(),
        submission=submission_form(application.process_version),
        to_sign=drafts.kinds_to_sign(item),
        documents=documents_of(db.session, application),
        history=queries.history(db.session, application),
        clock=clock_status.status_of(db.session, services().calendar, application),
    ), status


@bp.route("/tugas/<int:item_id>/draf/<kind>.pdf", methods=["GET", "POST"])
def task_draft(item_id, kind):
    """The letter the step issues under the officer's signature, as a draft to read before the
    passphrase; a POST draws it with what the task form holds so far."""
    item = get_item(db.session, item_id)
    if not may_work(current_user, item):
        raise PermissionDenied(Phrase("Tugas ini bukan untuk peran Anda."))
    typed = request.form.to_dict() if request.method == "POST" else None
    pdf = drafts.draft_pdf(services(), item, kind, current_user, utcnow(), typed)
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=f"draf-{kind}.pdf")


@bp.get("/permohonan")
def applications():
    return applications_page("staff.application")


@bp.get("/dokumen/<int:document_id>")
def document(document_id):
    return send_document(document_id, current_user, inline=request.args.get("lihat") == "1")


@bp.get("/permohonan/<int:application_id>")
def application(application_id):
    app_row = queries.get_application(db.session, application_id)
    require_may_view(current_user, app_row)
    return render_template(
        "staff/application.html",
        application=app_row,
        documents=documents_of(db.session, app_row),
        history=queries.history(db.session, app_row),
        now=utcnow(),
        clock=clock_status.status_of(db.session, services().calendar, app_row),
        may_end=current_user.has_role(HEAD),
        may_upload_scan=current_user.role_names & {FRONT_OFFICE, HEAD},
        deliveries=notices.deliveries_of(db.session, app_row.id),
    )


def _decide(decide, application_id: int, label: str):
    """Run one of the head's signed decisions and say how it went on the application page."""
    try:
        decision = verbs.run(decide, current_user, lambda: queries.get_application(db.session, application_id))
    except ValidationFailed as exc:
        flash(_("Keputusan belum lengkap: %(problems)s", problems="; ".join(exc.errors.values())), "error")
    except (SigningRefused, Conflict) as exc:
        flash(say(exc.message), "error")
    else:
        flash(
            _(
                "%(what)s ditetapkan dengan %(title)s Nomor %(number)s.",
                what=label,
                title=decision.title,
                number=decision.number,
            ),
            "success",
        )
    return redirect(url_for("staff.application", application_id=application_id))


@bp.post("/dokumen/<int:document_id>/akhiri")
def end_permit(document_id):
    """The head revokes or cancels a permit (signed decision; the passphrase signs it)."""
    doc = get_document(db.session, document_id)
    form = {k: request.form.get(k, "") for k in ("tindakan", "alasan", "dasar_hukum")}
    return _decide(
        lambda: permits.end_permit(
            db.session,
            services(),
            current_user,
            document_id,
            form["tindakan"],
            form["alasan"],
            form["dasar_hukum"],
            verbs.passphrase_from_form(),
        ),
        doc.application_id,
        _(permits.ENDING_LABELS.get(form["tindakan"], N_("Keputusan"))),
    )


@bp.post("/permohonan/<int:application_id>/sanksi")
def sanction(application_id):
    """The head's written warning, or the cancellation of the permit about to be issued."""
    form = {k: request.form.get(k, "") for k in ("tindakan", "alasan", "dasar_hukum", "kewajiban")}
    return _decide(
        lambda: permits.sanction(
            db.session,
            services(),
            current_user,
            application_id,
            form["tindakan"],
            form["alasan"],
            form["dasar_hukum"],
            form["kewajiban"],
            verbs.passphrase_from_form(),
        ),
        application_id,
        _(permits.ENDING_LABELS.get(form["tindakan"], N_("Sanksi"))),
    )


@bp.post("/dokumen/<int:document_id>/pindaian")
def upload_scan(document_id):
    doc = get_document(db.session, document_id)
    storage = request.files.get("berkas")
    upload = Upload("berkas", storage.filename or "pindaian", storage.read()) if storage else Upload("berkas", "", b"")
    try:
        verbs.run(
            lambda: permits.upload_hand_signed(db.session, services(), current_user, document_id, upload), current_user
        )
    except ValidationFailed as exc:
        flash("; ".join(say(message) for message in exc.errors.values()), "error")
    except Conflict as exc:
        flash(say(exc.message), "error")
    else:
        flash(_("Pindaian %(title)s %(number)s diarsipkan.", title=doc.title, number=doc.number), "success")
    return redirect(url_for("staff.application", application_id=doc.application_id))


@bp.route("/sertifikat", methods=["GET", "POST"])
def certificates_page():
    """My signing certificates: activate one from the agency CA, or import a licensed CA's PKCS#12."""
    errors, status = {}, 200
    if request.method == "POST":
        action = request.form.get("aksi")
        try:
            if action == "impor":
                storage = request.files.get("p12")
                verbs.run(
                    lambda: certificates.import_p12(
                        db.session,
                        services(),
                        current_user,
                        storage.read() if storage else b"",
                        request.form.get("passphrase", ""),
                    ),
                    current_user,
                )
            else:
                verbs.run(
                    lambda: certificates.enroll(
                        db.session,
                        services(),
                        current_user,
                        request.form.get("passphrase", ""),
                        request.form.get("konfirmasi", ""),
                    ),
                    current_user,
                )
        except (SigningRefused, PermissionDenied) as exc:
            errors, status = {action or "aktifkan": exc.message}, 422
        else:
            flash(_("Sertifikat elektronik aktif. Passphrase Anda tidak disimpan: jangan sampai lupa."), "success")
            return redirect(url_for("staff.certificates_page"))
    return render_template(
        "staff/certificates.html",
        errors=errors,
        certificates=certificates.certificates_of(db.session, current_user),
        active=certificates.active_certificate(db.session, current_user),
    ), status


# --- the counter: applying for a person who cannot use the system (R2.13) ---------------------------
