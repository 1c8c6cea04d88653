"""The HTTP side every connector shares: a total time limit per call (retries included), retries
with backoff for calls that are safe to repeat, and a circuit breaker so a dead service answers
"unavailable" at once instead of holding every request for its timeout."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from time import monotonic

import httpx
import pybreaker
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, stop_before_delay, wait_exponential

from engine.core.errors import EngineError
from engine.core.localtime import Phrase


class ConnectorUnavailable(EngineError):
    """The service did not answer in time, answered with a server error, or is known to be down."""


class ConnectorRefused(EngineError):
    """The service answered but refused the request (bad credentials, bad request)."""


@dataclass(frozen=True)
class Endpoint:
    """Where a service is and how long a call to it may take, from the agency's configuration."""

    name: str
    base_url: str
    timeout: float = 3.0  # seconds for the whole call, retries and their waits included
    attempts: int = 3  # for calls safe to repeat; others are sent once
    headers: dict = field(default_factory=dict)
    failures_to_open: int = 5  # consecutive failures that open the breaker
    reset_after: float = 30.0  # seconds the breaker stays open before one trial call


class _Transient(Exception):
    """An attempt that may succeed if repeated (no answer, or a 5xx)."""


# Breakers are per service and per process: every connector object made for one endpoint shares one.
_BREAKERS: dict[tuple[str, str], pybreaker.CircuitBreaker] = {}
_BREAKERS_LOCK = threading.Lock()


def _breaker(endpoint: Endpoint) -> pybreaker.CircuitBreaker:
    key = (endpoint.name, endpoint.base_url)
    with _BREAKERS_LOCK:
        if key not in _BREAKERS:
            _BREAKERS[key] = pybreaker.CircuitBreaker(
                fail_max=endpoint.failures_to_open,
                reset_timeout=endpoint.reset_after,
                name=endpoint.name,
                exclude=[ConnectorRefused],
            )
        return _BREAKERS[key]


def reset_breakers() -> None:
    """Close every breaker (tests; an operator after a service came back)."""
    with _BREAKERS_LOCK:
        _BREAKERS.clear()


def breaker_state(endpoint: Endpoint) -> str:
    """ "closed" (calls go through), "open" (refused at once) or "half-open" (one trial call)."""
    key = (endpoint.name, endpoint.base_url)
    with _BREAKERS_LOCK:
        breaker = _BREAKERS.get(key)
    return breaker.current_state if breaker is not None else "closed"


class HttpService:
    """JSON over HTTP to one endpoint."""

    def __init__(self, endpoint: Endpoint, transport: httpx.BaseTransport | None = None):
        self.endpoint, self._transport = endpoint, transport
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        # Made on first use: a client costs its TLS setup, which an app start or a request that
        # calls no other agency should not pay.
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = httpx.Client(
                        base_url=self.endpoint.base_url, headers=self.endpoint.headers, transport=self._transport
                    )
        return self._client

    def request(
        self,
        method: str,
        path: str,
        *,
        json: dict | None = None,
        params: dict | None = None,
        content: bytes | None = None,
        repeatable: bool | None = None,
        headers: dict | None = None,
    ) -> tuple[int, dict]:
        """(status, body) of a call answered with a 2xx or 4xx. ``repeatable`` (default: GET only)
        allows retries. Raises ConnectorUnavailable (timeout, no connection, 5xx, breaker open)."""
        repeatable = method == "GET" if repeatable is None else repeatable
        deadline = monotonic() + self.endpoint.timeout

        def attempt() -> tuple[int, dict]:
            left = deadline - monotonic()
            if left <= 0:
                raise _Transient("waktu habis")
            try:
                answer = self.client.request(
                    method,
                    path,
                    json=json,
                    params=params,
                    content=content,
                    headers=headers,
                    timeout=httpx.Timeout(left),
                )
            except httpx.TimeoutException as error:
                raise _Transient("waktu habis") from error
            except httpx.TransportError as error:
                raise _Transient("tidak terhubung") from error
            if answer.status_code >= 500:
                raise _Transient(f"galat server {answer.status_code}")
            try:
                body = answer.json() if answer.content else {}
            except ValueError:
                raise _Transient("jawaban bukan JSON") from None
            return answer.status_code, body if isinstance(body, dict) else {"data": body}

        def with_retries() -> tuple[int, dict]:
            retrying = Retrying(
                stop=stop_after_attempt(self.endpoint.attempts if repeatable else 1)
                | stop_before_delay(self.endpoint.timeout),
                wait=wait_exponential(multiplier=0.05, max=1.0),
                retry=retry_if_exception_type(_Transient),
                reraise=True,
            )
            return retrying(attempt)

        try:
            return _breaker(self.endpoint).call(with_retries)
        except pybreaker.CircuitBreakerError:
            raise ConnectorUnavailable(
                Phrase("Layanan %(name)s sedang tidak tersedia; dicoba lagi nanti.", name=self.endpoint.name),
                reason="breaker",
            ) from None
        except _Transient as error:
            raise ConnectorUnavailable(
                Phrase("Layanan %(name)s tidak menjawab (%(error)s).", name=self.endpoint.name, error=error),
                reason=str(error),
            ) from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


class KeyedService:
    """A service that takes the agency's API key in a header and answers JSON: ``call`` gives the
    answer, None for "not found", and raises ConnectorRefused for any other refusal."""

    key_header = "X-API-Key"
    label = "Layanan"

    def __init__(self, http: HttpService, api_key: str):
        self.http, self.headers = http, {self.key_header: api_key}

    def call(self, method: str, path: str, **kwargs) -> dict | None:
        status, answer = self.http.request(method, path, headers=self.headers, **kwargs)
        if status == 404:
            return None
        if status >= 400:
            reason = answer.get("message") or answer.get("keterangan") or status
            raise ConnectorRefused(
                Phrase("%(label)s menolak permintaan (%(reason)s).", label=self.label, reason=reason)
            )
        return answer
