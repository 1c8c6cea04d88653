"""The front office's counter, on the staff blueprint: a walk-in applicant's account found or made
and the application entered for them, and the queue desk that calls the next ticket."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engine.accounts import walk_ins
from engine.casework import counter as counter_verbs
from engine.casework import manual_entry
from engine.core.clock import utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, ProcessDefinitionError, ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import Phrase, local_date
from engine.core.roles import FRONT_OFFICE, HEAD
from engine.public_data import queue
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form

from . import verbs
from .auth import external_url
from .extensions import db
from .formdata import forget_files, keep_files, paper_record, paper_values, posted, with_attached
from .i18n import say
from .services import services
from .staff import bp

_PERSON_FIELDS = ("nik", "name", "birth_date", "birth_place", "phone", "email")


@bp.route("/loket", methods=["GET", "POST"])
def counter():
    """Step one: the person, found by NIK or given an account, and the permit they ask for."""
    if not current_user.has_role(FRONT_OFFICE):
        raise PermissionDenied(Phrase("Layanan loket hanya untuk Front Office."))
    values, errors = {k: request.form.get(k, "").strip() for k in _PERSON_FIELDS}, {}
    if request.method == "POST":
        code = request.form.get("jenis_izin", "")
        try:
            definitions.permit_type_by_code(db.session, code)
            person, _created = verbs.run(lambda: walk_ins.walk_in(db.session, current_user, **values), current_user)
        except (ValidationFailed, NotFound) as exc:
            errors = getattr(exc, "errors", None) or {"jenis_izin": exc.message}
        else:
            return redirect(url_for("staff.counter_form", user_id=person.id, code=code))
    return render_template(
        "staff/counter.html", values=values, errors=errors, permit_types=definitions.active_permit_types(db.session)
    ), (422 if errors else 200)


@bp.route("/loket/<int:user_id>/<code>", methods=["GET", "POST"])
def counter_form(user_id, code):
    """Step two: the application filled with the person, and their signed consent."""
    if not current_user.has_role(FRONT_OFFICE):
        raise PermissionDenied(Phrase("Layanan loket hanya untuk Front Office."))
    person = walk_ins.applicant(db.session, user_id)
    permit_type = definitions.permit_type_by_code(db.session, code)
    form = submission_form(definitions.published_version(db.session, permit_type))
    key = f"loket:{person.id}:{code}"
    values, errors = {}, {}
    if request.method == "POST":
        raw, uploads = posted(form, key)
        given = request.files.get("persetujuan")
        consent = Upload("persetujuan", given.filename, given.read()) if given and given.filename else None
        try:
            paper = paper_record()
            if paper is not None:
                application = manual_entry.submit_on_paper(
                    db.session, services(), current_user, person, permit_type, raw, uploads, consent, paper
                )
            else:
                application = counter_verbs.submit_for(
                    db.session, services(), current_user, person, permit_type, raw, uploads, consent
                )
            claim_url = None
            if person.email_confirmed_at is None:  # opened here, not yet taken over by its owner
                claim_url = walk_ins.claim_link(
                    db.session,
                    current_app.secret_key,
                    person,
                    lambda token: external_url("auth.claim_account", token=token),
                )
            db.session.commit()
        except (ValidationFailed, ProcessDefinitionError, PermissionDenied, NotFound) as exc:
            db.session.rollback()
            values, errors = raw, getattr(exc, "errors", None) or {"_form": exc.message}
            keep_files(form, key, uploads, errors)
        else:
            forget_files(key)
            return render_template(
                "staff/counter_done.html", application=application, person=person, claim_url=claim_url
            )
    return render_template(
        "staff/counter_form.html",
        person=person,
        permit_type=permit_type,
        form=form,
        values=with_attached(values, form, key),
        errors=errors,
        outages=manual_entry.outages(db.session),
        paper_values=paper_values(),
    ), (422 if errors else 200)


# --- the queue at the counters ----------------------------------------------------------------------


@bp.route("/antrean", methods=["GET", "POST"])
def queue_desk():
    """The officer calls the next number at their desk and marks it served or absent."""
    if not current_user.role_names & {FRONT_OFFICE, HEAD}:
        raise PermissionDenied(Phrase("Antrean dipanggil oleh petugas loket."))
    zone = services().calendar.zone
    called, desk = None, request.form.get("loket") or request.args.get("loket", "")
    if request.method == "POST":
        try:
            if request.form.get("selesai"):
                verbs.run(
                    lambda: queue.finish(
                        db.session, current_user, int(request.form["selesai"]), request.form.get("hadir") == "1"
                    ),
                    current_user,
                )
            else:
                called = verbs.run(
                    lambda: queue.call_next(db.session, current_user, request.form.get("layanan", ""), desk, zone),
                    current_user,
                )
        except (NotFound, ValidationFailed, Conflict) as exc:
            flash(say(exc.message), "info")
    return render_template(
        "staff/queue.html",
        lines=queue.board(db.session, zone),
        called=called,
        desk=desk,
        counters=queue.COUNTERS,
        label=queue.label,
        waits=queue.waiting_minutes(db.session, local_date(utcnow(), zone)),
    )
