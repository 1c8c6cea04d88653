"""What people see when the server itself fails: a page in the site's layout (or, under ``/api/``,
an RFC 9457 problem document) in Indonesian, with a reference that the log holds next to the
traceback. While the database cannot be reached the answer is 503 with ``Retry-After``; the
connection pool checks connections before use, so service comes back by itself.

These pages never touch the database: the layout is drawn without the signed-in user's menu."""

from __future__ import annotations

import logging
import secrets

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import InternalServerError

from engine.core.files import ArchiveDamaged, ArchiveMissing

from .extensions import db
from .logs import known_user_id
from .problems import problem

log = logging.getLogger("webapp.failures")
RETRY_AFTER = 30  # seconds: long enough for a database restart or a failover


def _reference() -> str:
    return secrets.token_hex(5).upper()


def _answer(status: int, title: str, detail: str, reference: str, headers: dict | None = None):
    headers = dict(headers or {})
    if request.path.startswith("/api/"):
        return problem(
            status, detail, title=title, headers=headers, instance=f"urn:ptsp:galat:{reference}", reference=reference
        )
    page = render_template("error.html", code=status, title=title, message=detail, reference=reference, shell_only=True)
    return page, status, headers


def _without_account() -> None:
    # Flask-Login would read the user from the database to draw the page or pick its language:
    # a failure page reads nothing (the session's and the browser's language still count).
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()


def _forget_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is already gone: nothing to undo on this side
        log.debug("rollback after a failure failed too", exc_info=True)


def _where() -> dict:
    return {"route": request.endpoint, "path": request.path, "method": request.method, "user_id": known_user_id()}


def _fail(status: int, title: str, detail: str, logged: str, *, exc_info=None, headers: dict | None = None):
    """Log ``logged`` with a new reference (and the traceback), undo the session, answer.
    ``detail`` may name ``{reference}`` for the person to quote."""
    reference = _reference()
    log.error("%s [%s] %s", logged, reference, _where(), exc_info=exc_info)
    _forget_session()
    return _answer(status, title, detail.format(reference=reference), reference, headers)


def database_unavailable(exc):
    _without_account()
    return _fail(
        503,
        _("Layanan sedang tidak tersedia"),
        _(
            "Layanan sedang tidak dapat menghubungi basis data. Tidak ada data Anda yang hilang; coba lagi "
            "beberapa saat lagi. Bila berlanjut, sampaikan kode rujukan {reference} kepada petugas."
        ),
        "Basis data tidak dapat dihubungi",
        exc_info=exc,
        headers={"Retry-After": str(RETRY_AFTER)},
    )


def archive_unreadable(exc: ArchiveDamaged):
    _without_account()
    missing = isinstance(exc, ArchiveMissing)
    detail = (
        _(
            "Berkas arsip dokumen ini tidak ditemukan. Hubungi administrator dinas dengan kode rujukan "
            "{reference}; data permohonan Anda tetap tersimpan."
        )
        if missing
        else _(
            "Berkas arsip dokumen ini rusak (isinya tidak sesuai sidik SHA-256). Hubungi administrator dinas "
            "dengan kode rujukan {reference}; data permohonan Anda tetap tersimpan."
        )
    )
    return _fail(
        503,
        _("Berkas arsip tidak dapat dibaca"),
        detail,
        f"Berkas arsip {exc.details.get('sha256')} {'tidak ditemukan' if missing else 'rusak'}",
    )


def server_error(exc):
    _without_account()
    original = getattr(exc, "original_exception", None) or exc
    if _is_database_down(original):
        return database_unavailable(original)
    return _fail(
        500,
        _("Terjadi galat pada server"),
        _(
            "Terjadi galat pada server dan permintaan Anda tidak diproses; tidak ada yang tersimpan setengah "
            "jadi. Coba lagi; bila berulang, sampaikan kode rujukan {reference} kepada petugas."
        ),
        "Galat server",
        exc_info=original,
    )


def _is_database_down(exc) -> bool:
    """Whether the database connection failed somewhere along the exception's chain: a lost
    connection often surfaces as a later error (the pool resetting a dead connection raises a
    ProgrammingError whose cause is the closed socket)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)):
            return True
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return True
        if type(exc).__name__ in ("OperationalError", "InterfaceError"):  # the driver's own (psycopg, sqlite3)
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _close_session(_exc) -> None:
    # Runs before Flask-SQLAlchemy's own teardown: closing a session whose connection the database
    # cut (a restart, a failover) raises, and that would turn a finished answer into a bare 500.
    try:
        db.session.remove()
    except Exception:  # the pool discards the dead connection; the next request gets a new one
        log.warning("Sesi basis data ditutup setelah koneksinya terputus.", exc_info=True)
        db.session.registry.clear()


def register(app) -> None:
    app.teardown_appcontext(_close_session)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(DisconnectionError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)
    app.register_error_handler(PoolTimeout, database_unavailable)
    app.register_error_handler(ArchiveDamaged, archive_unreadable)
    app.register_error_handler(InternalServerError, server_error)
