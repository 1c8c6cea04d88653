"""Process administration: permit types as data, drafts, validation, publish, roll back, compare,
and the archive one agency hands another.

Every verb here takes the acting user, checks the ``manage_processes`` permission and writes the
audit trail (who, when, and a diff of what changed) in the caller's transaction.
"""
from __future__ import annotations

import difflib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, ProcessDefinitionError, ValidationFailed
from engine.core.roles import APPLICANT, may
from engine.process_admin.diagram_import import read_diagram
from engine.process_admin.models import ProcessDraft
from engine.process_admin.starter import starter_bundle
from engine.workflow import runtime
from engine.workflow.definitions import _METADATA_FIELDS, content_hash, diagram_name, publish_bundle
from engine.workflow.models import Application, PermitType, ProcessVersion
from engine.workflow.runtime import ProcessRunError
from engine.workflow.specs import ParsedProcess, lint_form_file, lint_template, parse_bundle

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{2,39}$")
PREFIX_PATTERN = re.compile(r"^[A-Z]{2,6}$")
FILE_NAME = re.compile(r"^(?:[\w.-]+\.(?:bpmn|dmn)|forms/[\w-]+/[\w.-]+\.json|templates/[\w.-]+\.json)$")
SIGNING_MODES = ("elektronik", "manual")
MAX_ARCHIVE_MEMBERS = 200
MAX_ARCHIVE_BYTES = 5 * 1024 * 1024
_DIFF_LINES = 80


def _require(actor: User | None) -> None:
    if actor is None or not may(actor.role_names, "manage_processes"):
        raise PermissionDenied("Hanya Admin Proses yang dapat mengubah jenis izin dan prosesnya.")


def _lines(text: str | None) -> list[str]:
    return (text or "").splitlines()


def file_diff(before: str | None, after: str | None, name: str, limit: int | None = None) -> list[str]:
    lines = list(difflib.unified_diff(_lines(before), _lines(after), f"a/{name}", f"b/{name}", lineterm="", n=2))
    if limit is not None and len(lines) > limit:
        lines = lines[:limit] + [f"… {len(lines) - limit} baris lagi"]
    return lines


# --- permit types ---------------------------------------------------------------------------------

def metadata_of(permit_type: PermitType) -> dict:
    """The permit type's data as stored in ``permit.json`` of a bundle or an archive."""
    return {"code": permit_type.code, **{f: getattr(permit_type, f) for f in _METADATA_FIELDS}}


def _clean_metadata(values: dict, creating: bool) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    out: dict = {}
    if creating:
        code = (values.get("code") or "").strip().lower()
        if not CODE_PATTERN.match(code):
            errors["code"] = "Kode 3–40 karakter: huruf kecil, angka dan tanda hubung, diawali huruf."
        out["code"] = code
    if "prefix" in values or creating:
        prefix = (values.get("prefix") or "").strip().upper()
        if not PREFIX_PATTERN.match(prefix):
            errors["prefix"] = "Awalan nomor registrasi 2–6 huruf kapital, misalnya IMB."
        out["prefix"] = prefix
    if "name" in values or creating:
        name = " ".join((values.get("name") or "").split())
        if not 3 <= len(name) <= 200:
            errors["name"] = "Nama jenis izin 3–200 karakter."
        out["name"] = name
    for key in ("description", "legal_basis", "cost_note"):
        if key in values:
            out[key] = (values.get(key) or "").strip()[:4000]
    if "unit" in values:  # the agency's own organisation, so not part of an exported permit type
        out["unit"] = " ".join((values.get("unit") or "").split())[:100] or None
    for key in ("requirements", "procedure"):
        if key in values:
            raw = values[key]
            items = raw if isinstance(raw, list) else (raw or "").splitlines()
            out[key] = [" ".join(str(i).split()) for i in items if str(i).strip()][:40]
    if "sla_working_days" in values or creating:
        try:
            days = int(values.get("sla_working_days"))
            if not 1 <= days <= 120:
                raise ValueError
            out["sla_working_days"] = days
        except (TypeError, ValueError):
            errors["sla_working_days"] = "Waktu layanan 1–120 hari kerja."
    if "signing_mode" in values or creating:
        mode = values.get("signing_mode") or "elektronik"
        if mode not in SIGNING_MODES:
            errors["signing_mode"] = "Pilih cara penandatanganan."
        out["signing_mode"] = mode
    if "has_retribution" in values or creating:
        out["has_retribution"] = values.get("has_retribution") in (True, "true", "on", "1", "ya")
    return out, errors


def create_permit_type(session: Session, actor: User, values: dict, forms_dir: Path, templates_dir: Path,
                       now: datetime | None = None) -> PermitType:
    """A new permit type, not yet offered, with a first draft of the usual service flow to edit.

    Errors: PermissionDenied, ValidationFailed (field -> message).
    """
    now = now or utcnow()
    _require(actor)
    data, errors = _clean_metadata(values, creating=True)
    if "code" not in errors and session.scalar(select(PermitType.id).where(PermitType.code == data["code"])):
        errors["code"] = "Kode ini sudah dipakai jenis izin lain."
    if "prefix" not in errors and session.scalar(select(PermitType.id).where(PermitType.prefix == data["prefix"])):
        errors["prefix"] = "Awalan ini sudah dipakai jenis izin lain."
    if errors:
        raise ValidationFailed("Jenis izin belum dapat dibuat.", errors)
    permit_type = PermitType(active=False, sla_stages={}, validity={}, **data)
    session.add(permit_type)
    session.flush()
    files = starter_bundle(data["code"], data["name"], data.get("requirements", []), data["has_retribution"],
                           forms_dir, templates_dir)
    session.add(ProcessDraft(permit_type_id=permit_type.id, files=files, updated_at=now, updated_by_id=actor.id))
    record(session, "permit_type_created", actor=actor, now=now, summary={"permit_type": data["code"], **{
        k: v for k, v in data.items() if k != "code"}})
    session.flush()
    return permit_type


def update_permit_type(session: Session, actor: User, permit_type: PermitType, values: dict,
                       now: datetime | None = None) -> dict:
    """Change the permit type's data; returns the changed fields as {field: [before, after]}."""
    now = now or utcnow()
    _require(actor)
    data, errors = _clean_metadata(values, creating=False)
    if "prefix" not in errors and data.get("prefix") and session.scalar(select(PermitType.id).where(
            PermitType.prefix == data["prefix"], PermitType.id != permit_type.id)):
        errors["prefix"] = "Awalan ini sudah dipakai jenis izin lain."
    if errors:
        raise ValidationFailed("Perubahan jenis izin belum dapat disimpan.", errors)
    changed = {k: [getattr(permit_type, k), v] for k, v in data.items() if getattr(permit_type, k) != v}
    for key, (_before, after) in changed.items():
        setattr(permit_type, key, after)
    if changed:
        record(session, "permit_type_changed", actor=actor, now=now,
               summary={"permit_type": permit_type.code, "perubahan": changed})
    return changed


def dry_run_draft(session: Session, actor: User, permit_type: PermitType, files: dict, samples: dict,
                  now: datetime | None = None):
    """Run the draft on sample data (nothing is stored but the audit row: who tried what, and how
    it ended)."""
    from engine.workflow import dry_run

    _require(actor)
    report = dry_run.run(files, samples)
    record(session, "dry_run", actor=actor, now=now,
           summary={"permit_type": permit_type.code, "langkah": len(report.steps), "hasil": report.outcome,
                    "berhenti": (report.stopped or "")[:200], "temuan": len(report.findings)})
    return report


def set_active(session: Session, actor: User, permit_type: PermitType, active: bool,
               now: datetime | None = None) -> PermitType:
    """Retire a permit type (no new applications; running ones go on) or offer it again."""
    now = now or utcnow()
    _require(actor)
    if active and published_of(permit_type) is None:
        raise ValidationFailed("Jenis izin belum memiliki proses yang diterbitkan.",
                               {"active": "Terbitkan prosesnya terlebih dahulu."})
    if permit_type.active != active:
        permit_type.active = active
        record(session, "permit_type_offered" if active else "permit_type_retired", actor=actor, now=now,
               summary={"permit_type": permit_type.code})
    return permit_type


def published_of(permit_type: PermitType) -> ProcessVersion | None:
    return next((v for v in permit_type.versions if v.published), None)


def permit_types(session: Session) -> list[PermitType]:
    return list(session.scalars(select(PermitType).order_by(PermitType.name)))


def permit_type_for_admin(session: Session, code: str) -> PermitType:
    permit_type = session.scalar(select(PermitType).where(PermitType.code == code))
    if permit_type is None:
        raise NotFound("Jenis izin tidak ditemukan.")
    return permit_type


# --- drafts ---------------------------------------------------------------------------------------

def version_files(session: Session, version: ProcessVersion) -> dict[str, str]:
    return session.scalar(select(ProcessVersion.files).where(ProcessVersion.id == version.id))


def version_by_number(session: Session, permit_type: PermitType, number: int) -> ProcessVersion:
    version = session.scalar(select(ProcessVersion).where(
        ProcessVersion.permit_type_id == permit_type.id, ProcessVersion.number == number))
    if version is None:
        raise NotFound(f"Versi {number} tidak ada.")
    return version


def draft_of(session: Session, permit_type: PermitType) -> ProcessDraft | None:
    return session.scalar(select(ProcessDraft).where(ProcessDraft.permit_type_id == permit_type.id))


def require_draft(session: Session, actor: User, permit_type: PermitType) -> ProcessDraft:
    """The draft an editing verb works on, after the permission check. Errors: PermissionDenied, NotFound."""
    _require(actor)
    draft = draft_of(session, permit_type)
    if draft is None:
        raise NotFound("Belum ada draf; buka draf terlebih dahulu.")
    return draft


def draft_type_ids(session: Session) -> set[int]:
    return set(session.scalars(select(ProcessDraft.permit_type_id)))


def open_draft(session: Session, actor: User, permit_type: PermitType, now: datetime | None = None) -> ProcessDraft:
    """The draft being edited, or a new one copied from the published version."""
    now = now or utcnow()
    _require(actor)
    draft = draft_of(session, permit_type)
    if draft is not None:
        return draft
    base = published_of(permit_type)
    if base is None:
        raise NotFound("Jenis izin ini belum memiliki versi proses untuk disalin.")
    draft = ProcessDraft(permit_type_id=permit_type.id, base_version_id=base.id,
                         files=dict(version_files(session, base)), updated_at=now, updated_by_id=actor.id)
    session.add(draft)
    record(session, "draft_opened", actor=actor, now=now,
           summary={"permit_type": permit_type.code, "dari_versi": base.number})
    session.flush()
    return draft


def save_draft_files(session: Session, actor: User, permit_type: PermitType, changes: dict[str, str | None],
                     now: datetime | None = None) -> ProcessDraft:
    """Write (or, with ``None``, delete) files of the draft. Forms (as JSON Schema) and document
    templates are checked before they are kept; diagrams may be saved unfinished and are judged by ``validate``.

    Errors: PermissionDenied, NotFound (no draft), ValidationFailed (file name -> message).
    """
    now = now or utcnow()
    draft = require_draft(session, actor, permit_type)
    errors = {}
    for name, text in changes.items():
        if not FILE_NAME.match(name) or ".." in name:
            errors[name] = "Nama berkas tidak diizinkan (BPMN, DMN, forms/<folder>/<nama>.json, templates/<nama>.json)."
        elif text is not None and name.startswith(("forms/", "templates/")):
            problems = lint_form_file(name, text) if name.startswith("forms/") else lint_template(text)
            if problems:
                errors[name] = "; ".join(problems)
        elif text is not None and len(text) > 1_000_000:
            errors[name] = "Berkas terlalu besar (maks. 1 MB)."
    if errors:
        raise ValidationFailed("Draf belum disimpan.", errors)
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


def replace_diagram(session: Session, actor: User, permit_type: PermitType, data: bytes,
                    now: datetime | None = None) -> list[tuple[str, str]]:
    """Replace the draft's diagram: as saved by the editor, or a BPMN file made in another modeler.
    A file the editor could not open again is refused, so a draft is never left uneditable. Returns
    notes on what of another engine is not read here; validation findings come from ``validate``.

    Errors: PermissionDenied, NotFound (no draft), ProcessDefinitionError (refused with findings;
    the draft is unchanged).
    """
    name = diagram_name(require_draft(session, actor, permit_type).files)
    text, refusals, notes = read_diagram(data, name)
    if refusals:
        raise ProcessDefinitionError("Diagram tidak diimpor", refusals)
    save_draft_files(session, actor, permit_type, {name: text}, now)
    return notes


def discard_draft(session: Session, actor: User, permit_type: PermitType, now: datetime | None = None) -> None:
    now = now or utcnow()
    _require(actor)
    draft = draft_of(session, permit_type)
    if draft is None:
        return
    if not permit_type.versions:
        raise ValidationFailed("Draf pertama jenis izin baru tidak dapat dibuang.", {})
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
        except Exception as exc:  # no diagram may break the page that shows it: it is a finding
            findings = [("(proses)", f"diagram tidak dapat diperiksa ({type(exc).__name__}); perbaiki atau "
                                     f"ganti diagramnya")]
        if len(_FINDINGS) >= _FINDINGS_KEPT:
            _FINDINGS.pop(next(iter(_FINDINGS)))
        _FINDINGS[key] = findings
    return list(findings)


def _start_findings(parsed: ParsedProcess) -> list[tuple[str, str]]:
    """A permit type is applied for through its first task: it must be the Pemohon's form."""
    try:
        ready = runtime.ready_user_tasks(runtime.new_workflow(parsed, utcnow()))
    except ProcessRunError as exc:
        return [(parsed.process_id, f"proses gagal dimulai: {exc.message}")]
    if not ready:
        return [(parsed.process_id, "proses tidak sampai ke tugas pengguna mana pun")]
    if ready[0].role != APPLICANT:
        return [(ready[0].spec_name, "tugas pertama harus formulir permohonan di lajur Pemohon; tanpa itu "
                                     "permohonan tidak dapat diajukan")]
    return []


def _publish(session: Session, metadata: dict, files: dict[str, str], actor: User, now: datetime,
             refusal: str) -> ProcessVersion:
    """``publish_bundle`` (it parses before it stores anything) after ``validate``, its refusal worded
    for the caller."""
    findings = validate(files)
    if findings:
        raise ProcessDefinitionError(refusal, findings)
    try:
        return publish_bundle(session, metadata, files, actor=actor, now=now)
    except ProcessDefinitionError as exc:
        raise ProcessDefinitionError(refusal, exc.findings) from None


def publish_draft(session: Session, actor: User, permit_type: PermitType, now: datetime | None = None) -> ProcessVersion:
    """Publish the draft as the next version: new applications use it, running ones keep theirs.

    Errors: PermissionDenied, NotFound, ProcessDefinitionError (findings; nothing published).
    """
    now = now or utcnow()
    _require(actor)
    draft = draft_of(session, permit_type)
    if draft is None:
        raise NotFound("Tidak ada draf untuk diterbitkan.")
    files = dict(draft.files)
    previous = published_of(permit_type)
    version = _publish(session, metadata_of(permit_type), files, actor, now, "Draf belum dapat diterbitkan")
    record(session, "draft_published", actor=actor, now=now, summary={
        "permit_type": permit_type.code, "versi": version.number,
        "sebelumnya": previous.number if previous else None,
        "diff": _bundle_diff(version_files(session, previous) if previous else {}, files)})
    session.delete(draft)
    permit_type.active = True
    session.flush()
    return version


def roll_back(session: Session, actor: User, permit_type: PermitType, number: int,
              now: datetime | None = None) -> ProcessVersion:
    """Publish an earlier version again; applications keep the version they started on."""
    now = now or utcnow()
    _require(actor)
    target = version_by_number(session, permit_type, number)
    current = published_of(permit_type)
    if current is not None and current.id == target.id:
        return target
    for version in permit_type.versions:
        version.published = version.id == target.id
    record(session, "process_rolled_back", actor=actor, now=now, summary={
        "permit_type": permit_type.code, "dari_versi": current.number if current else None, "ke_versi": number})
    session.flush()
    return target


def running_counts(session: Session, permit_type: PermitType) -> dict[int, int]:
    """Open applications per process version number."""
    return dict(session.execute(select(ProcessVersion.number, func.count(Application.id)).join(
        Application, Application.process_version_id == ProcessVersion.id).where(
        ProcessVersion.permit_type_id == permit_type.id, Application.status.in_(("diproses", "dikembalikan")))
        .group_by(ProcessVersion.number)).all())


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


# --- archive ----------------------------------------------------------------------------------------

def export_archive(session: Session, permit_type: PermitType, version: ProcessVersion | None = None) -> bytes:
    """A zip of ``permit.json`` and every file of the (published) version."""
    version = version or published_of(permit_type)
    if version is None:
        raise NotFound("Jenis izin ini belum memiliki versi yang diterbitkan.")
    files = version_files(session, version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("permit.json", json.dumps(metadata_of(permit_type), ensure_ascii=False, indent=2))
        archive.writestr("manifest.json", json.dumps({"content_hash": content_hash(files), "files": sorted(files)},
                                                     indent=2))
        for name in sorted(files):
            archive.writestr(f"bundle/{name}", files[name])
    return buffer.getvalue()


_ARCHIVE_TYPES = {"prefix": str, "name": str, "description": str, "legal_basis": str, "cost_note": str,
                  "signing_mode": str, "deadline_policy": str, "has_retribution": bool, "sla_working_days": int,
                  "sla_warning_ratio": (int, float), "requirements": list, "procedure": list, "validity": dict,
                  "sla_stages": dict}


def _archive_metadata(metadata: dict) -> dict:
    """The permit type's data from an archive, each field of the type it must have (others dropped)."""
    out = {}
    for field, kind in _ARCHIVE_TYPES.items():
        value = metadata.get(field)
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            if isinstance(value, str):
                value = value[:2000]
            if isinstance(value, list):
                value = [str(v)[:500] for v in value][:50]
            out[field] = value
    if out.get("signing_mode") not in SIGNING_MODES:
        out.pop("signing_mode", None)
    if out.get("deadline_policy") not in ("eskalasi", "fiktif_positif"):
        out.pop("deadline_policy", None)
    return out


class _Budget:
    """Reads zip members as streams, never trusting the sizes the archive declares: a member
    that expands past its share, or all of them past the total, stops the read at once."""

    CHUNK = 64 * 1024

    def __init__(self, total: int):
        self.left = total

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        # Our export deflates. bzip2 and LZMA are refused: one small read of theirs can expand to
        # gigabytes before the stream returns, where deflate stops at the size asked for.
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise ValidationFailed("Arsip memakai kompresi atau enkripsi yang tidak didukung.", {
                "arsip": "Unggah berkas .zip hasil ekspor PTSP-el (kompresi deflate, tanpa sandi)."})
        limit = min(MAX_ARCHIVE_BYTES, self.left)
        out = bytearray()
        with archive.open(info) as stream:
            while chunk := stream.read(self.CHUNK):
                out += chunk
                if len(out) > limit:
                    raise ValidationFailed("Arsip terlalu besar setelah dibuka.", {
                        "arsip": "Isi arsip melebihi batas ukuran; unggah hasil ekspor PTSP-el yang asli."})
        self.left -= len(out)
        return bytes(out)


def import_archive(session: Session, actor: User, data: bytes, now: datetime | None = None) -> ProcessDraft:
    """Read an exported archive into a draft for the admin to review: the draft of a new permit type
    (not yet offered, with the archive's data) or the next draft of an existing one (its data kept).
    Nothing is published: an archive comes from elsewhere, so only the admin's publish, after the
    findings, the comparison with the current version and the scripts, makes it live.

    Errors: PermissionDenied, ValidationFailed (not a usable archive).
    """
    now = now or utcnow()
    _require(actor)
    refused = ValidationFailed("Arsip jenis izin tidak dapat dibaca.", {
        "arsip": "Unggah berkas .zip hasil ekspor jenis izin dari PTSP-el."})
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ValidationFailed("Arsip terlalu besar.", {"arsip": "Ukuran arsip paling besar 5 MB."})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise ValidationFailed("Arsip memuat terlalu banyak berkas.", {
                    "arsip": f"Paling banyak {MAX_ARCHIVE_MEMBERS} berkas."})
            budget = _Budget(4 * MAX_ARCHIVE_BYTES)
            metadata = json.loads(budget.read(archive, archive.getinfo("permit.json")).decode("utf-8"))
            files = {}
            for info in members:
                name = str(PurePosixPath(info.filename))
                if name.startswith("bundle/") and not info.is_dir():
                    inner = name[len("bundle/"):]
                    if not FILE_NAME.match(inner) or ".." in inner:
                        raise ValidationFailed("Arsip memuat berkas yang tidak diizinkan.", {"arsip": inner})
                    files[inner] = budget.read(archive, info).decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, ValueError, NotImplementedError, EOFError,
            OSError, RuntimeError):
        raise refused from None
    if not isinstance(metadata, dict) or not CODE_PATTERN.match(str(metadata.get("code", ""))):
        raise refused
    if not any(name.endswith(".bpmn") for name in files):
        raise ValidationFailed("Arsip tidak memuat diagram proses.", {"arsip": "Tidak ada berkas .bpmn di bundle/."})
    permit_type = session.scalar(select(PermitType).where(PermitType.code == metadata["code"]))
    created = permit_type is None
    if created:
        values = _archive_metadata(metadata)
        if not values.get("name") or not PREFIX_PATTERN.match(values.get("prefix") or ""):
            raise ValidationFailed("Arsip tidak lengkap.", {"arsip": "permit.json harus memuat nama dan awalan."})
        if session.scalar(select(PermitType.id).where(PermitType.prefix == values["prefix"])):
            raise ValidationFailed("Awalan nomor registrasi dalam arsip sudah dipakai jenis izin lain.",
                                   {"arsip": values["prefix"]})
        permit_type = PermitType(code=metadata["code"], active=False, **{"sla_stages": {}, "validity": {}, **values})
        session.add(permit_type)
        session.flush()
    draft = draft_of(session, permit_type)
    if draft is None:
        base = published_of(permit_type)
        draft = ProcessDraft(permit_type_id=permit_type.id, base_version_id=base.id if base else None, files={},
                             updated_at=now, updated_by_id=actor.id)
        session.add(draft)
    draft.files, draft.updated_at, draft.updated_by_id = files, now, actor.id
    session.flush()
    record(session, "permit_type_imported", actor=actor, now=now, summary={
        "permit_type": permit_type.code, "baru": created, "berkas": sorted(files), "hash": content_hash(files)[:12],
        "temuan": len(validate(files))})
    return draft
