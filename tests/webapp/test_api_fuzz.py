"""Schemathesis drives every operation of /api/v1/openapi.json with generated requests, signed in as
an applicant and as the head: whatever arrives, the server never answers a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from webapp.openapi import OPENAPI

# The document /api/v1/openapi.json serves; each case is sent to the app itself (WSGI).
schema = schemathesis.openapi.from_dict(OPENAPI)
# A raw PDF body is not generated (no serializer for it); the same operation's multipart form is.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped test cases with unsupported payload media types")


@pytest.fixture
def bearer(app):
    client = app.test_client()
    tokens = {}
    for who in ("pemohon", "kadis"):
        answer = client.post("/api/v1/tokens", json={"email": f"{who}@demo.test", "password": "demo12345"})
        assert answer.status_code == 201
        tokens[who] = {"Authorization": f"Bearer {answer.get_json()['token']}"}
    return tokens


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, bearer, app):
    for headers in bearer.values():
        case.call_and_validate(app=app, headers=headers, checks=[not_a_server_error])
