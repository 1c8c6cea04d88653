"""Applications: submitting one, and the shared step that every verb ends with.

Each verb: check → change → audit → flush. The caller commits (request, CLI, job) or rolls back
on any ``EngineError``; nothing is half-written because nothing is committed here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.accounts import identity
from engine.accounts.models import User
from engine.casework import decision_reports, lookups
from engine.connectors.calls import Asker
from engine.core.audit import record, summarize
from engine.core.clock import utcnow
from engine.core.errors import Conflict, PermissionDenied, ValidationFailed
from engine.core.files import Upload, check_upload, reencoded
from engine.core.localtime import N_, Phrase, local
from engine.core.numbers import next_value
from engine.core.roles import APPLICANT
from engine.core.services import Services
from engine.documents import bills
from engine.documents.documents import issue_pending_documents
from engine.documents.models import Document
from engine.notifications import events
from engine.service_time import pause_windows, sla
from engine.workflow import runtime
from engine.workflow.definitions import published_version, specs_for
from engine.workflow.diagram_terms import OUTCOMES
from engine.workflow.forms import FormDef
from engine.workflow.forms import validate as validate_form
from engine.workflow.models import Application, PermitType, ProcessVersion, WorkItem
from engine.workflow.version_forms import form_of, start_task_of, submission_form

STATUS_LABELS = {
    "diproses": N_("Sedang diproses"),
    "dikembalikan": N_("Dikembalikan untuk perbaikan"),
    "ditolak": N_("Ditolak"),
    "gugur": N_("Gugur — retribusi tidak dibayar sampai jatuh tempo"),
    "selesai": N_("Selesai — izin telah diserahkan"),
    "dibatalkan": N_("Dibatalkan — penerbitan izin dibatalkan (sanksi administratif)"),
}
OUTCOME_STAGES = {k: v for k, v in OUTCOMES.items() if k != "selesai"}
# Documents that carry the agency's decision: issuing one ends the service time.
DECISIONS = ("izin", "penolakan")


# --- accepting a form with its files ------------------------------------------------------------


def accept_form(
    session: Session,
    services: Services,
    application: Application,
    form: FormDef,
    raw: dict,
    uploads: list[Upload],
    current: dict,
    actor: User,
    task_id: str,
    now: datetime,
) -> dict:
    """Validate ``raw`` and ``uploads`` against ``form``; store accepted files as documents.

    Returns the typed data to merge into the task. Raises ``ValidationFailed``.
    """
    by_field: dict[str, list[Upload]] = {}
    for upload in uploads:
        if upload.content or upload.filename:
            by_field.setdefault(upload.field, []).append(upload)
    file_errors: dict[str, str] = {}
    accepted: dict[str, list[tuple[Upload, str]]] = {}
    for field in form.fields:
        if not field.is_file or field.readonly or field.name not in by_field:
            continue
        given = by_field[field.name] if field.is_file_list else by_field[field.name][:1]
        for upload in given:
            mime, error = check_upload(upload, field.accept, field.max_mb)
            if error:
                file_errors[field.name] = Phrase("%(file)s: %(problem)s", file=upload.filename, problem=error)
                break
            accepted.setdefault(field.name, []).append((upload, mime))
    placeholders = {
        name: ([{"sha256": "?"}] * len(items) if form.field(name).is_file_list else {"sha256": "?"})
        for name, items in accepted.items()
    }
    data = validate_form(form, raw, current, placeholders, file_errors)
    lookups.verify_fields(session, services, application, form, data, actor, now)
    for name, items in accepted.items():
        field = form.field(name)
        values = []
        for upload, mime in items:
            stored = services.files.put(session, reencoded(upload.content, mime), mime)
            doc = Document(
                application_id=application.id,
                kind="lampiran",
                title=field.title,
                field=name,
                original_name=upload.filename[:255],
                sha256=stored.sha256,
                source_task_id=task_id,
                created_by_id=actor.id,
                created_at=now,
            )
            session.add(doc)
            session.flush()
            values.append({"dokumen": doc.id, "nama": upload.filename[:255], "sha256": stored.sha256})
        data[name] = values if field.is_file_list else values[0]
    return data


# --- the step every verb ends with -----------------------------------------------------------------


def _summary(version: ProcessVersion, data: dict) -> dict:
    form = submission_form(version)
    names = form.summary_fields or [f.name for f in form.fields if not f.is_file][:3]
    return {form.field(n).title: form.field(n).label_for(data.get(n)) for n in names if form.field(n)}


def sync_worklist(
    session: Session,
    application: Application,
    ready: list[runtime.ReadyTask],
    now: datetime,
    completed: WorkItem | None = None,
    add: bool = True,
    loaded: list[WorkItem] | None = None,
) -> list[WorkItem]:
    """Mirror the ready tasks into work items; returns the open ones (``loaded``: as the verb read
    them already). With ``add`` False the new ones are left for the caller to add once their
    deadlines are set (one INSERT, no UPDATE after)."""
    if loaded is None:
        loaded = session.scalars(
            select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open")
        )
    open_items = {w.task_id: w for w in loaded if w is not completed}
    ready_ids = {t.task_id for t in ready}
    for task_id, item in open_items.items():
        if task_id not in ready_ids:
            item.state, item.closed_at = "cancelled", now
    created = []
    still_open = [item for task_id, item in open_items.items() if task_id in ready_ids]
    electronic = application.permit_type.signing_mode != "manual"
    for task in ready:
        if task.task_id in open_items:
            continue
        item = WorkItem(
            application_id=application.id,
            task_id=task.task_id,
            task_spec=task.spec_name,
            title=task.title,
            lane=task.lane,
            role=task.role or "",
            form_schema=task.form_schema,
            form_ui=task.form_ui,
            stage=task.stage,
            signs=task.signs and electronic,
            state="open",
            created_at=now,
        )
        if add:
            session.add(item)
        created.append(item)
    for item in created:
        item.stage_started_at = sla.stage_start(item, still_open + created, completed, now)
    return still_open + created


def document_markers(workflow) -> set[str]:
    """Marker tasks already completed: call before a step, hand the result to ``after_step``."""
    return {marker.task_id for marker in runtime.completed_marker_tasks(workflow, "document")}


def after_step(
    session: Session,
    services: Services,
    application: Application,
    workflow,
    actor: User,
    now: datetime,
    issued_before: set[str],
    signature=None,
    completed: WorkItem | None = None,
    loaded: sla.StepReads | None = None,
) -> None:
    """Persist the workflow and everything derived from it: documents, worklist, status.
    ``loaded``: the file's open tasks, clock and waits, if the verb read them with the task."""
    issued = issue_pending_documents(session, services, application, workflow, actor, now, issued_before, signature)
    ready = runtime.ready_user_tasks(workflow)
    open_items = sync_worklist(
        session, application, ready, now, completed, add=False, loaded=loaded.open_items if loaded else None
    )
    data = runtime.latest_data(workflow)
    outcome = runtime.outcome(workflow)
    if outcome:
        application.status = outcome if outcome in STATUS_LABELS else "selesai"
        application.stage = OUTCOME_STAGES.get(outcome, "Selesai")
        application.closed_at = now
        if outcome != "selesai":
            application.outcome_reason = data.get("alasan_penolakan")
        decision_reports.report_decision(session, application, data, application.status, services.calendar.zone, now)
        bills.void_open(session, application.id, now)
    else:
        application.status = "dikembalikan" if any(t.role == APPLICANT for t in ready) else "diproses"
        application.stage = ", ".join(dict.fromkeys(t.stage for t in ready))
    application.summary = _summary(application.process_version, data)
    application.workflow_json = runtime.dump(workflow)
    with session.no_autoflush:  # the optimistic lock must fail in flush_or_conflict, not in a read
        windows = loaded.windows if loaded else pause_windows.force_windows(session)
        rule = timer_rule(session, services, application, now, windows)
    application.next_timer_at = runtime.next_timer(workflow, rule, now)
    waiting = (
        "pemohon" if application.status == "dikembalikan" else next((t.clock_stop for t in ready if t.clock_stop), None)
    )
    # Everything is written in the caller's one flush (``flush_or_conflict``), where a lost
    # optimistic lock becomes a Conflict; the statistics upsert must not flush it earlier.
    with session.no_autoflush:
        clock = sla.on_step(
            session,
            services.calendar,
            application,
            receipt_issued=any(d.kind == "tanda_terima" for d in issued),
            decided=any(d.kind in DECISIONS for d in issued),
            waiting=waiting,
            finished=bool(outcome),
            now=now,
            open_items=open_items,
            completed=completed,
            windows=windows,
            loaded=loaded,
        )
        returned = [item for item in open_items if item.id is None and item.role == APPLICANT]
        if issued or returned:
            events.step_taken(
                session,
                services,
                application,
                issued=issued,
                returned=returned,
                data=data,
                deadline=clock.deadline if clock is not None else None,
                now=now,
            )
    session.add_all([item for item in open_items if item.id is None])


def timer_rule(session: Session, services: Services, application: Application, now: datetime, windows=None):
    """When the application's timers are really due (force majeure moves them)."""
    calendar = sla.calendar_for(session, services.calendar, now)
    return sla.due_rule(calendar, application, pause_windows.force_windows(session) if windows is None else windows)


def flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            Phrase(
                "Permohonan ini baru saja diubah oleh pengguna lain. Muat ulang halaman "
                "dan periksa keadaannya sebelum melanjutkan."
            )
        ) from None


# --- verbs ----------------------------------------------------------------------------------------


def district_of(data: dict) -> str | None:
    """The district a submission names (its ``kecamatan``), as the statistics count it."""
    text = " ".join(str(data.get("kecamatan") or "").split())
    return text.title()[:100] or None


def _check_applicant(
    session: Session, services: Services, permit_type: PermitType, applicant: User, now: datetime
) -> None:
    """The applicant's identity with the population registry, unless it already matched. Only a
    registry's "no" stops a permit type that requires a match; silence never stops anyone."""
    status = applicant.identity_status
    if status != identity.MATCHED:
        status = identity.check_identity(
            session, services.connectors, applicant, Asker(f"pengajuan {permit_type.name}", actor_id=applicant.id), now
        )
    if permit_type.requires_identity_match and status not in (identity.MATCHED, identity.PENDING):
        raise ValidationFailed(
            Phrase(
                "%(identity)s. Permohonan %(name)s mensyaratkan identitas yang cocok dengan Dukcapil: periksa nama, NIK dan tanggal lahir pada profil akun Anda, atau datang ke loket pelayanan dengan KTP asli.",
                identity=identity.describe(applicant),
                name=permit_type.name,
            ),
            {"identitas": identity.describe(applicant)},
        )


def submit_application(
    session: Session,
    services: Services,
    permit_type: PermitType,
    applicant: User,
    raw: dict,
    uploads: list[Upload],
    now: datetime | None = None,
) -> Application:
    """An applicant submits a new application of ``permit_type`` with its form and files.

    Effects: the application row on the published process version, its registration number,
    the attachments, the first staff work item, audit ``submitted``.
    Errors: ``PermissionDenied`` (not an applicant), ``ValidationFailed``, ``NotFound``.
    """
    now = now or utcnow()
    if not applicant.has_role(APPLICANT):
        raise PermissionDenied(Phrase("Hanya akun Pemohon yang dapat mengajukan permohonan."))
    version = published_version(session, permit_type)
    _check_applicant(session, services, permit_type, applicant, now)
    start = start_task_of(version)
    workflow = runtime.new_workflow(specs_for(version), now)
    first = runtime.ready_user_tasks(workflow)[0]
    task = runtime.find_ready(workflow, first.task_id)
    application = Application(
        permit_type_id=permit_type.id,
        process_version_id=version.id,
        applicant_id=applicant.id,
        status="diproses",
        workflow_json="",
        created_at=now,
        summary={},
    )
    application.process_version = version
    session.add(application)
    session.flush()
    form = form_of(version, start.form_schema, start.form_ui)
    data = accept_form(session, services, application, form, raw, uploads, {}, applicant, first.task_id, now)
    data.update(pemohon_nama=applicant.name, pemohon_nik=applicant.nik or "", pemohon_email=applicant.email)
    runtime.complete(workflow, task, data, now)
    year = local(now, services.calendar.zone).year
    application.district = district_of(data)
    application.reg_number = (
        f"{permit_type.prefix}-{year}-{next_value(session, f'reg:{permit_type.prefix}:{year}'):06d}"
    )
    application.submitted_at = now
    after_step(session, services, application, workflow, applicant, now, issued_before=set())
    events.submitted(session, services, application, now)
    record(
        session,
        "submitted",
        actor=applicant,
        application=application,
        now=now,
        summary=summarize({k: v for k, v in data.items() if not k.startswith("pemohon_")}),
    )
    flush_or_conflict(session)
    return application
