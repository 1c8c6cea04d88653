"""Administration of the agency's settings: the working calendar, service-time (SLA) policies, the
wording of notices, and the public directory and regulations. Its routes join the admin blueprint."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engine.core.clock import utcnow
from engine.core.errors import NotFound, ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import Phrase, format_date
from engine.notifications import templates, wordings
from engine.public_data import directory
from engine.service_time import sla_policy
from engine.workflow.definitions import active_permit_types, permit_type_by_code

from . import verbs
from .admin import bp
from .extensions import db
from .i18n import say
from .services import services


@bp.route("/kalender", methods=["GET", "POST"], endpoint="calendar")
def calendar_page():
    """National holidays and cuti bersama (read-only) with the agency's own days off and extra workdays."""
    year = request.args.get("tahun", type=int) or utcnow().year
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: request.form.get(k, "").strip() for k in ("tanggal", "jenis", "keterangan")}
        try:
            day = date.fromisoformat(values["tanggal"]) if values["tanggal"] else None
        except ValueError:
            day = None
        try:
            if request.form.get("hapus"):
                verbs.run(
                    lambda: sla_policy.remove_calendar_day(db.session, services().calendar, current_user, day),
                    current_user,
                )
                flash(
                    _("%(date)s dihapus dari kalender dinas.", date=format_date(day, locale=str(get_locale()))),
                    "success",
                )
            else:
                verbs.run(
                    lambda: sla_policy.set_calendar_day(
                        db.session, services().calendar, current_user, day, values["jenis"], values["keterangan"]
                    ),
                    current_user,
                )
                flash(
                    _(
                        "%(date)s disimpan; batas waktu permohonan berjalan dihitung ulang.",
                        date=format_date(day, locale=str(get_locale())),
                    ),
                    "success",
                )
        except ValidationFailed as exc:
            errors = exc.errors
        except NotFound as exc:
            flash(say(exc.message), "error")
        else:
            return redirect(url_for("admin.calendar", tahun=day.year))
    return render_template(
        "admin/calendar.html",
        year=year,
        entries=sla_policy.calendar_year(db.session, year),
        kinds=sla_policy.DAY_KINDS,
        values=values,
        errors=errors,
    ), (422 if errors else 200)


@bp.get("/waktu-layanan", endpoint="sla_policies")
def sla_policies_page():
    return render_template(
        "admin/sla_policies.html", permit_types=active_permit_types(db.session), policies=sla_policy.POLICIES
    )


@bp.route("/waktu-layanan/<code>", methods=["GET", "POST"], endpoint="sla_policy")
def sla_policy_page(code):
    permit_type = permit_type_by_code(db.session, code)
    stages = sla_policy.staff_stages(db.session, permit_type)
    errors = {}
    if request.method == "POST":
        form = request.form
        stage_days = {stage: form.get(f"tahap_{i}", "") for i, stage in enumerate(stages)}
        try:
            verbs.run(
                lambda: sla_policy.update_policy(
                    db.session,
                    current_user,
                    permit_type,
                    working_days=form.get("hari_kerja"),
                    warning_percent=form.get("peringatan"),
                    deadline_policy=form.get("kebijakan", ""),
                    stage_days=stage_days,
                ),
                current_user,
            )
        except ValidationFailed as exc:
            errors = exc.errors
            values = dict(form)
        else:
            flash(_("Kebijakan waktu layanan %(name)s disimpan.", name=permit_type.name), "success")
            return redirect(url_for("admin.sla_policies"))
    if not errors:
        targets = permit_type.sla_stages or {}
        values = {
            "hari_kerja": permit_type.sla_working_days,
            "peringatan": round(permit_type.sla_warning_ratio * 100),
            "kebijakan": permit_type.deadline_policy,
            **{f"tahap_{i}": targets.get(stage, "") for i, stage in enumerate(stages)},
        }
    return render_template(
        "admin/sla_policy.html",
        permit_type=permit_type,
        stages=stages,
        values=values,
        errors=errors,
        policies=sla_policy.POLICIES,
    ), (422 if errors else 200)


@bp.get("/pemberitahuan", endpoint="notice_templates")
def notice_templates_page():
    return render_template(
        "admin/notice_templates.html",
        events=wordings.EVENTS,
        languages=wordings.LANGUAGES,
        edited=templates.edited(db.session),
    )


@bp.route("/pemberitahuan/<event>/<language>", methods=["GET", "POST"], endpoint="notice_template")
def notice_template_page(event, language):
    if event not in wordings.EVENTS or language not in wordings.LANGUAGES:
        raise NotFound(Phrase("Jenis pemberitahuan tidak dikenal."))
    current = templates.wording(db.session, event, language)
    values = {"subjek": current.subject, "isi": current.body, "singkat": current.short}
    errors, status = {}, 200
    if request.method == "POST" and request.form.get("kembalikan"):
        verbs.run(lambda: templates.reset_template(db.session, current_user, event, language), current_user)
        flash(_("Templat dikembalikan ke teks bawaan."), "success")
        return redirect(url_for("admin.notice_template", event=event, language=language))
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("subjek", "isi", "singkat")}
        try:
            verbs.run(
                lambda: templates.save_template(
                    db.session, current_user, event, language, values["subjek"], values["isi"], values["singkat"]
                ),
                current_user,
            )
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        else:
            flash(_("Templat pemberitahuan disimpan."), "success")
            return redirect(url_for("admin.notice_template", event=event, language=language))
    preview = None
    if not errors:
        preview = templates.render(db.session, event, language, templates.sample_facts(event))
    return render_template(
        "admin/notice_template.html",
        event=event,
        language=language,
        title=wordings.EVENTS[event].title,
        values=values,
        errors=errors,
        preview=preview,
        facts=templates.sample_facts(event),
    ), status


@bp.route("/direktori", methods=["GET", "POST"], endpoint="directory")
def directory_admin():
    current = directory.directory(db.session)
    values = {**current["profil"], **{k: "\n".join(f"{a} | {b}" for a, b in current[k]) for k in directory.LISTS}}
    errors, status = {}, 200
    if request.method == "POST":
        values = dict(request.form)
        try:
            verbs.run(lambda: directory.save_directory(db.session, current_user, request.form), current_user)
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        else:
            flash(_("Direktori disimpan dan tampil di halaman publik."), "success")
            return redirect(url_for("admin.directory"))
    return render_template(
        "admin/directory.html", values=values, errors=errors, fields=directory.PROFILE_FIELDS, lists=directory.LISTS
    ), status


@bp.route("/peraturan", methods=["GET", "POST"], endpoint="regulations")
def regulations_admin():
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("jenis", "nomor", "tahun", "judul")}
        given = request.files.get("berkas")
        upload = Upload("berkas", given.filename, given.read()) if given and given.filename else None
        try:
            verbs.run(
                lambda: directory.add_regulation(
                    db.session,
                    services().files,
                    current_user,
                    kind=values["jenis"],
                    number=values["nomor"],
                    year=values["tahun"],
                    title=values["judul"],
                    permit_type_codes=request.form.getlist("jenis_izin"),
                    upload=upload,
                ),
                current_user,
            )
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        else:
            flash(_("Peraturan ditambahkan."), "success")
            return redirect(url_for("admin.regulations"))
    return render_template(
        "admin/regulations.html",
        rows=directory.regulations(db.session),
        values=values,
        errors=errors,
        kinds=directory.REGULATION_KINDS,
        permit_types=active_permit_types(db.session),
    ), status


@bp.post("/peraturan/<int:regulation_id>/hapus", endpoint="remove_regulation")
def remove_regulation(regulation_id):
    verbs.run(lambda: directory.remove_regulation(db.session, current_user, regulation_id), current_user)
    flash(_("Peraturan dihapus dari daftar."), "success")
    return redirect(url_for("admin.regulations"))
