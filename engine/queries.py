"""Read-side queries for inboxes, lists, history and tracking. Rows only: no workflow loading."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import Application, AuditEvent, User, WorkItem
from .permissions import readable
from .roles import APPLICANT


def my_applications(session: Session, user: User) -> list[Application]:
    return list(session.scalars(select(Application).where(Application.applicant_id == user.id)
                                .order_by(Application.created_at.desc(), Application.id.desc())))


def applicant_tasks(session: Session, application: Application) -> list[WorkItem]:
    return list(session.scalars(select(WorkItem).where(
        WorkItem.application_id == application.id, WorkItem.state == "open", WorkItem.role == APPLICANT)))


def open_items(session: Session, application: Application) -> list[WorkItem]:
    return list(session.scalars(select(WorkItem).where(
        WorkItem.application_id == application.id, WorkItem.state == "open").order_by(WorkItem.id)))


# What the applicant sees of the file's history: its steps and the head's decisions on it.
PUBLIC_ACTIONS = ("submitted", "task_completed", "resubmitted", "written_warning_issued", "permit_issue_cancelled",
                  "permit_revoked", "permit_cancelled")


def history(session: Session, application: Application, public: bool = False) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.application_id == application.id)
    if public:
        query = query.where(AuditEvent.action.in_(PUBLIC_ACTIONS))
    return list(session.scalars(query.order_by(AuditEvent.at, AuditEvent.id)))


def get_application(session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound("Permohonan tidak ditemukan.")
    return application


def application_by_reg(session: Session, reg_number: str) -> Application:
    application = session.scalar(select(Application).where(
        Application.reg_number == (reg_number or "").strip().upper()))
    if application is None:
        raise NotFound("Nomor registrasi tidak ditemukan. Periksa kembali nomor pada Tanda Terima.")
    return application


def application_by_ref(session: Session, ref: str) -> Application:
    """By registration number or numeric id (the API accepts both)."""
    if ref.isdigit():
        return get_application(session, int(ref))
    return application_by_reg(session, ref)


def all_applications(session: Session, user: User, status: str | None = None, permit_type_id: int | None = None,
                     limit: int = 200) -> list[Application]:
    """The newest applications ``user`` may read (their authority applied in SQL)."""
    query = (select(Application).where(readable(session, user))
             .order_by(Application.created_at.desc(), Application.id.desc()).limit(limit))
    if status:
        query = query.where(Application.status == status)
    if permit_type_id:
        query = query.where(Application.permit_type_id == permit_type_id)
    return list(session.scalars(query))
