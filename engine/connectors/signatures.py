"""Requests signed SNAP BI style, with the secret both sides share: HMAC-SHA512 over
``METHOD:path:lowercase(hex(sha256(minified body))):timestamp``, base64. The bank's notifications and
the requests OSS forwards are checked with it; the agency's requests to the bank carry it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

# A request signed longer ago (or ahead) than this is refused: a captured one cannot be sent later.
FRESHNESS = timedelta(minutes=5)


def minified(body: dict) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def string_to_sign(method: str, path: str, body: bytes, timestamp: str) -> bytes:
    return f"{method.upper()}:{path}:{hashlib.sha256(body).hexdigest().lower()}:{timestamp}".encode()


def signature(secret: str, method: str, path: str, body: bytes, timestamp: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), string_to_sign(method, path, body, timestamp), hashlib.sha512).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(secret: str, method: str, path: str, body: bytes, timestamp: str, given: str) -> bool:
    return hmac.compare_digest(signature(secret, method, path, body, timestamp), given or "")


def fresh(timestamp: str, now: datetime) -> bool:
    """Whether ``timestamp`` (ISO 8601 with its zone) is within ``FRESHNESS`` of ``now``."""
    try:
        signed_at = datetime.fromisoformat(timestamp)
    except (TypeError, ValueError):
        return False
    return signed_at.tzinfo is not None and abs(now - signed_at) <= FRESHNESS
