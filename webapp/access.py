"""Closed-by-default blueprints: every endpoint of a guarded blueprint needs login and a permission."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.core.roles import may

# Endpoints reachable without login, by blueprint; everything else is guarded.
PUBLIC_BLUEPRINTS = {"public", "trust", "kiosk", "auth", "static", "assets"}
# Machine-to-machine endpoints that carry no login but authenticate each request by its signature.
SIGNED_BLUEPRINTS = {"bank", "oss", "sms"}


def guard(blueprint: Blueprint, permission: str) -> Blueprint:
    blueprint.permission = permission

    @blueprint.before_request
    def _check():
        if not current_user.is_authenticated:
            if request.method == "GET":
                flash(
                    _("Masuk dahulu (atau daftar bila belum punya akun); setelah masuk Anda kembali ke halaman ini."),
                    "info",
                )
            return redirect(url_for("auth.login", next=request.full_path))
        if not may(current_user.role_names, permission):
            abort(403)

    return blueprint


def record_refusal(actor) -> None:
    """Audit a refused request (who, what, from where) in a transaction of its own."""
    from engine.core.audit import record

    from .extensions import db

    db.session.rollback()
    record(
        db.session,
        "permission_denied",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        summary={"jalur": request.path[:200], "metode": request.method, "alamat": (request.remote_addr or "")[:64]},
    )
    db.session.commit()


def record_lockout() -> None:
    """Audit an attempt on a locked account: which email, from where (the account may not exist)."""
    from engine.core.audit import record

    from .extensions import attempted_account, db

    db.session.rollback()
    record(
        db.session,
        "account_locked",
        summary={
            "email": attempted_account().partition("|")[2],
            "alamat": (request.remote_addr or "")[:64],
            "jalur": request.path[:200],
        },
    )
    db.session.commit()
