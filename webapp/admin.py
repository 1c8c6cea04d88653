"""Administration: users and their roles, signing certificates."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engine import certificates, users
from engine.errors import NotFound, PermissionDenied, SigningRefused, ValidationFailed
from engine.roles import ALL_ROLES, ROLE_LABELS

from . import verbs
from .access import guard
from .extensions import db
from .services import services

bp = guard(Blueprint("admin", __name__, url_prefix="/admin"), "manage_users")


@bp.route("/pengguna", methods=["GET", "POST"], endpoint="users")
def users_page():
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: request.form.get(k, "").strip() for k in ("name", "email", "nik", "nip", "phone")}
        roles = request.form.getlist("roles")
        try:
            users.create_user(db.session, current_user, password=request.form.get("password", ""), roles=roles,
                              **{k: (v or None) if k in ("nik", "nip", "phone") else v for k, v in values.items()})
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            values["roles"] = roles
        else:
            flash(f"Akun {values['email']} dibuat.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users.html", users=users.all_users(db.session), roles=ALL_ROLES,
                           role_labels=ROLE_LABELS, values=values, errors=errors), (422 if errors else 200)



@bp.route("/sertifikat", methods=["GET", "POST"], endpoint="certificates")
def certificates_page():
    """Every signing certificate; revoking one republishes the agency CA's CRL at once."""
    if request.method == "POST":
        try:
            certificate = verbs.run(lambda: certificates.revoke(
                db.session, services(), current_user, int(request.form.get("id", 0)),
                request.form.get("alasan", "")), current_user)
        except (SigningRefused, NotFound, PermissionDenied) as exc:
            flash(exc.message, "error")
        else:
            flash(f"Sertifikat {certificate.subject} dicabut; daftar pencabutan (CRL) diperbarui.", "success")
        return redirect(url_for("admin.certificates"))
    return render_template("admin/certificates.html", certificates=certificates.certificates_of(db.session))
