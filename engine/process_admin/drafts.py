"""A permit type's draft process: opening it from the published version, saving its files,
validating, trying it in a dry run, publishing, rolling back, and comparing versions. The permit
types themselves are in ``catalog``, the archive between agencies in ``exchange``.

Every verb here takes the acting user, checks the ``manage_processes`` permission and writes the
audit trail (who, when, and a diff of what changed) in the caller's transaction.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, ProcessDefinitionError, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import APPLICANT
from engine.process_admin.catalog import metadata_of, published_of, require_process_admin
from engine.process_admin.diagram_import import read_diagram
from engine.process_admin.models import ProcessDraft
from engine.workflow import runtime
from engine.workflow.definitions import content_hash, diagram_name, publish_bundle
from engine.workflow.file_lint import lint_form_file, lint_template
from engine.workflow.models import Application, PermitType, ProcessVersion
from engine.workflow.runtime import ProcessRunError
from engine.workflow.specs import ParsedProcess, parse_bundle

FILE_NAME = re.compile(r"^(?:[\w.-]+\.(?:bpmn|dmn)|forms/[\w-]+/[\w.-]+\.json|templates/[\w.-]+\.json)$")
_DIFF_LINES = 80


def _lines(text: str | None) -> list[str]:
    return (text or "").splitlines()


def file_diff(before: str | None, after: str | None, name: str, limit: int | None = None) -> list[str]:
    lines = list(difflib.unified_diff(_lines(before), _lines(after), f"a/{name}", f"b/{name}", lineterm="", n=2))
    if limit is not None and len(lines) > limit:
        lines = lines[:limit] + [f"… {len(lines) - limit} baris lagi"]
    return lines


# --- trying a draft ---------------------------------------------------------------------------------


def dry_run_draft(
    session: Session, actor: User, permit_type: PermitType, files: dict, samples: dict, now: datetime | None = None
):
    """Run the draft on sample data (nothing is stored but the audit row: who tried what, and how
    it ended)."""
    from engine.workflow import dry_run

    require_process_admin(actor)
    report = dry_run.run(files, samples)
    record(
        session,
        "dry_run",
        actor=actor,
        now=now,
        summary={
            "permit_type": permit_type.code,
            "langkah": len(report.steps),
            "hasil": report.outcome,
            "berhenti": (report.stopped or "")[:200],
            "temuan": len(report.findings),
        },
    )
    return report


# --- drafts ---------------------------------------------------------------------------------------


def version_files(session: Session, version: ProcessVersion) -> dict[str, str]:
    return session.scalar(select(ProcessVersion.files).where(ProcessVersion.id == version.id))


def version_by_number(session: Session, permit_type: PermitType, number: int) -> ProcessVersion:
    version = session.scalar(
        select(ProcessVersion).where(ProcessVersion.permit_type_id == permit_type.id, ProcessVersion.number == number)
    )
    if version is None:
        raise NotFound(Phrase("Versi %(number)s tidak ada.", number=number))
    return version


def draft_of(session: Session, permit_type: PermitType) -> ProcessDraft | None:
    return session.scalar(select(ProcessDraft).where(ProcessDraft.permit_type_id == permit_type.id))


def require_draft(session: Session, actor: User, permit_type: PermitType) -> ProcessDraft:
    """The draft an editing verb works on, after the permission check. Errors: PermissionDenied, NotFound."""
    require_process_admin(actor)
    draft = draft_of(session, permit_type)
    if draft is None:
        raise NotFound(Phrase("Belum ada draf; buka draf terlebih dahulu."))
    return draft


def draft_type_ids(session: Session) -> set[int]:
    return set(session.scalars(select(ProcessDraft.permit_type_id)))


def open_draft(session: Session, actor: User, permit_type: PermitType, now: datetime | None = None) -> ProcessDraft:
    """The draft being edited, or a new one copied from the published version."""
    now = now or utcnow()
    require_process_admin(actor)
    draft = draft_of(session, permit_type)
    if draft is not None:
        return draft
    base = published_of(permit_type)
    if base is None:
        raise NotFound(Phrase("Jenis izin ini belum memiliki versi proses untuk disalin."))
    draft = ProcessDraft(
        permit_type_id=permit_type.id,
        base_version_id=base.id,
        files=dict(version_files(session, base)),
        updated_at=now,
        updated_by_id=actor.id,
    )
    session.add(draft)
    record(
        session,
        "draft_opened",
        actor=actor,
        now=now,
        summary={"permit_type": permit_type.code, "dari_versi": base.number},
    )
    session.flush()
    return draft


def save_draft_files(
    session: Session, actor: User, permit_type: PermitType, changes: dict[str, str | None], now: datetime | None = None
) -> ProcessDraft:
    """Write (or, with ``None``, delete) files of the draft. Forms (as JSON Schema) and document
    templates are checked before they are kept; diagrams may be saved unfinished and are judged by ``validate``.

    Errors: PermissionDenied, NotFound (no draft), ValidationFailed (file name -> message).
    """
    now = now or utcnow()
    draft = require_draft(session, actor, permit_type)
    errors = {}
    for name, text in changes.items():
        if not FILE_NAME.match(name) or ".." in name:
            errors[name] = Phrase(
                "Nama berkas tidak diizinkan (BPMN, DMN, forms/<folder>/<nama>.json, templates/<nama>.json)."
            )
        elif text is not None and name.startswith(("forms/", "templates/")):
            problems = lint_form_file(name, text) if name.startswith("forms/") else lint_template(text)
            if problems:
                errors[name] = "; ".join(problems)
        elif text is not None and len(text) > 1_000_000:
            errors[name] = Phrase("Berkas terlalu besar (maks. 1 MB).")
    if errors:
        raise ValidationFailed(Phrase("Draf belum disimpan."), errors)
    files = dict(draft.files)
    diff = {}
    for name, text in changes.items():
        if files.get(name) == text:
            continue
        diff[name] = file_diff(files.get(name), text, name, _DIFF_LINES)
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    if diff:
        draft.files = files  # a new dict, so the JSON column is written
        draft.updated_at, draft.updated_by_id = now, actor.id
        record(session, "draft_changed", actor=actor, now=now, summary={"permit_type": permit_type.code, "diff": diff})
    return draft


def replace_diagram(
    session: Session, actor: User, permit_type: PermitType, data: bytes, now: datetime | None = None
) -> list[tuple[str, str]]:
    """Replace the draft's diagram: as saved by the editor, or a BPMN file made in another modeler.
    A file the editor could not open again is refused, so a draft is never left uneditable. Returns
    notes on what of another engine is not read here; validation findings come from ``validate``.

    Errors: PermissionDenied, NotFound (no draft), ProcessDefinitionError (refused with findings;
    the draft is unchanged).
    """
    name = diagram_name(require_draft(session, actor, permit_type).files)
    text, refusals, notes = read_diagram(data, name)
    if refusals:
        raise ProcessDefinitionError(Phrase("Diagram tidak diimpor"), refusals)
    save_draft_files(session, actor, permit_type, {name: text}, now)
    return notes


def discard_draft(session: Session, actor: User, permit_type: PermitType, now: datetime | None = None) -> None:
    now = now or utcnow()
    require_process_admin(actor)
    draft = draft_of(session, permit_type)
    if draft is None:
        return
    if not permit_type.versions:
        raise ValidationFailed(Phrase("Draf pertama jenis izin baru tidak dapat dibuang."), {})
    session.delete(draft)
    record(session, "draft_discarded", actor=actor, now=now, summary={"permit_type": permit_type.code})


_FINDINGS: dict[str, list[tuple[str, str]]] = {}
_FINDINGS_KEPT = 64


def validate(files: dict[str, str]) -> list[tuple[str, str]]:
    """Findings (element id or file name, plain message); an empty list means publishable.

    A full parse costs tens of milliseconds and pages ask again on every view, so findings are
    kept per content hash (the same files always give the same findings)."""
    key = content_hash(files)
    findings = _FINDINGS.get(key)
    if findings is None:
        try:
            findings = _start_findings(parse_bundle(files))
        except ProcessDefinitionError as exc:
            findings = list(exc.findings)
        except Exception as exc:  # noqa: BLE001 - no diagram may break the page that shows it: it is a finding
            findings = [
                (
                    "(proses)",
                    Phrase(
                        "diagram tidak dapat diperiksa (%(error)s); perbaiki atau ganti diagramnya",
                        error=type(exc).__name__,
                    ),
                )
            ]
        if len(_FINDINGS) >= _FINDINGS_KEPT:
            _FINDINGS.pop(next(iter(_FINDINGS)))
        _FINDINGS[key] = findings
    return list(findings)


def _start_findings(parsed: ParsedProcess) -> list[tuple[str, str]]:
    """A permit type is applied for through its first task: it must be the Pemohon's form."""
    try:
        ready = runtime.ready_user_tasks(runtime.new_workflow(parsed, utcnow()))
    except ProcessRunError as exc:
        return [(parsed.process_id, Phrase("proses gagal dimulai: %(message)s", message=exc.message))]
    if not ready:
        return [(parsed.process_id, Phrase("proses tidak sampai ke tugas pengguna mana pun"))]
    if ready[0].role != APPLICANT:
        return [
            (
                ready[0].spec_name,
                Phrase(
                    "tugas pertama harus formulir permohonan di lajur Pemohon; tanpa itu permohonan tidak dapat diajukan"
                ),
            )
        ]
    return []


def _publish(
    session: Session, metadata: dict, files: dict[str, str], actor: User, now: datetime, refusal: str
) -> ProcessVersion:
    """``publish_bundle`` (it parses before it stores anything) after ``validate``, its refusal worded
    for the caller."""
    findings = validate(files)
    if findings:
        raise ProcessDefinitionError(refusal, findings)
    try:
        return publish_bundle(session, metadata, files, actor=actor, now=now)
    except ProcessDefinitionError as exc:
        raise ProcessDefinitionError(refusal, exc.findings) from None


def publish_draft(
    session: Session, actor: User, permit_type: PermitType, now: datetime | None = None
) -> ProcessVersion:
    """Publish the draft as the next version: new applications use it, running ones keep theirs.

    Errors: PermissionDenied, NotFound, ProcessDefinitionError (findings; nothing published).
    """
    now = now or utcnow()
    require_process_admin(actor)
    draft = draft_of(session, permit_type)
    if draft is None:
        raise NotFound(Phrase("Tidak ada draf untuk diterbitkan."))
    files = dict(draft.files)
    previous = published_of(permit_type)
    version = _publish(session, metadata_of(permit_type), files, actor, now, Phrase("Draf belum dapat diterbitkan"))
    record(
        session,
        "draft_published",
        actor=actor,
        now=now,
        summary={
            "permit_type": permit_type.code,
            "versi": version.number,
            "sebelumnya": previous.number if previous else None,
            "diff": _bundle_diff(version_files(session, previous) if previous else {}, files),
        },
    )
    session.delete(draft)
    permit_type.active = True
    session.flush()
    return version


def roll_back(
    session: Session, actor: User, permit_type: PermitType, number: int, now: datetime | None = None
) -> ProcessVersion:
    """Publish an earlier version again; applications keep the version they started on."""
    now = now or utcnow()
    require_process_admin(actor)
    target = version_by_number(session, permit_type, number)
    current = published_of(permit_type)
    if current is not None and current.id == target.id:
        return target
    for version in permit_type.versions:
        version.published = version.id == target.id
    record(
        session,
        "process_rolled_back",
        actor=actor,
        now=now,
        summary={
            "permit_type": permit_type.code,
            "dari_versi": current.number if current else None,
            "ke_versi": number,
        },
    )
    session.flush()
    return target


def running_counts(session: Session, permit_type: PermitType) -> dict[int, int]:
    """Open applications per process version number."""
    return dict(
        session.execute(
            select(ProcessVersion.number, func.count(Application.id))
            .join(Application, Application.process_version_id == ProcessVersion.id)
            .where(
                ProcessVersion.permit_type_id == permit_type.id, Application.status.in_(("diproses", "dikembalikan"))
            )
            .group_by(ProcessVersion.number)
        ).all()
    )


# --- comparing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileChange:
    name: str
    status: str  # "ditambah", "dihapus", "diubah"
    lines: list[str]


def compare(before: dict[str, str], after: dict[str, str]) -> list[FileChange]:
    changes = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) == after.get(name):
            continue
        status = "ditambah" if name not in before else "dihapus" if name not in after else "diubah"
        changes.append(FileChange(name, status, file_diff(before.get(name), after.get(name), name)))
    return changes


def _bundle_diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {c.name: c.lines[:_DIFF_LINES] for c in compare(before, after)}
