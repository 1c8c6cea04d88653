"""Service-time statistics for supervisors: rolled up when a service or a stage ends, read back
as on-time rates, medians and 90th percentiles (in working days) by permit type, stage, officer
and month. Percentiles come from the quarter-day histogram, so they are exact to a quarter day.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.upserts import insert_for
from engine.service_time.models import SlaStat
from engine.service_time.working_time import WorkCalendar
from engine.workflow.models import PermitType

# Rows a histogram cell is spread over; the file picks its row, so busy cells take turns on
# several row locks instead of one.
SLOTS = 16


def add(
    session: Session,
    calendar: WorkCalendar,
    *,
    application_id: int,
    ended: datetime,
    permit_type_id: int,
    stage: str,
    officer_id: int | None,
    used_minutes: int,
    on_time: bool,
    count: int = 1,
) -> None:
    """Count one finished service or stage of a file (an upsert into its histogram cell); ``count``
    -1 takes one back out."""
    month = ended.astimezone(calendar.tz).strftime("%Y-%m")
    quarter_days = round(used_minutes * 4 / calendar.minutes_per_day)
    insert = insert_for(session)
    statement = insert(SlaStat).values(
        month=month,
        permit_type_id=permit_type_id,
        stage=stage,
        officer_id=officer_id or 0,
        on_time=on_time,
        quarter_days=quarter_days,
        slot=application_id % SLOTS,
        count=count,
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["month", "permit_type_id", "stage", "officer_id", "on_time", "quarter_days", "slot"],
            set_={"count": SlaStat.count + count},
        )
    )


def restate(
    session: Session,
    calendar: WorkCalendar,
    *,
    application_id: int,
    ended: datetime,
    permit_type_id: int,
    budget: int,
    before: int,
    after: int,
) -> None:
    """A finished service whose used time changed afterwards (force majeure recorded later): move
    its count from the old histogram cell to the new one."""
    common = {
        "application_id": application_id,
        "ended": ended,
        "permit_type_id": permit_type_id,
        "stage": "",
        "officer_id": None,
    }
    add(session, calendar, **common, used_minutes=before, on_time=before <= budget, count=-1)
    add(session, calendar, **common, used_minutes=after, on_time=after <= budget)


@dataclass
class Summary:
    label: str
    count: int = 0
    on_time: int = 0
    histogram: dict[int, int] | None = None

    def __post_init__(self):
        self.histogram = self.histogram or {}

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.count, 1) if self.count else None

    def percentile(self, share: float) -> float | None:
        if not self.count:
            return None
        target, seen = share * self.count, 0
        for quarter, n in sorted(self.histogram.items()):
            seen += n
            if seen >= target:
                return quarter / 4
        return max(self.histogram) / 4

    @property
    def median(self) -> float | None:
        return self.percentile(0.5)

    @property
    def p90(self) -> float | None:
        return self.percentile(0.9)


def _rows(session: Session, months: tuple[str, str], whole_service: bool, permit_types: Collection[int] | None = None):
    # Plain rows, not ORM objects: a year's rollup is thousands of rows and this is the dashboard's hot path.
    query = select(
        SlaStat.month,
        SlaStat.permit_type_id,
        SlaStat.stage,
        SlaStat.officer_id,
        SlaStat.on_time,
        SlaStat.quarter_days,
        SlaStat.count.label("n"),
    ).where(SlaStat.month >= months[0], SlaStat.month <= months[1])
    query = query.where(SlaStat.stage == "") if whole_service else query.where(SlaStat.stage != "")
    if permit_types is not None:
        query = query.where(SlaStat.permit_type_id.in_(list(permit_types)))
    return session.execute(query)


def _group(rows, key, label) -> list[Summary]:
    groups: dict = {}
    for row in rows:
        k = key(row)
        summary = groups.setdefault(k, Summary(label(k)))
        summary.count += row.n
        summary.on_time += row.n if row.on_time else 0
        summary.histogram[row.quarter_days] = summary.histogram.get(row.quarter_days, 0) + row.n
    return [groups[k] for k in sorted(groups, key=lambda k: str(label(k)))]


@dataclass
class Report:
    months: tuple[str, str]
    total: Summary
    by_type: list[Summary]
    by_month: list[Summary]
    by_stage: list[Summary]
    by_officer: list[Summary]


def report(session: Session, months: tuple[str, str], permit_types: Collection[int] | None = None) -> Report:
    """Service-time figures for ``months``, of the given permit types (None: all of them)."""
    types = {p.id: p.name for p in session.scalars(select(PermitType))}
    whole = list(_rows(session, months, True, permit_types))
    stages = list(_rows(session, months, False, permit_types))
    officers = {
        u.id: u.name for u in session.scalars(select(User).where(User.id.in_({r.officer_id for r in stages} or {0})))
    }
    total = _group(whole, lambda r: "", lambda k: "Semua jenis izin")
    return Report(
        months=months,
        total=total[0] if total else Summary("Semua jenis izin"),
        by_type=_group(whole, lambda r: r.permit_type_id, lambda k: types.get(k, str(k))),
        by_month=_group(whole, lambda r: r.month, lambda k: k),
        by_stage=_group(stages, lambda r: r.stage, lambda k: k),
        by_officer=_group(
            [r for r in stages if r.officer_id], lambda r: r.officer_id, lambda k: officers.get(k, str(k))
        ),
    )


HEADER = [
    "Dimensi",
    "Nama",
    "Jumlah selesai",
    "Tepat waktu",
    "% tepat waktu",
    "Median (hari kerja)",
    "Persentil 90 (hari kerja)",
]


def table(result: Report) -> list[list]:
    """The report as rows for CSV and spreadsheet exports (first row: the header)."""
    rows = [HEADER]
    for dimension, summaries in (
        ("Total", [result.total]),
        ("Jenis izin", result.by_type),
        ("Bulan", result.by_month),
        ("Tahap", result.by_stage),
        ("Petugas", result.by_officer),
    ):
        for s in summaries:
            rows.append([dimension, s.label, s.count, s.on_time, s.on_time_rate, s.median, s.p90])
    return rows


@dataclass
class IssuedPermit:
    number: str
    permit_name: str
    holder: str
    reg_number: str
    issued_at: datetime


def issued_in(
    session: Session, start: datetime, end: datetime, permit_types: Collection[int] | None = None
) -> list[IssuedPermit]:
    """Permits issued (signed electronically or archived hand-signed) in [start, end), of the given
    permit types (None: all of them)."""
    from engine.documents.models import Document
    from engine.workflow.models import Application

    query = (
        select(Document, Application)
        .join(Application, Document.application_id == Application.id)
        .where(
            Document.kind == "izin",
            Document.signature.in_(("tte", "basah")),
            Document.created_at >= start,
            Document.created_at < end,
        )
        .order_by(Document.created_at)
    )
    if permit_types is not None:
        query = query.where(Application.permit_type_id.in_(list(permit_types)))
    return [
        IssuedPermit(doc.number, app.permit_type.name, app.applicant.name, app.reg_number, doc.created_at)
        for doc, app in session.execute(query)
    ]
