"""Every public endpoint a script could hammer answers 429 past its limit, with an Indonesian
message: registration, tracking, document verification (page and API) and the timestamp service."""

from __future__ import annotations

import pytest

LIMITED = [  # (method, path, limit, request body)
    ("POST", "/daftar", 20, {"data": {"name": "x", "nik": "1", "email": "bukan-email", "phone": "", "password": ""}}),
    ("GET", "/lacak?nomor=TIDAK-ADA", 60, {}),
    ("POST", "/verifikasi", 30, {"data": {}}),
    ("POST", "/api/v1/verify", 30, {"data": b"bukan pdf", "content_type": "application/pdf"}),
    ("POST", "/tsa", 120, {"data": b"bukan permintaan", "content_type": "application/timestamp-query"}),
]


@pytest.mark.parametrize("method, path, limit, body", LIMITED, ids=[p for _, p, _, _ in LIMITED])
def test_a_public_endpoint_answers_429_past_its_limit(app, method, path, limit, body):
    client = app.test_client()
    codes = [client.open(path, method=method, **body).status_code for _ in range(limit + 2)]
    assert 429 not in codes[:limit], codes
    assert codes[limit:] == [429, 429]
    last = client.open(path, method=method, **body)
    text = last.get_json()["error"] if path.startswith("/api/") else last.get_data(as_text=True)
    assert "Terlalu banyak percobaan" in text
