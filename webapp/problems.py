"""RFC 9457 problem details: how ``/api/`` answers every error, from a refused field to a fault of
the server. ``error`` repeats ``detail`` for clients written before."""

from __future__ import annotations

from flask import jsonify

TITLES = {
    400: "Permintaan tidak valid",
    401: "Belum masuk",
    403: "Tidak berwenang",
    404: "Tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Terjadi benturan",
    413: "Unggahan terlalu besar",
    422: "Isian tidak valid",
    429: "Terlalu banyak permintaan",
    500: "Galat pada server",
}


def problem(status: int, detail: str, *, title: str | None = None, headers: dict | None = None, **extra):
    response = jsonify(
        {
            "type": "about:blank",
            "title": title or TITLES.get(status, "Galat"),
            "status": status,
            "detail": detail,
            "error": detail,
            **extra,
        }
    )
    response.status_code = status
    response.mimetype = "application/problem+json"
    response.headers.extend(headers or {})
    return response
