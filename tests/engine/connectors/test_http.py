"""The shared HTTP side against the simulator over real HTTP: a call never outlasts its time limit,
retries only what is safe to repeat, and a breaker stops calling a service that is down."""

from __future__ import annotations

from time import monotonic

import pytest

from engine.connectors.http import ConnectorUnavailable, Endpoint, HttpService, breaker_state


def _service(agencies, timeout=0.5, attempts=3, failures_to_open=5) -> HttpService:
    return HttpService(
        Endpoint(
            "dukcapil",
            f"{agencies.url}/dukcapil",
            timeout=timeout,
            attempts=attempts,
            failures_to_open=failures_to_open,
        )
    )


def test_a_slow_service_is_given_up_on_at_the_configured_time_limit_retries_included(agencies):
    agencies.mode("dukcapil", "lambat", delay=3.0)
    service = _service(agencies, timeout=0.5)
    started = monotonic()
    with pytest.raises(ConnectorUnavailable) as caught:
        service.request("POST", "/verifikasi", json={}, repeatable=True)
    waited = monotonic() - started
    assert waited < 0.5 + 0.5, f"the call held the request {waited:.2f} s"
    assert "tidak menjawab" in caught.value.message


def test_a_service_answering_503_is_retried_when_repeatable_and_sent_once_otherwise(agencies):
    agencies.mode("dukcapil", "mati")
    with pytest.raises(ConnectorUnavailable):
        _service(agencies, timeout=2.0, attempts=3).request("POST", "/verifikasi", json={}, repeatable=True)
    assert agencies.calls("dukcapil") == 3
    with pytest.raises(ConnectorUnavailable):
        _service(agencies, timeout=2.0, attempts=3).request("POST", "/verifikasi", json={})
    assert agencies.calls("dukcapil") == 4, "a call that may not be repeated goes once"


def test_the_breaker_opens_after_consecutive_failures_and_then_answers_at_once_without_calling(agencies):
    agencies.mode("dukcapil", "mati")
    service = _service(agencies, timeout=1.0, attempts=1, failures_to_open=2)
    for _ in range(2):
        with pytest.raises(ConnectorUnavailable):
            service.request("POST", "/verifikasi", json={})
    assert breaker_state(service.endpoint) == "open"
    sent = agencies.calls("dukcapil")
    with pytest.raises(ConnectorUnavailable) as caught:
        service.request("POST", "/verifikasi", json={})
    assert agencies.calls("dukcapil") == sent and caught.value.details["reason"] == "breaker"


def test_a_service_nobody_listens_on_is_unavailable_not_an_error_page(agencies):
    service = HttpService(Endpoint("dukcapil", "http://127.0.0.1:9", timeout=0.5))
    with pytest.raises(ConnectorUnavailable):
        service.request("GET", "/")
