"""The task list people work from: one page of open tasks, filtered, sorted and counted.

A page costs the same few statements whatever the number of open tasks: the rows come as plain
columns of one joined query (never the application's workflow JSON), the total is counted up to a
cap, and the filter choices come from the published diagrams, not from scanning the tasks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import and_, false, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.util import find_tables

from engine.accounts.models import User
from engine.accounts.permissions import Scope, scope_of
from engine.casework.queries import Paged, capped_count, matching
from engine.core.clock import utcnow
from engine.core.localtime import N_
from engine.core.roles import APPLICANT, HEAD, STAFF_ROLES
from engine.core.services import CalendarSettings
from engine.service_time.sla import calendar_for
from engine.workflow import runtime
from engine.workflow.definitions import specs_for
from engine.workflow.models import Application, PermitType, ProcessVersion, WorkItem

# Views of the list: the tasks I hold, those waiting for someone of my role, and (for the head of
# the unit, who hands tasks out) every open task of the unit.
MINE, WAITING, TEAM = "saya", "menunggu", "tim"
VIEWS = (MINE, WAITING, TEAM)
VIEW_LABELS = {MINE: N_("Sedang saya kerjakan"), WAITING: N_("Menunggu diambil"), TEAM: N_("Semua tugas unit")}
SORTS = {"tenggat": N_("Tenggat terdekat"), "masuk": N_("Paling lama masuk"), "jenis": N_("Jenis izin")}
DUE_FILTERS = {"segera": N_("Jatuh tempo ≤ 1 hari kerja"), "lewat": N_("Lewat tenggat")}
PER_PAGE = (25, 50, 100)


@dataclass(frozen=True)
class TaskQuery:
    view: str = MINE
    permit_type_id: int | None = None
    stage: str = ""
    due: str = ""
    search: str = ""
    sort: str = "tenggat"
    page: int = 1
    per_page: int = PER_PAGE[0]

    @classmethod
    def from_args(cls, args: Mapping, default_view: str = MINE) -> TaskQuery:
        """From a query string; what does not parse falls back to the default, never an error."""

        def number(name, default):
            try:
                return int(args.get(name) or default)
            except (TypeError, ValueError):
                return default

        per_page = number("per_halaman", PER_PAGE[0])
        return cls(
            view=args.get("tampilan") if args.get("tampilan") in VIEWS else default_view,
            permit_type_id=number("jenis", 0) or None,
            stage=str(args.get("tahap") or "")[:200],
            due=args.get("tenggat") if args.get("tenggat") in DUE_FILTERS else "",
            search=str(args.get("cari") or "").strip()[:100],
            sort=args.get("urut") if args.get("urut") in SORTS else "tenggat",
            page=max(1, min(number("halaman", 1), 10_000)),
            per_page=per_page if per_page in PER_PAGE else PER_PAGE[0],
        )

    def args(self, **changes) -> dict:
        """The query string of this list (with ``changes``), for links to other pages and sorts."""
        q = replace(self, **changes)
        pairs = {
            "tampilan": q.view,
            "jenis": q.permit_type_id,
            "tahap": q.stage,
            "tenggat": q.due,
            "cari": q.search,
            "urut": q.sort if q.sort != "tenggat" else None,
            "halaman": q.page if q.page > 1 else None,
            "per_halaman": q.per_page if q.per_page != PER_PAGE[0] else None,
        }
        return {k: v for k, v in pairs.items() if v}

    @property
    def filtered(self) -> bool:
        return bool(self.permit_type_id or self.stage or self.due or self.search)


@dataclass(frozen=True)
class TaskRow:
    id: int
    application_id: int
    reg_number: str
    permit_type: str
    applicant: str
    title: str
    stage: str
    role: str
    signs: bool
    created_at: datetime
    due_at: datetime | None
    claimed_by_id: int | None
    claimed_by: str | None
    claimed_by_email: str | None
    form: str | None
    overdue: bool
    due_soon: bool


@dataclass
class TaskPage(Paged):
    query: TaskQuery
    rows: list[TaskRow]
    total: int
    total_capped: bool  # there are more than ``total``
    counts: dict[str, tuple[int, bool]] = field(default_factory=dict)  # per view: (count, capped)
    views: tuple[str, ...] = ()
    permit_types: list[tuple[int, str]] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def per_page(self) -> int:
        return self.query.per_page


def views_of(user: User) -> tuple[str, ...]:
    if user.role_names & set(STAFF_ROLES):
        return (MINE, WAITING, TEAM) if user.has_role(HEAD) else (MINE, WAITING)
    return (MINE,)


def _visible(user: User, scope: Scope, view: str):
    """Which open tasks a view of ``user`` holds, as a filter (joined with ``Application``)."""
    staff_roles = sorted(user.role_names & set(STAFF_ROLES))
    if view == MINE:
        own = WorkItem.claimed_by_id == user.id
        if user.has_role(APPLICANT):  # corrections and payment wait on the applicant's own files
            own = or_(own, and_(WorkItem.role == APPLICANT, Application.applicant_id == user.id))
        return own
    if not staff_roles or (view == TEAM and not user.has_role(HEAD)):
        return false()
    clause = (
        WorkItem.role.in_(STAFF_ROLES)
        if view == TEAM
        else and_(WorkItem.role.in_(staff_roles), WorkItem.claimed_by_id.is_(None))
    )
    if not scope.everything:
        clause = and_(clause, Application.permit_type_id.in_(scope.permit_types))
    return clause


def _filters(query: TaskQuery, now: datetime, soon_until: datetime) -> list:
    clauses = []
    if query.permit_type_id:
        clauses.append(Application.permit_type_id == query.permit_type_id)
    if query.stage:
        clauses.append(WorkItem.stage == query.stage)
    if query.due == "lewat":
        clauses.append(WorkItem.due_at < now)
    elif query.due == "segera":
        clauses.append(and_(WorkItem.due_at >= now, WorkItem.due_at <= soon_until))
    if query.search:
        clauses.append(matching(query.search, WorkItem.application_id))
    return clauses


def _count(session: Session, where: list) -> tuple[int, bool]:
    ids = select(WorkItem.id)
    # Joined only when a condition reads the file: "the tasks I hold" counts from its own index.
    if any(Application.__table__ in find_tables(clause, check_columns=True) for clause in where):
        ids = ids.join(Application, Application.id == WorkItem.application_id)
    return capped_count(session, ids.where(*where))


def task_page(
    session: Session,
    settings: CalendarSettings,
    user: User,
    query: TaskQuery,
    now: datetime | None = None,
    with_choices: bool = True,
) -> TaskPage:
    """One page of the open tasks ``user`` sees in ``query.view``; "due soon" is within one
    working day of the agency's calendar."""
    now = now or utcnow()
    soon_until = calendar_for(session, settings, now).add_working_days(now, 1)
    views = views_of(user)
    if query.view not in views:
        query = replace(query, view=views[0])
    # Written into the SQL, not bound: only then may SQLite use the indexes over open tasks alone.
    base = [WorkItem.state == literal("open", literal_execute=True)]
    scope = scope_of(session, user)  # read once: each view and the choices apply it
    where = [*base, _visible(user, scope, query.view), *_filters(query, now, soon_until)]
    applicant, claimer = aliased(User), aliased(User)
    # Tasks with no target come last; PostgreSQL's index order already puts them there.
    due = (WorkItem.due_at.asc().nulls_last(), WorkItem.id)
    order = {"tenggat": due, "masuk": (WorkItem.created_at, WorkItem.id), "jenis": (PermitType.name, *due)}[query.sort]
    rows = session.execute(
        select(
            WorkItem.id,
            WorkItem.application_id,
            Application.reg_number,
            PermitType.name,
            applicant.name,
            WorkItem.title,
            WorkItem.stage,
            WorkItem.role,
            WorkItem.signs,
            WorkItem.created_at,
            WorkItem.due_at,
            WorkItem.claimed_by_id,
            claimer.name,
            claimer.email,
            WorkItem.form_schema,
        )
        .join(Application, Application.id == WorkItem.application_id)
        .join(PermitType, PermitType.id == Application.permit_type_id)
        .join(applicant, applicant.id == Application.applicant_id)
        .outerjoin(claimer, claimer.id == WorkItem.claimed_by_id)
        .where(*where)
        .order_by(*order)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    total, capped = _count(session, where)
    page = TaskPage(
        query,
        [
            TaskRow(
                *r, overdue=bool(r.due_at and r.due_at < now), due_soon=bool(r.due_at and now <= r.due_at <= soon_until)
            )
            for r in rows
        ],
        total,
        capped,
        views=views,
    )
    page.counts[query.view] = (total, capped)
    for other in views:
        if other != query.view:
            page.counts[other] = _count(session, [*base, _visible(user, scope, other)])
    if with_choices:
        page.permit_types, page.stages = _choices(session, user, scope)
    return page


def _choices(session: Session, user: User, scope: Scope) -> tuple[list[tuple[int, str]], list[str]]:
    """The permit types in the user's scope and the stages their published diagrams give the
    user's roles: read from the diagrams, so offering them scans no task."""
    query = (
        select(PermitType.id, PermitType.name, ProcessVersion)
        .join(ProcessVersion, and_(ProcessVersion.permit_type_id == PermitType.id, ProcessVersion.published.is_(True)))
        .where(PermitType.active.is_(True))
        .order_by(PermitType.name)
    )
    if not scope.everything:
        query = query.where(PermitType.id.in_(scope.permit_types))
    roles = user.role_names & set(STAFF_ROLES)
    if user.has_role(HEAD):
        roles = set(STAFF_ROLES)
    types, stages = [], []
    for type_id, name, version in session.execute(query):
        types.append((type_id, name))
        for role, stage in runtime.user_task_stages(specs_for(version)):
            if role in roles and stage not in stages:
                stages.append(stage)
    return types, stages
