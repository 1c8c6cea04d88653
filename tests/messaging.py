"""The message simulator (SMS and WhatsApp gateways, SMTP sink) served on free ports, and the app's
channels pointed at it."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from werkzeug.serving import make_server

from engine.connectors import registry
from engine.core.mail import SmtpSender
from simulators.messaging import MailSink, MessagingState, Sent, create_simulator


@dataclass
class Messaging:
    url: str
    state: MessagingState
    sink: MailSink
    connectors: registry.Connectors
    mail: SmtpSender

    def mode(self, service: str, mode: str, delay: float = 5.0) -> None:
        httpx.post(f"{self.url}/_sim/{service}/mode", json={"mode": mode, "delay": delay}).raise_for_status()

    def to(self, address: str, channel: str | None = None) -> list[Sent]:
        return self.state.to(address, channel)

    def text_in(self, phone: str, message: str) -> dict:
        """A person texts the agency's number; the gateway forwards it to the app."""
        answer = httpx.post(f"{self.url}/_sim/sms/masuk", json={"phone": phone, "message": message}, timeout=20)
        answer.raise_for_status()
        return answer.json()


def settings(url: str, timeout: float = 2.0) -> dict:
    return {
        name: {"url": f"{url}/{name}", "timeout": timeout, "api_key": f"kunci-{name}"} for name in ("sms", "whatsapp")
    }


@contextmanager
def served(callback_url: str | None = None):
    state = MessagingState(callback_url=callback_url)
    server = make_server("127.0.0.1", 0, create_simulator(state), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    sink = MailSink(state).start()
    try:
        yield Messaging(
            url,
            state,
            sink,
            registry.build(settings(url)),
            SmtpSender("127.0.0.1", sink.port, sender="PTSP-el <noreply@dinas.test>", starttls=False, timeout=3),
        )
    finally:
        sink.stop()
        for name in state.modes:
            state.modes[name] = ("normal", 0.0)
        server.shutdown()
        server.server_close()
