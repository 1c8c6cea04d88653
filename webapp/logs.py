"""Logs: with ``LOG_FORMAT=json`` one JSON object a line (for a log collector), otherwise plain
text; either way each line written during a request carries its id (``X-Request-ID``, taken from
the proxy or made here), the user and the route, and every request ends with one line giving
its status and duration. SpiffWorkflow's per-task INFO lines stay out: they say nothing an
operator acts on, and a busy day writes thousands of them."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
requests_log = logging.getLogger("webapp.requests")
_HANDLER_NAME = "ptsp"


def known_user_id() -> int | None:
    """The request's user, if already loaded (an API token's, or the session's): never a query."""
    user = g.get("api_user") or g.get("_login_user")
    return getattr(user, "id", None)


class RequestContext(logging.Filter):
    """Adds the request's id, route and user to every record made while it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            record.route = request.endpoint
            record.user_id = known_user_id()
        return True


def handler(fmt: str) -> logging.Handler:
    out = logging.StreamHandler()
    out.set_name(_HANDLER_NAME)
    if fmt == "json":
        out.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        out.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    out.addFilter(RequestContext())
    return out


def configure(fmt: str, level: int = logging.INFO) -> None:
    """Root logging for a server or scheduler process (once; a second call changes nothing)."""
    root = logging.getLogger()
    if not any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        root.addHandler(handler(fmt))
    root.setLevel(level)
    logging.getLogger("spiff").setLevel(logging.WARNING)


def register(app) -> None:
    if not app.testing:
        configure(app.config.get("LOG_FORMAT", "text"))
    logging.getLogger("spiff").setLevel(logging.WARNING)

    @app.before_request
    def _start():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if request.endpoint != "static":
            requests_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration,
                },
            )
        return response
