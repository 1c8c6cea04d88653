"""RFC 9457 problem details: how ``/api/`` answers every error, from a refused field to a fault of
the server. ``error`` repeats ``detail`` for clients written before. Title, detail and each
field's message are in the client's language (``Accept-Language`` or ``?lang=``)."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext

from engine.core.localtime import N_

from .i18n import say

TITLES = {
    400: N_("Permintaan tidak valid"),
    401: N_("Belum masuk"),
    403: N_("Tidak berwenang"),
    404: N_("Tidak ditemukan"),
    405: N_("Metode tidak diizinkan"),
    409: N_("Terjadi benturan"),
    413: N_("Unggahan terlalu besar"),
    422: N_("Isian tidak valid"),
    429: N_("Terlalu banyak permintaan"),
    500: N_("Galat pada server"),
}


def problem(status: int, detail: str, *, title: str | None = None, headers: dict | None = None, **extra):
    response = jsonify(
        {
            "type": "about:blank",
            "title": title or gettext(TITLES.get(status, N_("Galat"))),
            "status": status,
            "detail": say(detail),
            "error": say(detail),
            **extra,
        }
    )
    response.status_code = status
    response.mimetype = "application/problem+json"
    response.headers.extend(headers or {})
    return response
