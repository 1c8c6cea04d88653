"""Connectors are built from the configuration; a service without a URL is simply not connected."""

from __future__ import annotations

from engine.connectors import registry


def test_a_service_without_a_url_is_not_connected_and_unknown_names_are_ignored():
    built = registry.build({"dukcapil": {"url": None}, "tidak-ada": {"url": "http://127.0.0.1:1"}})
    assert not built.connected("dukcapil") and built.endpoints == {}


def test_a_configured_service_gets_its_endpoint_and_time_limit():
    built = registry.build({"dukcapil": {"url": "http://127.0.0.1:5011/dukcapil/", "timeout": 2.5}})
    assert built.connected("dukcapil")
    assert built.endpoints["dukcapil"].base_url == "http://127.0.0.1:5011/dukcapil"
    assert built.endpoints["dukcapil"].timeout == 2.5
