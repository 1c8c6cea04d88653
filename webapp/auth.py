"""Login, logout and applicant self-registration."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from urllib.parse import urlsplit

from engine import users
from engine.errors import ValidationFailed
from engine.roles import ADMIN, APPLICANT

from .extensions import account_lockout, attempted_account, db, failed, limiter, login_manager
from .services import services

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def _load_user(session_id: str):
    return users.user_for_session(db.session, session_id)


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
@account_lockout
@limiter.limit("50 per 15 minutes", methods=["POST"], deduct_when=failed)
def login():
    if request.method == "POST":
        email = request.form.get("email", "")
        user = users.authenticate(db.session, email, request.form.get("password", ""))
        users.record_login(db.session, user, email, request.remote_addr, channel="web")
        db.session.commit()
        if user is None:
            flash("Email atau kata sandi salah.", "error")
            return render_template("auth/login.html", email=email), 401
        login_user(user)
        return redirect(_safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", email=request.args.get("email", "")[:255])


@bp.post("/keluar")
@login_required
def logout():
    from flask_login import current_user

    users.end_sessions(db.session, current_user)
    db.session.commit()
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("public.index"))


@bp.route("/daftar", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
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



@bp.route("/lupa-kata-sandi", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", key_func=attempted_account, methods=["POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"])
def forgot_password():
    """Ask for a reset link. The page answers the same whether the email has an account or not."""
    if request.method == "POST":
        users.send_password_reset(db.session, services().mail, current_app.secret_key, request.form.get("email", ""),
                                  lambda token: _external("auth.reset_password", token=token))
        db.session.commit()
        return render_template("auth/forgot.html", sent=True)
    return render_template("auth/forgot.html", sent=False)


@bp.route("/pulihkan/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=failed)
def reset_password(token):
    errors, email = {}, ""
    try:
        email = users.reset_by_link(db.session, current_app.secret_key, token).user.email
        if request.method == "POST":
            user = users.complete_password_reset(db.session, current_app.secret_key, token,
                                                 request.form.get("new", ""), request.form.get("confirm", ""))
            db.session.commit()
            flash("Kata sandi baru tersimpan. Silakan masuk.", "success")
            return redirect(url_for("auth.login", email=user.email))
    except ValidationFailed as exc:
        db.session.rollback()
        errors = exc.errors
    status = 410 if "tautan" in errors else 422 if errors else 200
    return render_template("auth/reset.html", errors=errors, account_email=email), status


def _external(endpoint: str, **values) -> str:
    """An absolute link for an email, on the address the public knows (``PUBLIC_BASE_URL``)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=failed)
def change_password():
    from flask_login import current_user

    errors = {}
    if request.method == "POST":
        user = current_user._get_current_object()
        try:
            users.change_password(db.session, user, request.form.get("current", ""), request.form.get("new", ""),
                                  request.form.get("confirm", ""))
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            login_user(user)  # this browser goes on with the new session; every other one has ended
            flash("Kata sandi diganti. Sesi lain dan token API akun ini telah diakhiri.", "success")
            return redirect(home_for(user))
    return render_template("auth/password.html", errors=errors), (422 if errors else 200)


@bp.route("/akun/token", methods=["GET", "POST"])
@login_required
def tokens():
    """The account's API tokens: when each was made and ends, and revoking one."""
    from flask_login import current_user

    from engine.errors import NotFound

    user = current_user._get_current_object()
    if request.method == "POST":
        try:
            users.revoke_token(db.session, user, int(request.form.get("token", "0") or 0))
            db.session.commit()
            flash("Token dicabut; aplikasi yang memakainya tidak dapat masuk lagi.", "success")
        except (NotFound, ValueError):
            db.session.rollback()
            flash("Token tidak ditemukan.", "error")
        return redirect(url_for("auth.tokens"))
    return render_template("auth/tokens.html", tokens=users.tokens_of(db.session, user),
                           expires=users.token_expires)
