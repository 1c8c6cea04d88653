"""The applicant's area: apply, follow, fix, download."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.accounts.permissions import may_work, require_may_view
from engine.casework import forwarded, lookups, queries, renewals
from engine.casework.applications import submit_application
from engine.casework.tasks import current_data, get_item, task_form
from engine.core.errors import Conflict, PermissionDenied, ProcessDefinitionError, ValidationFailed
from engine.core.localtime import Phrase
from engine.documents import bills
from engine.documents.documents import documents_of, get_document
from engine.feedback import ikm, survey
from engine.notifications import events, notices
from engine.notifications.wordings import LANGUAGES
from engine.service_time import clock_status
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form

from . import verbs
from .access import guard
from .config import flag
from .downloads import send_card, send_document
from .extensions import db
from .formdata import forget_files, keep_files, posted, with_attached
from .i18n import say
from .services import services

bp = guard(Blueprint("applicant", __name__, url_prefix="/pemohon"), "apply")


@bp.get("/")
def home():
    return render_template(
        "applicant/home.html",
        applications=queries.my_applications(db.session, current_user),
        permit_types=definitions.active_permit_types(db.session),
    )


@bp.route("/ajukan/<code>", methods=["GET", "POST"])
def apply(code):
    permit_type = definitions.permit_type_by_code(db.session, code)
    form = submission_form(definitions.published_version(db.session, permit_type))
    key = f"ajukan:{permit_type.code}"
    values, errors, notice = {}, {}, None
    oss_id = request.values.get("oss")
    from_oss = forwarded.open_for(db.session, oss_id, current_user, permit_type) if oss_id else None
    renews = request.values.get("perpanjang", type=int)
    if from_oss is not None and request.method == "GET":
        values = forwarded.prefill(from_oss, form)
        notice = (
            f"Permohonan diteruskan dari OSS (nomor {from_oss.external_id}) untuk {from_oss.business_name}. "
            "Lengkapi isian dan unggah persyaratannya."
        )
    elif renews and request.method == "GET":
        renewal = renewals.start(db.session, services(), current_user, renews)
        db.session.commit()
        values = renewal.values
        notice = (
            f"Perpanjangan {renewal.permit.title} Nomor {renewal.permit.number}: isian diambil dari permohonan "
            f"{renewal.source.reg_number} dan berkasnya sudah terlampir. Periksa, ubah yang berubah, lalu kirim."
        )
    if request.method == "POST" and request.form.get("_ambil"):
        # The applicant asked to fill the form from another agency's data: nothing is submitted,
        # and the files chosen so far are kept for the real submission.
        raw, uploads = posted(form, key)
        values, errors, notice = lookups.prefill(
            db.session, services(), form, request.form["_ambil"], raw, current_user
        )
        db.session.commit()  # the connector call's log
        keep_files(form, key, uploads, errors)
    elif request.method == "POST":
        raw, uploads = posted(form, key)
        try:
            application = submit_application(db.session, services(), permit_type, current_user, raw, uploads)
            if from_oss is not None:
                forwarded.link(db.session, from_oss, application, application.submitted_at)
            if renews:
                renewals.link(db.session, application, renews, current_user, application.submitted_at)
            db.session.commit()
        except (ValidationFailed, ProcessDefinitionError) as exc:
            db.session.rollback()
            values, errors = raw, getattr(exc, "errors", {"_form": exc.message})
            keep_files(form, key, uploads, errors)
        else:
            forget_files(key)
            flash(
                _("Permohonan terkirim dengan nomor registrasi %(number)s.", number=application.reg_number), "success"
            )
            return redirect(url_for("applicant.application", application_id=application.id))
    return render_template(
        "applicant/apply.html",
        permit_type=permit_type,
        form=form,
        values=with_attached(values, form, key),
        errors=errors,
        notice=notice,
        hidden={k: v for k, v in {"oss": oss_id, "perpanjang": renews}.items() if v},
    ), (422 if errors else 200)


def _renew_url(application) -> str | None:
    """Where the holder renews this application's permit, while it may be renewed."""
    if renewals.renewable(db.session, application) is None:
        return None
    return url_for("applicant.apply", code=renewals.renewal_code(application.permit_type), perpanjang=application.id)


@bp.get("/permohonan/<int:application_id>")
def application(application_id):
    app_row = queries.get_application(db.session, application_id)
    require_may_view(current_user, app_row)
    return render_template(
        "applicant/application.html",
        application=app_row,
        history=queries.history(db.session, app_row, public=True),
        documents=documents_of(db.session, app_row),
        fixes=queries.applicant_tasks(db.session, app_row),
        clock=clock_status.status_of(db.session, services().calendar, app_row),
        bill=bills.bill_of(db.session, app_row.id),
        renew_url=_renew_url(app_row),
        survey_open=survey.open_for(db.session, app_row),
        bank=services().connectors is not None and services().connectors.bank is not None,
    )


@bp.route("/permohonan/<int:application_id>/survei", methods=["GET", "POST"])
def survey_page(application_id):
    """The satisfaction survey, once the permit is handed over."""
    app_row = queries.get_application(db.session, application_id)
    require_may_view(current_user, app_row)
    values, errors = dict(request.form), {}
    if request.method == "POST":
        try:
            verbs.run(
                lambda: survey.answer(db.session, current_user, app_row.id, request.form, services().calendar.zone),
                current_user,
            )
        except ValidationFailed as exc:
            errors = exc.errors
        except Conflict as exc:
            flash(say(exc.message), "info")
            return redirect(url_for("applicant.application", application_id=app_row.id))
        else:
            flash(_("Terima kasih atas penilaian Anda; masukan Anda membantu kami memperbaiki layanan."), "success")
            return redirect(url_for("applicant.application", application_id=app_row.id))
    elif not survey.open_for(db.session, app_row):
        flash(_("Survei kepuasan dibuka setelah izin diserahkan, sekali untuk setiap permohonan."), "info")
        return redirect(url_for("applicant.application", application_id=app_row.id))
    return render_template(
        "applicant/survey.html", application=app_row, unsur=ikm.UNSUR, scale=ikm.SCALE, values=values, errors=errors
    ), (422 if errors else 200)


@bp.route("/tugas/<int:item_id>", methods=["GET", "POST"])
def fix(item_id):
    item = get_item(db.session, item_id)
    if not may_work(current_user, item):  # only the applicant's own tasks, never an officer's form
        raise PermissionDenied(Phrase("Tugas ini bukan untuk Anda."))
    form = task_form(item)
    key = f"tugas:{item.id}"
    current = current_data(item) if item.state == "open" else {}
    values, errors = current, {}
    if request.method == "POST":
        raw, uploads = posted(form, key)
        try:
            verbs.complete(item.id, current_user, raw, uploads)
        except ValidationFailed as exc:
            values, errors = {**current, **raw}, exc.errors
            keep_files(form, key, uploads, errors)
        else:
            forget_files(key)
            flash(_("Perbaikan terkirim dan akan diverifikasi kembali oleh petugas."), "success")
            return redirect(url_for("applicant.application", application_id=item.application_id))
    return render_template(
        "applicant/fix.html",
        item=item,
        form=form,
        values=with_attached(values, form, key),
        errors=errors,
        notes=current.get("catatan_perbaikan"),
    ), (422 if errors else 200)


@bp.get("/pemberitahuan")
def notices_page():
    """The person's notices (opening the list reads them) and how they want to hear from us."""
    rows = notices.for_user(db.session, current_user, limit=50)
    unread = {n.id for n in rows if n.read_at is None}
    notices.mark_read(db.session, current_user)
    db.session.commit()
    return render_template(
        "applicant/notices.html",
        rows=rows,
        unread=unread,
        preference=notices.preference_of(db.session, current_user),
        channels=notices.CHANNELS,
        reachable=events.reachable(services()),
        languages=LANGUAGES,
    )


@bp.post("/pemberitahuan/saluran")
def notice_preference():
    given = request.form
    verbs.run(
        lambda: notices.set_preference(
            db.session,
            current_user,
            email="email" in given,
            sms="sms" in given,
            whatsapp="whatsapp" in given,
            attach_pdf="lampiran" in given,
            language=given.get("bahasa", "id"),
        ),
        current_user,
    )
    flash(_("Pilihan pemberitahuan disimpan."), "success")
    return redirect(url_for("applicant.notices_page"))


@bp.get("/dokumen/<int:document_id>/kartu.pdf")
def permit_card(document_id):
    return send_card(document_id, current_user)


@bp.get("/dokumen/<int:document_id>")
def document(document_id):
    if flag(current_app.config.get("SURVEY_BEFORE_DOWNLOAD")):
        # The agency asks for the satisfaction survey before the permit is downloaded.
        doc = get_document(db.session, document_id)
        if (
            doc.kind == "izin"
            and doc.application.applicant_id == current_user.id
            and survey.open_for(db.session, doc.application)
        ):
            flash(_("Isi survei kepuasan singkat ini dahulu; setelah itu izin Anda dapat diunduh."), "info")
            return redirect(url_for("applicant.survey_page", application_id=doc.application_id))
    return send_document(document_id, current_user)
