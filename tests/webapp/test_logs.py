"""What the logs hold: one line per request with its id, route, user, status and duration (as JSON
with LOG_FORMAT=json), the id echoed to the client, and none of SpiffWorkflow's per-task chatter."""

from __future__ import annotations

import io
import json
import logging

from tests.factories import submit, work
from webapp import logs


def test_each_request_ends_with_one_json_line_naming_its_id_route_user_and_duration(app, login, user):
    stream = io.StringIO()
    out = logs.handler("json")
    out.setStream(stream)
    requests_log = logging.getLogger("webapp.requests")
    requests_log.addHandler(out)
    requests_log.setLevel(logging.INFO)
    try:
        officer = login("fo", app.test_client())
        given = officer.get("/petugas/", headers={"X-Request-ID": "lb-7f3a9c21"})
        made = officer.get("/petugas/", headers={"X-Request-ID": "<script>bukan id yang sah"})
    finally:
        requests_log.removeHandler(out)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    mine = [line for line in lines if line["path"] == "/petugas/"]
    assert given.headers["X-Request-ID"] == "lb-7f3a9c21" and mine[0]["request_id"] == "lb-7f3a9c21"
    assert made.headers["X-Request-ID"] != "<script>bukan id yang sah" and len(made.headers["X-Request-ID"]) == 32
    assert mine[1]["request_id"] == made.headers["X-Request-ID"]
    first = mine[0]
    assert first["route"] == "staff.inbox" and first["user_id"] == user("fo").id and first["status"] == 200
    assert first["level"] == "INFO" and first["logger"] == "webapp.requests" and first["time"]
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0


def test_spiffworkflows_per_task_info_lines_stay_out_of_the_log(app, session, services, user, caplog):
    caplog.set_level(logging.INFO)  # the root logger takes INFO; SpiffWorkflow's loggers, set by the app, do not
    assert logging.getLogger("spiff.task").getEffectiveLevel() == logging.WARNING
    application = submit(session, services, user)
    work(session, services, user, application)
    assert not [r for r in caplog.records if r.name.startswith("spiff") and r.levelno < logging.WARNING]
