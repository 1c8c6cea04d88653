"""Stand-ins for the channels notices go out on: an SMS and a WhatsApp gateway in the common shape of
Indonesian gateways, and an SMTP mail sink, with one page that shows everything sent.

- ``POST /<sms|whatsapp>/api/send-message`` (``Authorization: kunci-<service>``; JSON ``phone``,
  ``message``, ``ref_id``): answers ``{"status": true, "data": {"id": …}}``. A ref_id seen before is
  answered with the first message's id and not sent again, as real gateways do; each attempt is
  still counted (``sends``), so a test sees a sender that repeats itself.
- ``POST /_sim/sms/masuk`` (JSON ``phone``, ``message``): plays a person texting the agency's number;
  the gateway posts it to the agency's webhook (``<callback>/api/v1/sms/masuk``) with its token.
- ``GET /_sim/pesan``: every SMS, WhatsApp message and email received, newest first (JSON at
  ``/_sim/pesan.json``). ``POST /_sim/<service>/mode`` sets ``normal``, ``lambat`` or ``mati``.
- The SMTP sink (``MailSink``) takes every mail on its port and keeps it; ``stop()`` and ``start()``
  play the mail server going away and coming back.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy

import httpx
from flask import Flask, abort, jsonify, request
from markupsafe import escape

GATEWAYS = ("sms", "whatsapp")
TOKENS = {name: f"kunci-{name}" for name in GATEWAYS}


@dataclass
class Sent:
    id: str
    channel: str
    to: str
    text: str
    at: str
    ref: str = ""
    subject: str = ""
    attachments: list[str] = field(default_factory=list)
    sends: int = 1


@dataclass
class MessagingState:
    callback_url: str | None = None
    messages: list[Sent] = field(default_factory=list)
    modes: dict[str, tuple[str, float]] = field(default_factory=lambda: {name: ("normal", 0.0) for name in GATEWAYS})
    inbound: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):06d}"

    def to(self, address: str, channel: str | None = None) -> list[Sent]:
        return [m for m in self.messages if m.to == address and (channel is None or m.channel == channel)]

    def keep_mail(self, raw: bytes, recipients: list[str]) -> None:
        mail = message_from_bytes(raw, policy=policy.default)
        body = mail.get_body(preferencelist=("plain",))
        files = [part.get_filename() for part in mail.iter_attachments()]
        with self.lock:
            known = next(
                (
                    m
                    for m in self.messages
                    if m.channel == "email" and m.ref and m.ref == mail["Message-ID"] and m.to == ", ".join(recipients)
                ),
                None,
            )
            if known is not None:
                known.sends += 1  # the same mail delivered again: shown, not hidden
                return
            self.messages.append(
                Sent(
                    self.next_id("MAIL"),
                    "email",
                    ", ".join(recipients),
                    body.get_content() if body else "",
                    _now(),
                    ref=mail["Message-ID"] or "",
                    subject=str(mail["Subject"] or ""),
                    attachments=files,
                )
            )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Handler:
    def __init__(self, state: MessagingState):
        self.state = state

    async def handle_DATA(self, server, session, envelope):
        self.state.keep_mail(envelope.original_content or envelope.content, list(envelope.rcpt_tos))
        return "250 OK"


class MailSink:
    """An SMTP server on ``port`` (0: a free one) that keeps what it receives in ``state``."""

    def __init__(self, state: MessagingState, port: int = 0, host: str = "127.0.0.1"):
        self.state, self.host, self.port, self._controller = state, host, port, None

    def start(self) -> MailSink:
        from aiosmtpd.controller import Controller

        if self.port == 0:
            import socket

            with socket.socket() as probe:
                probe.bind((self.host, 0))
                self.port = probe.getsockname()[1]
        self._controller = Controller(_Handler(self.state), hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def create_simulator(state: MessagingState | None = None) -> Flask:
    state = state or MessagingState()
    app = Flask("simulators.messaging")
    app.config["SIM_STATE"] = state

    def gate(name: str):
        mode, delay = state.modes[name]
        if mode == "mati":
            abort(503)
        if mode == "lambat":
            time.sleep(delay)

    @app.post("/<name>/api/send-message")
    def send(name):
        if name not in GATEWAYS:
            abort(404)
        gate(name)
        if request.headers.get("Authorization") != TOKENS[name]:
            return jsonify(status=False, message="token tidak valid"), 401
        given = request.get_json(silent=True) or {}
        phone, text, ref = str(given.get("phone", "")), str(given.get("message", "")), str(given.get("ref_id", ""))
        if not phone.isdigit() or not text:
            return jsonify(status=False, message="phone dan message wajib"), 400
        with state.lock:
            known = next((m for m in state.messages if ref and m.channel == name and m.ref == ref), None)
            if known is not None:
                known.sends += 1
                return jsonify(status=True, message="sudah diterima", data={"id": known.id, "status": "sent"})
            sent = Sent(state.next_id(name.upper()[:2]), name, phone, text, _now(), ref=ref)
            state.messages.append(sent)
        return jsonify(status=True, message="pesan dikirim", data={"id": sent.id, "status": "sent"})

    @app.post("/_sim/sms/masuk")
    def inbound():
        """A person texts the agency's number; the gateway calls the agency's webhook."""
        given = request.get_json(silent=True) or request.form
        message = {
            "id": state.next_id("IN"),
            "phone": str(given.get("phone", "")),
            "message": str(given.get("message", "")),
            "timestamp": _now(),
        }
        state.inbound.append(message)
        if not state.callback_url:
            return jsonify(forwarded=False, message=message)
        answer = httpx.post(
            f"{state.callback_url.rstrip('/')}/api/v1/sms/masuk",
            json=message,
            headers={"Authorization": TOKENS["sms"]},
            timeout=15,
        )
        return jsonify(
            forwarded=True,
            message=message,
            status=answer.status_code,
            answer=answer.json()
            if answer.headers.get("content-type", "").startswith("application/json")
            else answer.text,
        )

    @app.post("/_sim/<name>/mode")
    def set_mode(name):
        if name not in GATEWAYS:
            abort(404)
        given = request.get_json(silent=True) or {}
        state.modes[name] = (given.get("mode", "normal"), float(given.get("delay", 5)))
        return jsonify(mode=state.modes[name][0])

    @app.get("/_sim/pesan.json")
    def messages_json():
        return jsonify([vars(m) for m in state.messages])

    @app.get("/_sim/pesan")
    def messages_page():
        rows = "".join(
            f"<tr><td>{escape(m.at)}</td><td>{escape(m.channel)}</td><td>{escape(m.to)}</td>"
            f"<td>{escape(m.subject)}<pre>{escape(m.text)}</pre>"
            f"{'Lampiran: ' + escape(', '.join(m.attachments)) if m.attachments else ''}</td>"
            f"<td>{m.sends}</td></tr>"
            for m in reversed(state.messages)
        )
        return (
            f"<!doctype html><html lang='id'><meta charset='utf-8'><title>Pesan terkirim (simulator)</title>"
            f"<style>body{{font-family:sans-serif;margin:1rem}}pre{{white-space:pre-wrap;margin:.3rem 0}}"
            f"td{{border-top:1px solid #ccc;padding:.4rem;vertical-align:top}}</style>"
            f"<h1>Pesan terkirim: email, SMS, WhatsApp</h1><p>{len(state.messages)} pesan.</p>"
            f"<table><tr><th>Waktu</th><th>Saluran</th><th>Kepada</th><th>Isi</th><th>Diterima</th></tr>"
            f"{rows}</table></html>"
        )

    return app
