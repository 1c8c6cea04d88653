"""Login, logout and applicant self-registration."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from engine.accounts import api_tokens, password_reset, registration, totp, users, walk_ins
from engine.core.clock import utcnow
from engine.core.errors import ValidationFailed
from engine.core.roles import ADMIN, may

from .config import flag
from .extensions import account_lockout, attempted_account, db, failed, limiter, login_manager
from .services import services

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def _load_user(session_id: str):
    return users.user_for_session(db.session, session_id)


# Where each audience starts, in the order an account with several roles prefers them.
_HOMES = (
    ("apply", "applicant.home"),
    ("work_tasks", "staff.inbox"),
    ("view_reports", "supervisor.overview"),
    ("read_granted", "related.applications"),
    ("manage_processes", "processes.index"),
    ("manage_users", "admin.users"),
)


def home_for(user) -> str:
    """The first page the account may open: its own area, never a refusal."""
    roles = user.role_names
    if roles == {ADMIN}:
        return url_for("admin.users")
    endpoint = next((endpoint for permission, endpoint in _HOMES if may(roles, permission)), "public.index")
    return url_for(endpoint)


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
        target = _safe_next(request.args.get("next"))
        if user is not None and totp.enabled(user):
            db.session.commit()  # an upgraded password hash; the login itself is recorded after the code
            session[_SECOND_STEP] = {
                "id": user.id,
                "v": user.session_version,
                "next": target,
                "until": (utcnow() + SECOND_STEP_TIME).timestamp(),
            }
            return redirect(url_for("auth.second_step"))
        users.record_login(db.session, user, email, request.remote_addr, channel="web")
        db.session.commit()
        if user is None:
            flash(
                _(
                    "Email atau kata sandi salah. Baru mendaftar? Aktifkan dahulu akun Anda lewat tautan yang kami "
                    "kirim ke email."
                ),
                "error",
            )
            return render_template("auth/login.html", email=email), 401
        login_user(user)
        return redirect(target or home_for(user))
    return render_template("auth/login.html", email=request.args.get("email", "")[:255])


# The password was right; the code from the authenticator app is awaited for five minutes.
_SECOND_STEP = "langkah_kedua"
SECOND_STEP_TIME = timedelta(minutes=5)


def _pending_user():
    pending = session.get(_SECOND_STEP) or {}
    if not pending or pending.get("until", 0) < utcnow().timestamp():
        return None, pending
    user = users.user_for_session(db.session, f"{pending.get('id')}.{pending.get('v')}")
    return user, pending


def _pending_key() -> str:
    return f"kode|{(session.get(_SECOND_STEP) or {}).get('id')}"


@bp.route("/masuk/kode", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", key_func=_pending_key, methods=["POST"], deduct_when=failed)
def second_step():
    user, pending = _pending_user()
    if user is None:
        session.pop(_SECOND_STEP, None)
        flash(_("Sesi masuk berakhir. Masukkan email dan kata sandi lagi."), "info")
        return redirect(url_for("auth.login"))
    errors = {}
    if request.method == "POST":
        try:
            totp.check(db.session, user, request.form.get("kode", ""))
        except ValidationFailed as exc:
            db.session.commit()  # the refused code is audited
            errors = exc.errors
        else:
            users.record_login(db.session, user, user.email, request.remote_addr, channel="web")
            db.session.commit()
            session.pop(_SECOND_STEP, None)
            login_user(user)
            return redirect(pending.get("next") or home_for(user))
    return render_template("auth/second_step.html", errors=errors), (401 if errors else 200)


# Pages an account the agency obliges to use a second factor may open before enrolling.
_BEFORE_ENROLMENT = {"auth.second_factor", "auth.logout", "static", "assets.asset", "public.index"}


@bp.before_app_request
def _require_second_factor():
    if request.blueprint == "api" or request.endpoint in _BEFORE_ENROLMENT:
        return None
    if (
        current_user.is_authenticated
        and not totp.enabled(current_user)
        and totp.required(current_user, flag(current_app.config.get("REQUIRE_TOTP")))
    ):
        flash(_("Dinas mewajibkan verifikasi dua langkah untuk peran Anda. Aktifkan dahulu untuk melanjutkan."), "info")
        return redirect(url_for("auth.second_factor"))
    return None


@bp.route("/akun/dua-langkah", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=failed)
def second_factor():
    """Turn the authenticator-app second factor on (scan, confirm a code) or off."""
    user = current_user._get_current_object()
    agency_requires = flag(current_app.config.get("REQUIRE_TOTP"))
    errors, status = {}, 200
    if request.method == "POST":
        action = request.form.get("aksi")
        try:
            if action == "mulai":
                totp.begin(db.session, user)
            elif action == "konfirmasi":
                totp.confirm(db.session, user, request.form.get("kode", ""))
                flash(
                    _("Verifikasi dua langkah aktif. Setiap kali masuk, Anda akan diminta kode dari aplikasi."),
                    "success",
                )
            elif action == "matikan":
                totp.disable(db.session, user, user, agency_requires, request.form.get("kode", ""))
            db.session.commit()
        except ValidationFailed as exc:
            db.session.commit()  # keeps the audit of a refused code
            errors, status = exc.errors, 422
        else:
            if action == "matikan":
                flash(_("Verifikasi dua langkah dimatikan; masuk kembali dengan kata sandi."), "success")
                return redirect(url_for("auth.login"))
            return redirect(url_for("auth.second_factor"))
    pending_uri = totp.provisioning_uri(user) if user.totp_secret and not totp.enabled(user) else None
    return render_template(
        "auth/second_factor.html",
        enabled=totp.enabled(user),
        errors=errors,
        required=totp.required(user, agency_requires),
        secret=user.totp_secret,
        qr=_qr_data_uri(pending_uri) if pending_uri else None,
    ), status


def _qr_data_uri(text: str) -> str:
    import base64
    import io

    import qrcode

    buffer = io.BytesIO()
    qrcode.make(text, box_size=6, border=2).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.post("/keluar")
@login_required
def logout():
    users.end_sessions(db.session, current_user)
    db.session.commit()
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("public.index"))


@bp.route("/daftar", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("name", "nik", "birth_place", "birth_date", "email", "phone")}
        # Where the visitor was going (an "Ajukan" link): the activation link brings them there.
        target = _safe_next(request.args.get("next"))
        try:
            registration.register_applicant(
                db.session,
                current_app.secret_key,
                lambda token: external_url("auth.activate", token=token, **({"next": target} if target else {})),
                password=request.form.get("password", ""),
                **values,
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            # The same page whether the email or NIK was new or taken: the mailbox tells the rest.
            return render_template("auth/register_sent.html", email=values["email"].strip())
    status = 422 if errors else 200
    return render_template("auth/register.html", values=values, errors=errors), status


@bp.get("/daftar/aktifkan/<token>")
def activate(token):
    try:
        user = registration.confirm_email(db.session, current_app.secret_key, token, connectors=services().connectors)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        return render_template("error.html", code=410, message=exc.message), 410
    login_user(user)
    flash(_("Akun Anda aktif. Selamat datang!"), "success")
    return redirect(_safe_next(request.args.get("next")) or url_for("applicant.home"))


@bp.route("/lupa-kata-sandi", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", key_func=attempted_account, methods=["POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"])
def forgot_password():
    """Ask for a reset link. The page answers the same whether the email has an account or not."""
    if request.method == "POST":
        password_reset.send_password_reset(
            db.session,
            current_app.secret_key,
            request.form.get("email", ""),
            lambda token: external_url("auth.reset_password", token=token),
        )
        db.session.commit()
        return render_template("auth/forgot.html", sent=True)
    return render_template("auth/forgot.html", sent=False)


@bp.route("/pulihkan/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=failed)
def reset_password(token):
    errors, email = {}, ""
    try:
        email = password_reset.reset_by_link(db.session, current_app.secret_key, token).user.email
        if request.method == "POST":
            user = password_reset.complete_password_reset(
                db.session, current_app.secret_key, token, request.form.get("new", ""), request.form.get("confirm", "")
            )
            db.session.commit()
            flash(_("Kata sandi baru tersimpan. Silakan masuk."), "success")
            return redirect(url_for("auth.login", email=user.email))
    except ValidationFailed as exc:
        db.session.rollback()
        errors = exc.errors
    status = 410 if "tautan" in errors else 422 if errors else 200
    return render_template("auth/reset.html", errors=errors, account_email=email), status


@bp.route("/klaim/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=failed)
def claim_account(token):
    """The person served at the counter takes over the account opened for them."""
    errors, account = {}, None
    try:
        account = password_reset.reset_by_link(db.session, current_app.secret_key, token).user
        if request.method == "POST":
            user = walk_ins.claim(
                db.session,
                current_app.secret_key,
                token,
                request.form.get("email", ""),
                request.form.get("new", ""),
                request.form.get("confirm", ""),
            )
            db.session.commit()
            flash(_("Akun Anda siap. Silakan masuk dengan email dan kata sandi yang baru Anda buat."), "success")
            return redirect(url_for("auth.login", email=user.email))
    except ValidationFailed as exc:
        db.session.rollback()
        errors = exc.errors
    status = 410 if "tautan" in errors else 422 if errors else 200
    return render_template(
        "auth/claim.html",
        errors=errors,
        account=account,
        unclaimed=account is not None and walk_ins.unclaimed(account),
        email=request.form.get("email", ""),
    ), status


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, on the address the public knows (``PUBLIC_BASE_URL``)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=failed)
def change_password():
    errors = {}
    if request.method == "POST":
        user = current_user._get_current_object()
        try:
            users.change_password(
                db.session,
                user,
                request.form.get("current", ""),
                request.form.get("new", ""),
                request.form.get("confirm", ""),
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            login_user(user)  # this browser goes on with the new session; every other one has ended
            flash(_("Kata sandi diganti. Sesi lain dan token API akun ini telah diakhiri."), "success")
            return redirect(home_for(user))
    return render_template("auth/password.html", errors=errors), (422 if errors else 200)


@bp.route("/akun/token", methods=["GET", "POST"])
@login_required
def tokens():
    """The account's API tokens: when each was made and ends, and revoking one."""
    from engine.core.errors import NotFound

    user = current_user._get_current_object()
    if request.method == "POST":
        try:
            api_tokens.revoke_token(db.session, user, int(request.form.get("token", "0") or 0))
            db.session.commit()
            flash(_("Token dicabut; aplikasi yang memakainya tidak dapat masuk lagi."), "success")
        except (NotFound, ValueError):
            db.session.rollback()
            flash(_("Token tidak ditemukan."), "error")
        return redirect(url_for("auth.tokens"))
    return render_template(
        "auth/tokens.html", tokens=api_tokens.tokens_of(db.session, user), expires=api_tokens.token_expires
    )
