"""Administration: users and their roles, signing certificates and the audit trail. The agency's
settings (calendar, service time, notices, directory) are ``admin_settings``, on the same blueprint."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.accounts import totp, users
from engine.casework import queries
from engine.core.errors import NotFound, PermissionDenied, SigningRefused, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.numbers import is_whole_number
from engine.core.roles import ALL_ROLES, ROLE_LABELS, SCOPED_ROLES, STAFF_ROLES
from engine.documents import certificates
from engine.workflow.definitions import active_permit_types

from . import verbs
from .access import guard
from .extensions import db, unlock_account
from .i18n import say, say_refusal
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
            users.create_user(
                db.session,
                current_user,
                password=request.form.get("password", ""),
                roles=roles,
                scope=scope if set(roles) & set(SCOPED_ROLES) else None,
                **{k: (v or None) if k in ("nik", "nip", "phone") else v for k, v in values.items()},
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            values["roles"] = roles
            values["scope"] = scope
        else:
            flash(_("Akun %(email)s dibuat.", email=values["email"]), "success")
            return redirect(url_for("admin.users"))
    accounts = users.all_users(db.session)
    return render_template(
        "admin/users.html",
        users=accounts,
        roles=ALL_ROLES,
        role_labels=ROLE_LABELS,
        values=values,
        errors=errors,
        permit_types=active_permit_types(db.session),
        scopes={
            u.id: (users.scope_of_account(u), users.describe_scope(db.session, u))
            for u in accounts
            if u.role_names & set(SCOPED_ROLES)
        },
    ), (422 if errors else 200)


def _scope_from_form() -> users.AccountScope:
    """The authority fields of the users page: every type, chosen types, units, personal documents."""

    def ids(name):
        return frozenset(int(v) for v in request.form.getlist(name) if is_whole_number(v))

    return users.AccountScope(
        all_permit_types=request.form.get("semua_jenis") == "1",
        permit_type_ids=ids("jenis"),
        units=frozenset(u.strip() for u in request.form.get("bidang", "").split(",") if u.strip()),
        personal_permit_type_ids=ids("pribadi"),
    )


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
            verbs.run(
                lambda: users.set_roles(db.session, current_user, account, request.form.getlist("roles")), current_user
            )
            flash(_("Peran %(email)s diubah; ia perlu masuk kembali.", email=account.email), "success")
        elif action == "cakupan":
            verbs.run(lambda: users.set_scope(db.session, current_user, account, _scope_from_form()), current_user)
            flash(
                _(
                    "Cakupan %(email)s: %(scope)s.",
                    email=account.email,
                    scope=users.describe_scope(db.session, account),
                ),
                "success",
            )
        elif action == "dua-langkah-hapus":
            verbs.run(lambda: totp.disable(db.session, current_user, account, False), current_user)
            flash(
                _("Verifikasi dua langkah %(email)s dimatikan; ia mendaftar ulang saat masuk.", email=account.email),
                "success",
            )
        elif action == "buka-kunci":
            unlock_account(account.email)
            verbs.run(lambda: users.record_unlock(db.session, current_user, account), current_user)
            flash(
                _("Kunci akun %(email)s dibuka; pemiliknya dapat mencoba masuk lagi.", email=account.email), "success"
            )
        elif action == "atur-ulang":
            temporary = verbs.run(lambda: users.reset_password(db.session, current_user, account), current_user)
            flash(
                _(
                    "Kata sandi sementara untuk %(email)s: %(password)s — serahkan langsung kepada pemiliknya dan minta ia segera "
                    "menggantinya. Kata sandi ini tidak ditampilkan lagi.",
                    email=account.email,
                    password=temporary,
                ),
                "success",
            )
        else:
            raise NotFound(Phrase("Tindakan tidak dikenal."))
    except ValidationFailed as exc:
        flash(say_refusal(exc), "error")
    return redirect(url_for("admin.users"))


@bp.route("/sertifikat", methods=["GET", "POST"], endpoint="certificates")
def certificates_page():
    """Every signing certificate; revoking one republishes the agency CA's CRL at once."""
    if request.method == "POST":
        action = request.form.get("aksi") or "cabut"
        try:
            if action == "cabut":
                certificate = verbs.run(
                    lambda: certificates.revoke(
                        db.session,
                        services(),
                        current_user,
                        int(request.form.get("id", 0) or 0),
                        request.form.get("alasan", ""),
                    ),
                    current_user,
                )
                flash(
                    _(
                        "Sertifikat %(subject)s dicabut; daftar pencabutan (CRL) diperbarui. Sertifikat baru untuk %(name)s "
                        "menunggu persetujuan Anda.",
                        subject=certificate.subject,
                        name=certificate.user.name,
                    ),
                    "success",
                )
            elif action in ("setujui", "buka-kunci"):
                officer = _account(int(request.form.get("user_id", 0) or 0))
                verb = certificates.approve_new_certificate if action == "setujui" else certificates.unlock_signing
                verbs.run(lambda: verb(db.session, current_user, officer), current_user)
                flash(
                    _("%(name)s dapat mengaktifkan sertifikat baru.", name=officer.name)
                    if action == "setujui"
                    else _("Penandatanganan %(name)s dibuka kembali.", name=officer.name),
                    "success",
                )
            else:
                raise NotFound(Phrase("Tindakan tidak dikenal."))
        except (SigningRefused, NotFound, PermissionDenied) as exc:
            flash(say(exc.message), "error")
        return redirect(url_for("admin.certificates"))
    officers = [u for u in users.all_users(db.session) if u.role_names & set(STAFF_ROLES)]
    return render_template(
        "admin/certificates.html",
        certificates=certificates.certificates_of(db.session),
        held=[u for u in officers if u.certificate_hold_at is not None],
        locked=[u for u in officers if certificates.signing_locked(db.session, u)],
    )


# --- service time: the working calendar and each permit type's policy ------------------------------


def _audit_filter():
    from datetime import datetime, timedelta

    from engine.casework.queries import AuditFilter
    from engine.core.localtime import zone_info

    zone = zone_info(services().calendar.zone)

    def day(name, plus=0):
        text = request.args.get(name, "").strip()
        try:
            return (
                datetime.combine(date.fromisoformat(text) + timedelta(days=plus), datetime.min.time(), zone)
                if text
                else None
            )
        except ValueError:
            return None

    return AuditFilter(
        actor_email=request.args.get("pelaku", ""),
        reg_number=request.args.get("nomor", ""),
        action=request.args.get("aksi", ""),
        start=day("dari"),
        end=day("sampai", 1),
    )


@bp.get("/audit", endpoint="audit")
def audit_page():
    """The audit trail for the auditor: filters, the chain's state, CSV export."""
    from engine.core import audit

    rows = queries.search_audit(db.session, _audit_filter(), limit=300)
    report = audit.verify(db.session) if request.args.get("periksa") else None
    return render_template(
        "admin/audit.html", rows=rows, actions=queries.audit_actions(db.session), args=request.args, report=report
    )


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
        out.writerow(
            [
                row.id,
                local(row.at, zone).isoformat(),
                row.actor.email if row.actor else "sistem",
                row.action,
                row.application_id or "",
                row.task_title or "",
                json.dumps(row.summary, ensure_ascii=False),
                row.seq or "",
                row.row_hash or "",
            ]
        )
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=jejak-audit.csv"},
    )
