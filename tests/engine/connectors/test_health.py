"""Connector health for the supervisor: calls, failures, last success, the breaker."""

from __future__ import annotations

from datetime import date

import pytest

from engine.connectors import health
from engine.connectors.calls import Asker, logged
from engine.connectors.dukcapil import IdentityClaim
from engine.connectors.http import ConnectorUnavailable


def _verify(session, agencies):
    claim = IdentityClaim("3171010101800001", "Budi Santoso", date(1980, 1, 1))
    return logged(
        session,
        "dukcapil",
        "verifikasi_nik",
        Asker("uji"),
        claim.nik,
        lambda: agencies.connectors.dukcapil.verify(claim),
        lambda v: v.outcome,
    )


def test_the_dashboard_figures_count_the_last_day_of_calls_per_service(session, agencies):
    _verify(session, agencies)
    agencies.mode("dukcapil", "mati")
    with pytest.raises(ConnectorUnavailable):
        _verify(session, agencies)
    session.flush()
    rows = {row.name: row for row in health.overview(session, agencies.connectors)}
    dukcapil = rows["dukcapil"]
    assert (dukcapil.calls, dukcapil.failures, dukcapil.error_rate) == (2, 1, 0.5)
    assert dukcapil.last_success is not None and dukcapil.last_failure is not None
    assert dukcapil.state == "terganggu"
    assert rows["bank"].calls == 0 and rows["bank"].state == "belum_ada"


def test_nothing_is_shown_when_nothing_is_connected(session):
    assert health.overview(session, None) == []
