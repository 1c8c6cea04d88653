"""Schemathesis drives every operation of the served /api/v1/openapi.json with generated requests,
signed in as an applicant and as the head: whatever arrives, the server never answers a 5xx, and each
answer keeps to the document (a documented status, content type and body schema)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from webapp import create_app
from webapp.extensions import limiter

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A raw PDF body is not generated (no serializer for it); the same operation's multipart form is.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped test cases with unsupported payload media types")


def _served_document() -> dict:
    # The document an app serves, so what is checked is what a client reads. It is built from the
    # routes alone: this app never opens its database.
    base = Path(tempfile.mkdtemp(prefix="openapi-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "openapi", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base}/x.db"})
    return app.test_client().get("/api/v1/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_served_document())


@pytest.fixture
def bearer(app):
    # Generated requests fail to sign in by the dozen: the rate limit they run into is forgotten
    # before and after, so neither this test nor the next ones depend on how many came before.
    limiter.reset()
    client = app.test_client()
    tokens = {}
    for who in ("pemohon", "kadis"):
        answer = client.post("/api/v1/tokens", json={"email": f"{who}@demo.test", "password": "demo12345"})
        assert answer.status_code == 201
        tokens[who] = {"Authorization": f"Bearer {answer.get_json()['token']}"}
    yield tokens
    limiter.reset()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_no_server_error_and_documented_answers(case, bearer, app):
    for headers in bearer.values():
        # Uncompressed: the WSGI transport hands the checks the body as sent (Brotli it cannot read).
        case.call_and_validate(app=app, headers={**headers, "Accept-Encoding": "identity"}, checks=CHECKS)
