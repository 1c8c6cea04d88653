"""How the connected services have been doing, for the supervisor's dashboard: calls and failures
in the last day, the last success and failure, and whether this process's breaker is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.connectors.http import breaker_state
from engine.connectors.models import ConnectorCall
from engine.connectors.registry import KNOWN, Connectors
from engine.core.clock import utcnow

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class ServiceHealth:
    name: str
    title: str
    calls: int
    failures: int
    last_success: datetime | None
    last_failure: datetime | None
    breaker: str

    @property
    def error_rate(self) -> float | None:
        return self.failures / self.calls if self.calls else None

    @property
    def state(self) -> str:
        """ "baik", "terganggu" (some failures or the breaker open) or "belum_ada" (no call yet)."""
        if self.breaker == "open" or (self.calls and self.failures * 2 >= self.calls):
            return "terganggu"
        if self.last_success is None:
            return "belum_ada"
        return "terganggu" if self.failures else "baik"


def overview(session: Session, connectors: Connectors | None, now: datetime | None = None) -> list[ServiceHealth]:
    """One row per connected service (none when nothing is connected)."""
    now = now or utcnow()
    if connectors is None or not connectors.endpoints:
        return []
    names = list(connectors.endpoints)
    recent = {
        row.service: row
        for row in session.execute(
            select(
                ConnectorCall.service,
                func.count().label("calls"),
                func.sum(case((ConnectorCall.ok.is_(False), 1), else_=0)).label("failures"),
                func.max(case((ConnectorCall.ok.is_(False), ConnectorCall.at))).label("last_failure"),
            )
            .where(ConnectorCall.service.in_(names), ConnectorCall.at >= now - WINDOW)
            .group_by(ConnectorCall.service)
        )
    }
    last_ok = dict(
        session.execute(
            select(ConnectorCall.service, func.max(ConnectorCall.at))
            .where(ConnectorCall.service.in_(names), ConnectorCall.ok.is_(True))
            .group_by(ConnectorCall.service)
        ).all()
    )
    rows = []
    for name in names:
        row = recent.get(name)
        rows.append(
            ServiceHealth(
                name=name,
                title=KNOWN[name],
                calls=row.calls if row else 0,
                failures=int(row.failures or 0) if row else 0,
                last_success=last_ok.get(name),
                last_failure=row.last_failure if row else None,
                breaker=breaker_state(connectors.endpoints[name]),
            )
        )
    return rows
