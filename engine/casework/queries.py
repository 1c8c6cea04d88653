"""Read-side queries for inboxes, lists, history and tracking. Rows only: no workflow loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from engine.accounts.models import User
from engine.accounts.permissions import readable
from engine.core.errors import NotFound
from engine.core.localtime import Phrase
from engine.core.models import AuditEvent
from engine.core.numbers import is_whole_number
from engine.core.roles import APPLICANT
from engine.workflow.models import Application, WorkItem


def my_applications(session: Session, user: User) -> list[Application]:
    return list(
        session.scalars(
            select(Application)
            .where(Application.applicant_id == user.id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def applicant_tasks(session: Session, application: Application) -> list[WorkItem]:
    return list(
        session.scalars(
            select(WorkItem).where(
                WorkItem.application_id == application.id, WorkItem.state == "open", WorkItem.role == APPLICANT
            )
        )
    )


def open_items(session: Session, application: Application) -> list[WorkItem]:
    return list(
        session.scalars(
            select(WorkItem)
            .where(WorkItem.application_id == application.id, WorkItem.state == "open")
            .order_by(WorkItem.id)
        )
    )


# What the applicant sees of the file's history: its steps and the head's decisions on it.
PUBLIC_ACTIONS = (
    "submitted",
    "task_completed",
    "resubmitted",
    "written_warning_issued",
    "permit_issue_cancelled",
    "permit_revoked",
    "permit_cancelled",
)


@dataclass(frozen=True)
class Progress:
    """Where a file stands on its diagram: the BPMN ids of the user tasks done and going on, and the
    stages still to come (from the task rows, and the diagram's own list of stages)."""

    done: list[str]
    current: list[str]
    ahead: list[str]


def progress(session: Session, application: Application) -> Progress:
    from engine.workflow import runtime
    from engine.workflow.definitions import specs_for
    from engine.workflow.version_forms import start_task_of

    rows = session.execute(
        select(WorkItem.task_spec, WorkItem.state, WorkItem.stage).where(WorkItem.application_id == application.id)
    ).all()
    current = {spec for spec, state, _ in rows if state == "open"}
    done = {spec for spec, state, _ in rows if state == "done"} - current
    if application.submitted_at is not None:  # the applicant's form has no task row of its own
        done.add(start_task_of(application.process_version).spec_name)
    ahead = []
    if application.closed_at is None:
        reached = {stage for _, _, stage in rows}
        stages = [
            stage
            for role, stage in runtime.user_task_stages(specs_for(application.process_version))
            if role != APPLICANT
        ]
        ahead = [stage for stage in dict.fromkeys(stages) if stage not in reached]
    return Progress(sorted(done), sorted(current), ahead)


def history(session: Session, application: Application, public: bool = False) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.application_id == application.id)
    if public:
        query = query.where(AuditEvent.action.in_(PUBLIC_ACTIONS))
    return list(session.scalars(query.order_by(AuditEvent.at, AuditEvent.id)))


def get_application(session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(Phrase("Permohonan tidak ditemukan."))
    return application


def application_by_reg(session: Session, reg_number: str) -> Application:
    application = session.scalar(
        select(Application).where(Application.reg_number == (reg_number or "").strip().upper())
    )
    if application is None:
        raise NotFound(Phrase("Nomor registrasi tidak ditemukan. Periksa kembali nomor pada Tanda Terima."))
    return application


def application_by_ref(session: Session, ref: str) -> Application:
    """By registration number or numeric id (the API accepts both)."""
    if is_whole_number(ref):
        return get_application(session, int(ref))
    return application_by_reg(session, ref)


class Paged:
    """Page arithmetic of a list counted up to the cap, from its ``rows``, ``total``,
    ``total_capped`` (more than ``total``), ``page`` and ``per_page``."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return len(self.rows) == self.per_page and (self.total_capped or self.page < self.pages)


@dataclass
class ApplicationPage(Paged):
    rows: list[Application]
    total: int
    total_capped: bool
    page: int
    per_page: int


def application_page(
    session: Session,
    user: User,
    status: str | None = None,
    permit_type_id: int | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> ApplicationPage:
    """The newest applications ``user`` may read, one page (their authority applied in SQL; the
    workflow state is never loaded, the type and applicant come in the same query)."""
    where = [readable(session, user)]
    if status:
        where.append(Application.status == status)
    if permit_type_id:
        where.append(Application.permit_type_id == permit_type_id)
    if search:
        where.append(matching(search))
    rows = list(
        session.scalars(
            select(Application)
            .where(*where)
            .options(joinedload(Application.permit_type), joinedload(Application.applicant))
            .order_by(Application.created_at.desc(), Application.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    total, capped = capped_count(session, select(Application.id).where(*where))
    return ApplicationPage(rows, total, capped, page, per_page)


# Counting stops here: past it a list says "more than" and asks for a narrower filter, so a page
# costs the same at a province's hundred thousand rows as at a thousand.
COUNT_CAP = 1000


def capped_count(session: Session, ids, cap: int | None = None) -> tuple[int, bool]:
    """How many rows ``ids`` (a select of one column) returns, counted up to ``cap``; and whether
    there are more."""
    cap = COUNT_CAP if cap is None else cap
    n = session.scalar(select(func.count()).select_from(ids.limit(cap + 1).subquery()))
    return min(n, cap), n > cap


def matching(text: str, application_id=Application.id):
    """A filter: the file ``application_id`` names has a registration number or an applicant's name
    containing ``text``.

    The matching files are found first, each way on its own index (on PostgreSQL, trigram indexes
    over the lowered number and name), and the list is then read for them: filtering the list's
    rows one by one would read every open task of a province."""
    pattern = like_pattern(text.lower())
    by_number = select(Application.id).where(func.lower(Application.reg_number).like(pattern, escape="\\"))
    by_name = select(Application.id).where(
        Application.applicant_id.in_(select(User.id).where(func.lower(User.name).like(pattern, escape="\\")))
    )
    return application_id.in_(union_all(by_number, by_name))


def like_pattern(text: str) -> str:
    """A LIKE pattern finding ``text`` anywhere, its own % and _ taken literally (escape ``\\``)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --- the audit trail, for the auditor ----------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    actor_email: str = ""
    reg_number: str = ""
    action: str = ""
    start: datetime | None = None
    end: datetime | None = None


def search_audit(session: Session, wanted: AuditFilter, limit: int = 200) -> list[AuditEvent]:
    """The newest rows matching ``wanted``, with actor and application loaded (indexed columns)."""
    query = select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(limit)
    if wanted.actor_email:
        query = query.join(User, User.id == AuditEvent.actor_id).where(
            func.lower(User.email) == wanted.actor_email.strip().lower()
        )
    if wanted.reg_number:
        query = query.join(Application, Application.id == AuditEvent.application_id).where(
            Application.reg_number == wanted.reg_number.strip()
        )
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.start:
        query = query.where(AuditEvent.at >= wanted.start)
    if wanted.end:
        query = query.where(AuditEvent.at < wanted.end)
    return list(session.scalars(query))


def audit_actions(session: Session) -> list[str]:
    """Every action the audit trail holds, for the auditor's filter."""
    return sorted(session.scalars(select(AuditEvent.action).distinct()))
