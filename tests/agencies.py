"""The agencies' simulator served over real HTTP on a free port, and the app's connectors pointed at it."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from werkzeug.serving import make_server

from engine.connectors import registry
from engine.connectors.registry import Connectors
from simulators.agencies import SimulatorState, create_simulator


@dataclass
class Agencies:
    url: str
    state: SimulatorState
    connectors: Connectors

    def mode(self, service: str, mode: str, delay: float = 5.0) -> None:
        httpx.post(f"{self.url}/_sim/{service}/mode", json={"mode": mode, "delay": delay}).raise_for_status()

    def calls(self, service: str) -> int:
        return self.state.services[service].calls

    def pay(self, va_number: str, amount: str | None = None) -> dict:
        """A customer pays the virtual account (its exact amount unless told); the bank notifies."""
        given = {"virtualAccountNo": va_number, **({"amount": amount} if amount is not None else {})}
        answer = httpx.post(f"{self.url}/_sim/bank/pay", json=given, timeout=15)
        answer.raise_for_status()
        return answer.json()


BANK_SECRET = "rahasia-bank"


def settings(url: str, timeout: float = 1.0, password: str = "rahasia") -> dict:
    return {
        "dukcapil": {"url": f"{url}/dukcapil", "timeout": timeout, "user_id": "ptsp", "password": password},
        "bank": {
            "url": f"{url}/bank",
            "timeout": timeout,
            "partner_id": "PTSPKOTA",
            "partner_service_id": "88899",
            "secret": BANK_SECRET,
        },
        **{
            name: {"url": f"{url}/{name}", "timeout": timeout, "api_key": f"kunci-{name}"}
            for name in ("oss", "djp", "ahu", "bpjs")
        },
    }


@contextmanager
def served(timeout: float = 1.0, callback_url: str | None = None):
    state = SimulatorState(bank_secret=BANK_SECRET, callback_url=callback_url)
    server = make_server("127.0.0.1", 0, create_simulator(state), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield Agencies(url, state, registry.build(settings(url, timeout)))
    finally:
        for service in state.services.values():
            service.mode = "normal"  # a sleeping answer must not hold the shutdown
        server.shutdown()
        server.server_close()
