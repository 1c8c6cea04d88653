"""Login, logout and applicant self-registration."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from urllib.parse import urlsplit

from engine import users
from engine.errors import ValidationFailed
from engine.roles import ADMIN, APPLICANT

from .extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def _load_user(user_id: str):
    from engine.models import User

    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def home_for(user) -> str:
    if user.has_role(APPLICANT):
        return url_for("applicant.home")
    if user.has_role(ADMIN) and len(user.role_names) == 1:
        return url_for("admin.users")
    return url_for("staff.inbox")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = users.authenticate(db.session, request.form.get("email", ""), request.form.get("password", ""))
        if user is None:
            flash("Email atau kata sandi salah.", "error")
            return render_template("auth/login.html", email=request.form.get("email", "")), 401
        login_user(user)
        return redirect(_safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", email="")


@bp.post("/keluar")
@login_required
def logout():
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("public.index"))


@bp.route("/daftar", methods=["GET", "POST"])
def register():
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("name", "nik", "email", "phone")}
        try:
            user = users.register_applicant(db.session, password=request.form.get("password", ""), **values)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            login_user(user)
            flash("Pendaftaran berhasil. Selamat datang!", "success")
            return redirect(url_for("applicant.home"))
    status = 422 if errors else 200
    return render_template("auth/register.html", values=values, errors=errors), status

