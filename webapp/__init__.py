"""The web application: one factory, one instance folder, one blueprint per audience."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from engine.core.errors import Conflict, NotFound, PermissionDenied
from engine.core.localtime import N_

from . import config as cfg
from . import failures, logs
from .extensions import LOCKOUT_SCOPE, compress, csrf, db, limiter, login_manager, migrate
from .problems import problem


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _private_sqlite_file(url: str) -> None:
    """The embedded database holds every applicant's data: readable by the server's user alone."""
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return
    path = Path(url[len("sqlite:///") :])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)


# What pages may load: only this server's own scripts (bpmn-js and Chart.js are served from here),
# inline styles for the diagram editor, pictures as data URLs (QR codes).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def _security_headers(app: Flask) -> None:
    """Security headers and cookies (Flask-Talisman). Behind HTTPS (``PREFERRED_URL_SCHEME=https``
    or ``FORCE_HTTPS``), HTTP is redirected, HSTS is sent and cookies are ``Secure``."""
    from flask_talisman import Talisman

    https = app.config.get("PREFERRED_URL_SCHEME") == "https" or bool(app.config.get("FORCE_HTTPS"))
    Talisman(
        app,
        force_https=https,
        strict_transport_security=https,
        session_cookie_secure=https,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )
    app.config["REMEMBER_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _carries_nul(request) -> bool:
    """Whether the path, the query, a form field or a JSON string holds a NUL character."""
    parts = [request.path, *(v for _, values in request.args.lists() for v in values)]
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        parts += [v for _, values in request.form.lists() for v in values]
    if request.is_json and _has_nul(request.get_json(silent=True)):
        return True
    return any(_has_nul(part) for part in parts)


class RowId(IntegerConverter):
    """``<int:…>`` in a path: a row id, so never past a 32-bit column; a larger number is no such
    page (404), not a database error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    # INSTANCE_PATH: each app server its own instance folder (several behind a load balancer).
    app = Flask(__name__, instance_relative_config=True, instance_path=os.environ.get("INSTANCE_PATH") or None)
    app.url_map.converters["int"] = RowId
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(cfg.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(cfg.from_environment())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = cfg.secret_key(app.instance_path)

    _private_sqlite_file(app.config.get("SQLALCHEMY_DATABASE_URI", ""))

    @app.before_request
    def _body_limits():
        # Registered before the CSRF check, which parses the form first: an oversized save to the
        # process editor is refused from its Content-Length, before any of it is read.
        if request.path.startswith("/admin/proses"):
            request.max_content_length = app.config["PROCESS_EDITOR_MAX_BYTES"]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(cfg.PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Silakan masuk terlebih dahulu.")
    login_manager.localize_callback = _  # said in the reader's language when it is flashed
    login_manager.login_message_category = "info"

    from .services import build_services

    app.extensions["ptsp_services"] = build_services(app)

    from . import (
        admin,
        admin_settings,  # noqa: F401 (its routes join the admin blueprint as it is imported)
        api,
        api_reads,  # noqa: F401 (these two modules' routes join the api blueprint as they are imported)
        api_tasks,  # noqa: F401
        applicant,
        assets,
        auth,
        bank,
        counter_desk,  # noqa: F401 (its routes join the staff blueprint as it is imported)
        helpdesk,
        kiosk,
        oss,
        process_editors,  # noqa: F401 (its routes join the processes blueprint as it is imported)
        processes,
        public,
        related,
        sms,
        staff,
        supervisor,
        trust,
    )
    from .template_helpers import register as register_template_helpers

    for module in (
        public,
        trust,
        kiosk,
        assets,
        auth,
        applicant,
        staff,
        supervisor,
        related,
        admin,
        processes,
        api,
        bank,
        oss,
        sms,
        helpdesk,
    ):
        app.register_blueprint(module.bp)
    csrf.exempt(api.bp)
    csrf.exempt(bank.bp)  # the bank signs its notifications; it has no form to carry a token
    csrf.exempt(oss.bp)  # as OSS signs the requests it forwards
    csrf.exempt(sms.bp)  # the SMS gateway carries its token
    csrf.exempt(trust.timestamp)  # RFC 3161 clients post binary requests, not forms
    csrf.exempt(trust.ocsp)  # as do OCSP clients (RFC 6960)
    from . import i18n

    i18n.init_app(app)
    register_template_helpers(app)

    from .cli import register as register_cli

    register_cli(app)

    _security_headers(app)
    from . import caching

    caching.register(app)
    compress.init_app(app)

    def _error(code, message):
        if request.path.startswith("/api/"):  # a client of the API reads a problem document, not a page
            return problem(code, message)
        return render_template("error.html", code=code, message=message), code

    def _too_many(exc):
        message = _(
            "Terlalu banyak percobaan dalam waktu singkat. Tunggu beberapa menit, lalu coba lagi; "
            "bila lupa kata sandi, hubungi petugas."
        )
        if getattr(getattr(exc, "limit", None), "scope", None) == LOCKOUT_SCOPE:
            message = _(
                "Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi "
                '15 menit lagi, pulihkan kata sandi lewat tautan "Lupa kata sandi", atau minta '
                "administrator membuka kunci akun."
            )
            from .access import record_lockout

            record_lockout()
        return _error(429, message)

    @app.before_request
    def _refuse_nul():
        # A NUL is in no name, number or text a person types, and PostgreSQL refuses it in text:
        # such a request is the client's error, not a 500.
        if _carries_nul(request):
            return _error(400, _("Permintaan berisi karakter yang tidak sah (NUL)."))
        return None

    app.register_error_handler(
        400,
        lambda e: _error(
            400,
            _(
                "Permintaan tidak dapat diproses: isian halaman tidak lengkap atau sudah kedaluwarsa. "
                "Muat ulang halaman lalu coba lagi."
            ),
        ),
    )

    def _refused(message):
        from flask_login import current_user

        from .access import record_refusal

        record_refusal(current_user)
        return _error(403, message)

    app.register_error_handler(403, lambda e: _refused(_("Anda tidak berwenang membuka halaman ini.")))
    app.register_error_handler(404, lambda e: _error(404, _("Halaman tidak ditemukan.")))

    # The page in the site's layout, keeping the Allow header the protocol asks for.
    def _not_allowed(exc):
        response = make_response(
            _error(
                405,
                _(
                    "Halaman ini tidak dapat dibuka dengan cara itu. Buka lewat tautan atau tombol pada "
                    "halaman sebelumnya."
                ),
            )
        )
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods or ()))
        return response

    app.register_error_handler(405, _not_allowed)
    app.register_error_handler(413, lambda e: _error(413, _("Ukuran unggahan terlalu besar.")))
    app.register_error_handler(429, _too_many)
    app.register_error_handler(NotFound, lambda e: _error(404, e.message))
    app.register_error_handler(PermissionDenied, lambda e: _refused(e.message))
    app.register_error_handler(Conflict, lambda e: _error(409, e.message))
    failures.register(app)
    logs.register(app)
    return app
