"""Administration: users and their roles, signing certificates, the working calendar, SLA policies and
the wording of notices."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engine.accounts import totp, users
from engine.casework import queries
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, SigningRefused, ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import Phrase, format_date
from engine.core.roles import ALL_ROLES, ROLE_LABELS, SCOPED_ROLES, STAFF_ROLES
from engine.documents import certificates
from engine.notifications import templates, wordings
from engine.public_data import directory
from engine.service_time import sla_policy
from engine.workflow.definitions import active_permit_types, permit_type_by_code

from . import verbs
from .access import guard
from .extensions import db, unlock_account
from .i18n import say
from .services import services

bp = guard(Blueprint("admin", __name__, url_prefix="/admin"), "manage_users")


@bp.route("/pengguna", methods=["GET", "POST"], endpoint="users")
def users_page():
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: request.form.get(k, "").strip() for k in ("name", "email", "nik", "nip", "phone")}
        roles = request.form.getlist("roles")
        scope = _scope_from_form()
        try:
            users.create_user(db.session, current_user, password=request.form.get("password", ""), roles=roles,
                              scope=scope if set(roles) & set(SCOPED_ROLES) else None,
                              **{k: (v or None) if k in ("nik", "nip", "phone") else v for k, v in values.items()})
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            values["roles"] = roles
            values["scope"] = scope
        else:
            flash(_("Akun %(email)s dibuat.", email=values['email']), "success")
            return redirect(url_for("admin.users"))
    accounts = users.all_users(db.session)
    return render_template("admin/users.html", users=accounts, roles=ALL_ROLES, role_labels=ROLE_LABELS,
                           values=values, errors=errors, permit_types=active_permit_types(db.session),
                           scopes={u.id: (users.scope_of_account(u), users.describe_scope(db.session, u))
                                   for u in accounts if u.role_names & set(SCOPED_ROLES)}), (422 if errors else 200)


def _scope_from_form() -> users.AccountScope:
    """The authority fields of the users page: every type, chosen types, units, personal documents."""
    def ids(name):
        return frozenset(int(v) for v in request.form.getlist(name) if v.isdigit())

    return users.AccountScope(all_permit_types=request.form.get("semua_jenis") == "1", permit_type_ids=ids("jenis"),
                              units=frozenset(u.strip() for u in request.form.get("bidang", "").split(",")
                                              if u.strip()),
                              personal_permit_type_ids=ids("pribadi"))



def _account(user_id: int):
    from engine.accounts.models import User

    account = db.session.get(User, user_id)
    if account is None:
        raise NotFound(Phrase("Akun tidak ditemukan."))
    return account


@bp.post("/pengguna/<int:user_id>/<action>", endpoint="account")
def account_action(user_id, action):
    """Deactivate or activate an account, change its roles, or give it a new one-time password."""
    account = _account(user_id)
    try:
        if action == "nonaktif":
            verbs.run(lambda: users.set_account_active(db.session, current_user, account, False), current_user)
            flash(_("Akun %(email)s dinonaktifkan; sesi dan tokennya berakhir.", email=account.email), "success")
        elif action == "aktif":
            verbs.run(lambda: users.set_account_active(db.session, current_user, account, True), current_user)
            flash(_("Akun %(email)s diaktifkan kembali.", email=account.email), "success")
        elif action == "peran":
            verbs.run(lambda: users.set_roles(db.session, current_user, account, request.form.getlist("roles")),
                      current_user)
            flash(_("Peran %(email)s diubah; ia perlu masuk kembali.", email=account.email), "success")
        elif action == "cakupan":
            verbs.run(lambda: users.set_scope(db.session, current_user, account, _scope_from_form()), current_user)
            flash(_("Cakupan %(email)s: %(scope)s.", email=account.email, scope=users.describe_scope(db.session, account)), "success")
        elif action == "dua-langkah-hapus":
            verbs.run(lambda: totp.disable(db.session, current_user, account, False), current_user)
            flash(_("Verifikasi dua langkah %(email)s dimatikan; ia mendaftar ulang saat masuk.", email=account.email), "success")
        elif action == "buka-kunci":
            unlock_account(account.email)
            verbs.run(lambda: users.record_unlock(db.session, current_user, account), current_user)
            flash(_("Kunci akun %(email)s dibuka; pemiliknya dapat mencoba masuk lagi.", email=account.email), "success")
        elif action == "atur-ulang":
            temporary = verbs.run(lambda: users.reset_password(db.session, current_user, account), current_user)
            flash(_("Kata sandi sementara untuk %(email)s: %(password)s — serahkan langsung kepada pemiliknya dan minta ia segera "
                    "menggantinya. Kata sandi ini tidak ditampilkan lagi.", email=account.email, password=temporary), "success")
        else:
            raise NotFound(Phrase("Tindakan tidak dikenal."))
    except ValidationFailed as exc:
        flash(f"{exc.message} {' '.join(exc.errors.values())}", "error")
    return redirect(url_for("admin.users"))


@bp.route("/sertifikat", methods=["GET", "POST"], endpoint="certificates")
def certificates_page():
    """Every signing certificate; revoking one republishes the agency CA's CRL at once."""
    if request.method == "POST":
        action = request.form.get("aksi") or "cabut"
        try:
            if action == "cabut":
                certificate = verbs.run(lambda: certificates.revoke(
                    db.session, services(), current_user, int(request.form.get("id", 0) or 0),
                    request.form.get("alasan", "")), current_user)
                flash(_("Sertifikat %(subject)s dicabut; daftar pencabutan (CRL) diperbarui. Sertifikat baru untuk %(name)s "
                        "menunggu persetujuan Anda.", subject=certificate.subject, name=certificate.user.name), "success")
            elif action in ("setujui", "buka-kunci"):
                officer = _account(int(request.form.get("user_id", 0) or 0))
                verb = certificates.approve_new_certificate if action == "setujui" else certificates.unlock_signing
                verbs.run(lambda: verb(db.session, current_user, officer), current_user)
                flash(_("%(name)s dapat mengaktifkan sertifikat baru.", name=officer.name) if action == "setujui" else
                      _("Penandatanganan %(name)s dibuka kembali.", name=officer.name), "success")
            else:
                raise NotFound(Phrase("Tindakan tidak dikenal."))
        except (SigningRefused, NotFound, PermissionDenied) as exc:
            flash(say(exc.message), "error")
        return redirect(url_for("admin.certificates"))
    officers = [u for u in users.all_users(db.session) if u.role_names & set(STAFF_ROLES)]
    return render_template("admin/certificates.html", certificates=certificates.certificates_of(db.session),
                           held=[u for u in officers if u.certificate_hold_at is not None],
                           locked=[u for u in officers if certificates.signing_locked(db.session, u)])


# --- service time: the working calendar and each permit type's policy ------------------------------

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
                verbs.run(lambda: sla_policy.remove_calendar_day(db.session, services().calendar, current_user, day),
                          current_user)
                flash(_("%(date)s dihapus dari kalender dinas.", date=format_date(day, locale=str(get_locale()))), "success")
            else:
                verbs.run(lambda: sla_policy.set_calendar_day(db.session, services().calendar, current_user, day,
                                                              values["jenis"], values["keterangan"]), current_user)
                flash(_("%(date)s disimpan; batas waktu permohonan berjalan dihitung ulang.", date=format_date(day, locale=str(get_locale()))), "success")
        except ValidationFailed as exc:
            errors = exc.errors
        except NotFound as exc:
            flash(say(exc.message), "error")
        else:
            return redirect(url_for("admin.calendar", tahun=day.year))
    return render_template("admin/calendar.html", year=year, entries=sla_policy.calendar_year(db.session, year),
                           kinds=sla_policy.DAY_KINDS, values=values, errors=errors), (422 if errors else 200)


@bp.get("/waktu-layanan", endpoint="sla_policies")
def sla_policies_page():
    return render_template("admin/sla_policies.html", permit_types=active_permit_types(db.session),
                           policies=sla_policy.POLICIES)


@bp.route("/waktu-layanan/<code>", methods=["GET", "POST"], endpoint="sla_policy")
def sla_policy_page(code):
    permit_type = permit_type_by_code(db.session, code)
    stages = sla_policy.staff_stages(db.session, permit_type)
    errors = {}
    if request.method == "POST":
        form = request.form
        stage_days = {stage: form.get(f"tahap_{i}", "") for i, stage in enumerate(stages)}
        try:
            verbs.run(lambda: sla_policy.update_policy(
                db.session, current_user, permit_type, working_days=form.get("hari_kerja"),
                warning_percent=form.get("peringatan"), deadline_policy=form.get("kebijakan", ""),
                stage_days=stage_days), current_user)
        except ValidationFailed as exc:
            errors = exc.errors
            values = dict(form)
        else:
            flash(_("Kebijakan waktu layanan %(name)s disimpan.", name=permit_type.name), "success")
            return redirect(url_for("admin.sla_policies"))
    if not errors:
        targets = permit_type.sla_stages or {}
        values = {"hari_kerja": permit_type.sla_working_days, "peringatan": round(permit_type.sla_warning_ratio * 100),
                  "kebijakan": permit_type.deadline_policy,
                  **{f"tahap_{i}": targets.get(stage, "") for i, stage in enumerate(stages)}}
    return render_template("admin/sla_policy.html", permit_type=permit_type, stages=stages, values=values,
                           errors=errors, policies=sla_policy.POLICIES), (422 if errors else 200)


def _audit_filter():
    from datetime import datetime, timedelta

    from engine.casework.queries import AuditFilter
    from engine.core.localtime import zone_info

    zone = zone_info(services().calendar.zone)

    def day(name, plus=0):
        text = request.args.get(name, "").strip()
        try:
            return datetime.combine(date.fromisoformat(text) + timedelta(days=plus), datetime.min.time(), zone) \
                if text else None
        except ValueError:
            return None

    return AuditFilter(actor_email=request.args.get("pelaku", ""), reg_number=request.args.get("nomor", ""),
                       action=request.args.get("aksi", ""), start=day("dari"), end=day("sampai", 1))


@bp.get("/audit", endpoint="audit")
def audit_page():
    """The audit trail for the auditor: filters, the chain's state, CSV export."""
    from engine.core import audit

    rows = queries.search_audit(db.session, _audit_filter(), limit=300)
    report = audit.verify(db.session) if request.args.get("periksa") else None
    return render_template("admin/audit.html", rows=rows, actions=queries.audit_actions(db.session), args=request.args,
                           report=report)


@bp.get("/audit.csv", endpoint="audit_csv")
def audit_csv():
    import csv
    import io
    import json

    from flask import Response

    from engine.core.localtime import local

    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["id", "waktu", "pelaku", "aksi", "permohonan", "tugas", "ringkasan", "urutan_rantai", "hash"])
    zone = services().calendar.zone
    for row in queries.search_audit(db.session, _audit_filter(), limit=50_000):
        out.writerow([row.id, local(row.at, zone).isoformat(), row.actor.email if row.actor else "sistem", row.action,
                      row.application_id or "", row.task_title or "", json.dumps(row.summary, ensure_ascii=False),
                      row.seq or "", row.row_hash or ""])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=jejak-audit.csv"})


@bp.get("/pemberitahuan", endpoint="notice_templates")
def notice_templates_page():
    return render_template("admin/notice_templates.html", events=wordings.EVENTS, languages=wordings.LANGUAGES,
                           edited=templates.edited(db.session))


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
            verbs.run(lambda: templates.save_template(db.session, current_user, event, language, values["subjek"],
                                                      values["isi"], values["singkat"]), current_user)
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        else:
            flash(_("Templat pemberitahuan disimpan."), "success")
            return redirect(url_for("admin.notice_template", event=event, language=language))
    preview = None
    if not errors:
        preview = templates.render(db.session, event, language, templates.sample_facts(event))
    return render_template("admin/notice_template.html", event=event, language=language,
                           title=wordings.EVENTS[event].title, values=values, errors=errors, preview=preview,
                           facts=templates.sample_facts(event)), status


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
    return render_template("admin/directory.html", values=values, errors=errors, fields=directory.PROFILE_FIELDS,
                           lists=directory.LISTS), status


@bp.route("/peraturan", methods=["GET", "POST"], endpoint="regulations")
def regulations_admin():
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("jenis", "nomor", "tahun", "judul")}
        given = request.files.get("berkas")
        upload = Upload("berkas", given.filename, given.read()) if given and given.filename else None
        try:
            verbs.run(lambda: directory.add_regulation(
                db.session, services().files, current_user, kind=values["jenis"], number=values["nomor"],
                year=values["tahun"], title=values["judul"], permit_type_codes=request.form.getlist("jenis_izin"),
                upload=upload), current_user)
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        else:
            flash(_("Peraturan ditambahkan."), "success")
            return redirect(url_for("admin.regulations"))
    return render_template("admin/regulations.html", rows=directory.regulations(db.session), values=values,
                           errors=errors, kinds=directory.REGULATION_KINDS,
                           permit_types=active_permit_types(db.session)), status


@bp.post("/peraturan/<int:regulation_id>/hapus", endpoint="remove_regulation")
def remove_regulation(regulation_id):
    verbs.run(lambda: directory.remove_regulation(db.session, current_user, regulation_id), current_user)
    flash(_("Peraturan dihapus dari daftar."), "success")
    return redirect(url_for("admin.regulations"))
