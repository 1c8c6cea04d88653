"""SNAP BI style signatures: what they cover, and how fresh a signed request must be."""

from __future__ import annotations

from datetime import timedelta

from engine.connectors.signatures import fresh, minified, signature, signature_matches
from tests.timeline import at


def test_a_signature_covers_method_path_body_and_timestamp():
    body = minified({"trxId": "SKRD/1", "paidAmount": {"value": "150000.00", "currency": "IDR"}})
    signed = signature("rahasia", "POST", "/bayar", body, "2026-12-03T10:00:00+07:00")
    assert signature_matches("rahasia", "post", "/bayar", body, "2026-12-03T10:00:00+07:00", signed)
    for method, path, text, stamp, secret in (
        ("GET", "/bayar", body, "2026-12-03T10:00:00+07:00", "rahasia"),
        ("POST", "/lain", body, "2026-12-03T10:00:00+07:00", "rahasia"),
        ("POST", "/bayar", body + b" ", "2026-12-03T10:00:00+07:00", "rahasia"),
        ("POST", "/bayar", body, "2026-12-03T10:00:01+07:00", "rahasia"),
        ("POST", "/bayar", body, "2026-12-03T10:00:00+07:00", "lain"),
    ):
        assert not signature_matches(secret, method, path, text, stamp, signed)
    assert not signature_matches("rahasia", "POST", "/bayar", body, "2026-12-03T10:00:00+07:00", "")


def test_a_request_is_fresh_within_five_minutes_either_way_and_needs_its_zone():
    now = at(2, 10)
    assert fresh(now.isoformat(), now) and fresh((now - timedelta(minutes=5)).isoformat(), now)
    assert not fresh((now - timedelta(minutes=6)).isoformat(), now)
    assert not fresh((now + timedelta(minutes=6)).isoformat(), now)
    assert not fresh(now.replace(tzinfo=None).isoformat(), now) and not fresh("kemarin", now)
