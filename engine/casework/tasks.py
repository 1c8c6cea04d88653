"""Work items: claim, release, complete. The inbox queries live in ``worklist`` and ``queries``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from engine.accounts.models import User, UserRole
from engine.accounts.permissions import covers, may_work, require_may_work, scope_of
from engine.casework.applications import accept_form, after_step, document_markers, flush_or_conflict
from engine.core.audit import record, summarize
from engine.core.clock import utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import Phrase
from engine.core.roles import APPLICANT, HEAD, TREASURER
from engine.core.services import Services
from engine.documents import bills
from engine.documents.documents import SignatureRequest
from engine.notifications import events
from engine.notifications.models import Notification
from engine.service_time.pause_windows import WINDOWS_STAMP, force_windows_at
from engine.service_time.sla import StepReads
from engine.workflow import runtime
from engine.workflow.forms import FormDef
from engine.workflow.models import Application, WorkItem
from engine.workflow.version_forms import form_of, load_workflow

# The application and its version are always needed next: one query instead of three. Built once:
# building loader options costs more than running the query they shape.
_FILE = joinedload(WorkItem.application)
_WITH_FILE = (_FILE.joinedload(Application.process_version), _FILE.joinedload(Application.permit_type))
_FOR_STEP = (
    *_WITH_FILE,
    _FILE.undefer(Application.workflow_json),
    _FILE.joinedload(Application.open_work_items),
    _FILE.joinedload(Application.service_clock),
    _FILE.joinedload(Application.applicant_waits),
)


def get_item(session: Session, item_id: int) -> WorkItem:
    """The task with its file."""
    item = session.get(WorkItem, item_id, options=_WITH_FILE)
    if item is None:
        raise NotFound(Phrase("Tugas tidak ditemukan."))
    return item


def _item_for_step(session: Session, item_id: int) -> tuple[WorkItem, StepReads]:
    """The task with everything completing it reads (its file's workflow, open tasks, clock and
    waits, and whether the force majeure windows changed), fresh, in one query."""
    row = (
        session.execute(
            select(WorkItem, *WINDOWS_STAMP)
            .where(WorkItem.id == item_id)
            .options(*_FOR_STEP)
            .execution_options(populate_existing=True)
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        raise NotFound(Phrase("Tugas tidak ditemukan."))
    item, *stamp = row
    return item, StepReads.of(item.application, force_windows_at(session, tuple(stamp)))


def _require_open(item: WorkItem) -> None:
    if item.state != "open":
        who = Phrase(" oleh %(name)s", name=item.completed_by.name) if item.completed_by else ""
        raise Conflict(
            Phrase(
                "Tugas '%(title)s' sudah diselesaikan%(who)s; tidak ada yang perlu dikerjakan lagi.",
                title=item.title,
                who=who,
            )
        )


def claim(session: Session, item_id: int, actor: User, now: datetime | None = None) -> WorkItem:
    """Take an open task of one's role into one's own inbox. Errors: NotFound, Conflict, PermissionDenied."""
    now = now or utcnow()
    item = get_item(session, item_id)
    _require_open(item)
    if not may_work(actor, item):
        raise PermissionDenied(Phrase("Anda tidak berwenang mengerjakan tugas ini."))
    if item.claimed_by_id == actor.id:
        return item
    if item.claimed_by_id is not None:
        raise Conflict(Phrase("Tugas ini sudah diambil oleh %(name)s.", name=item.claimed_by.name))
    # One conditional UPDATE decides between officers claiming at once: only one matches the row.
    won = session.execute(
        update(WorkItem)
        .where(WorkItem.id == item.id, WorkItem.state == "open", WorkItem.claimed_by_id.is_(None))
        .values(claimed_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(item)
    if not won:
        _require_open(item)
        if item.claimed_by_id != actor.id:
            raise Conflict(
                Phrase(
                    "Tugas ini baru saja diambil oleh %(name)s.",
                    name=item.claimed_by.name if item.claimed_by else Phrase("petugas lain"),
                )
            )
        return item
    record(session, "task_claimed", actor=actor, application=item.application, work_item=item, now=now)
    session.flush()
    return item


def release(session: Session, item_id: int, actor: User, now: datetime | None = None) -> WorkItem:
    """Give a claimed task back to the role's shared inbox. Errors: NotFound, Conflict, PermissionDenied."""
    now = now or utcnow()
    item = get_item(session, item_id)
    _require_open(item)
    if item.claimed_by_id != actor.id:
        raise PermissionDenied(Phrase("Hanya petugas yang mengambil tugas ini yang dapat melepaskannya."))
    item.claimed_by_id = None
    record(session, "task_released", actor=actor, application=item.application, work_item=item, now=now)
    session.flush()
    return item


def _require_hands_out(session: Session, actor: User, item: WorkItem) -> None:
    if not actor.has_role(HEAD) or not scope_of(session, actor).covers(item.application.permit_type_id):
        raise PermissionDenied(
            Phrase("Hanya Kepala Dinas yang membawahkan jenis izin ini yang dapat menyerahkan tugas.")
        )
    if item.role == APPLICANT:
        raise Conflict(Phrase("Tugas ini menunggu Pemohon; tidak dapat diserahkan kepada petugas."))


def assignable_officers(session: Session, actor: User, item_id: int) -> tuple[WorkItem, list[User]]:
    """The open task and the active officers of its role whose authority covers it, by name."""
    item = get_item(session, item_id)
    _require_open(item)
    _require_hands_out(session, actor, item)
    candidates = session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == item.role, User.active.is_(True))
        .order_by(User.name)
    )
    return item, [u for u in candidates if covers(u, item.application.permit_type)]


def assign(session: Session, item_id: int, actor: User, officer_id: int, now: datetime | None = None) -> WorkItem:
    """The head of the unit hands an open task to a named officer of its role, whether it waits in
    the shared inbox or another officer holds it.

    Effects: the task is in the officer's own inbox, audit ``task_assigned`` (to whom, from whom),
    a notification to the officer. Errors: NotFound, PermissionDenied (not the head over this
    permit type), Conflict (done, waits on the applicant, or changed meanwhile), ValidationFailed
    (the officer may not work this task).
    """
    now = now or utcnow()
    item, officers = assignable_officers(session, actor, item_id)
    officer = next((u for u in officers if u.id == officer_id), None)
    if officer is None:
        raise ValidationFailed(
            Phrase("Petugas tidak dapat menerima tugas ini."),
            {"petugas": Phrase("Pilih petugas aktif dengan peran tugas ini yang berwenang atas jenis izinnya.")},
        )
    previous = item.claimed_by
    if previous is not None and previous.id == officer.id:
        return item
    # As with claims, one conditional UPDATE: a claim or another hand-over in between wins, not both.
    held = WorkItem.claimed_by_id.is_(None) if previous is None else WorkItem.claimed_by_id == previous.id
    won = session.execute(
        update(WorkItem)
        .where(WorkItem.id == item.id, WorkItem.state == "open", held)
        .values(claimed_by_id=officer.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(item)
    if not won:
        raise Conflict(Phrase("Tugas ini baru saja diambil atau diserahkan oleh pengguna lain. Muat ulang halaman."))
    record(
        session,
        "task_assigned",
        actor=actor,
        application=item.application,
        work_item=item,
        now=now,
        summary={"kepada": officer.name, **({"dari": previous.name} if previous else {})},
    )
    session.add(
        Notification(
            user_id=officer.id,
            application_id=item.application_id,
            kind="tugas_diserahkan",
            created_at=now,
            message=f"{actor.name} menyerahkan tugas '{item.title}' permohonan "
            f"{item.application.reg_number} kepada Anda.",
        )
    )
    session.flush()
    return item


def task_form(item: WorkItem) -> FormDef | None:
    if not item.form_schema:
        return None
    return form_of(item.application.process_version, item.form_schema, item.form_ui)


def current_data(item: WorkItem) -> dict:
    """The task's data (for prefilling the form and showing the file so far)."""
    workflow = load_workflow(item.application)
    return runtime.task_data(workflow, item.task_id)


def complete_task(
    session: Session,
    services: Services,
    item_id: int,
    actor: User,
    raw: dict,
    uploads: list[Upload] | None = None,
    now: datetime | None = None,
    signature: SignatureRequest | None = None,
) -> WorkItem:
    """Complete a ready user task with form data, and run the process on to the next wait.

    Effects: task data merged, engine steps run, documents issued, worklist and status updated,
    audit ``task_completed`` (or ``resubmitted`` for an applicant's correction).
    ``signature`` carries the officer's passphrase when the step signs a document with their certificate.
    Errors: NotFound, PermissionDenied (wrong role, other's application, claimed by another),
    Conflict (already completed, or completed concurrently), ValidationFailed, ProcessRunError,
    SigningRefused (nothing signed, nothing stored).
    """
    now = now or utcnow()
    item, loaded = _item_for_step(session, item_id)
    _require_open(item)
    require_may_work(actor, item)
    application = item.application
    workflow = load_workflow(application)
    task = runtime.find_ready(workflow, item.task_id)
    if task is None:
        raise Conflict(Phrase("Tugas ini tidak lagi menunggu penyelesaian. Muat ulang halaman."))
    form = task_form(item)
    data = {}
    if form is not None:
        data = accept_form(
            session, services, application, form, raw, uploads or [], dict(task.data), actor, item.task_id, now
        )
    issued_before = document_markers(workflow)
    runtime.complete(workflow, task, data, now)
    if item.role == TREASURER and "jumlah_dibayar" in data:
        bill = bills.paid_at_counter(session, application.id, data, now)
        if bill is not None:
            events.payment_received(session, services, bill, now)
    item.state, item.closed_at, item.completed_by_id = "done", now, actor.id
    item.claimed_by_id = item.claimed_by_id or actor.id
    after_step(
        session, services, application, workflow, actor, now, issued_before, signature, completed=item, loaded=loaded
    )
    action = "resubmitted" if item.role == APPLICANT else "task_completed"
    record(session, action, actor=actor, application=application, work_item=item, now=now, summary=summarize(data))
    flush_or_conflict(session)
    return item
