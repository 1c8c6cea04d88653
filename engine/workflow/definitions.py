"""Permit types and their process versions: reading bundles from disk, storing them as data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, ProcessDefinitionError
from engine.core.localtime import Phrase
from engine.workflow.diagram_terms import FORM_SCHEMA_PROP, FORM_UI_PROP, NS
from engine.workflow.models import PermitType, ProcessVersion
from engine.workflow.spec_cache import SPECS
from engine.workflow.specs import ParsedProcess, parse_bundle

if TYPE_CHECKING:  # accounts sit above this domain; the type is only named
    from engine.accounts.models import User

_METADATA_FIELDS = (
    "prefix",
    "name",
    "description",
    "legal_basis",
    "has_retribution",
    "sla_working_days",
    "requirements",
    "procedure",
    "cost_note",
    "signing_mode",
    "validity",
    "sla_stages",
    "sla_warning_ratio",
    "deadline_policy",
)


def content_hash(files: dict[str, str]) -> str:
    blob = json.dumps(files, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def _form_refs(bpmn_text: str) -> set[str]:
    try:
        root = etree.fromstring(bpmn_text.encode("utf-8"))
    except etree.XMLSyntaxError:
        return set()  # the linter reports it with the file name
    refs = set()
    for prop in root.iterfind(".//spiffworkflow:property", NS):
        if prop.get("name") in (FORM_SCHEMA_PROP, FORM_UI_PROP) and prop.get("value"):
            refs.add(prop.get("value"))
    return refs


def read_bundle(process_dir: Path, forms_dir: Path) -> tuple[dict, dict[str, str]]:
    """Metadata and the file bundle of one ``processes/<type>/`` folder with the forms it uses."""
    metadata = json.loads((process_dir / "permit.json").read_text(encoding="utf-8"))
    files: dict[str, str] = {}
    for path in sorted(process_dir.iterdir()):
        if path.suffix in (".bpmn", ".dmn"):
            files[path.name] = path.read_text(encoding="utf-8")
    for name in [n for n in files if n.endswith(".bpmn")]:
        for ref in sorted(_form_refs(files[name])):
            form_path = forms_dir / ref
            if form_path.is_file():
                files[f"forms/{ref}"] = form_path.read_text(encoding="utf-8")
    # Document templates: the shared set, each replaceable by the permit type's own.
    for folder in (process_dir.parent / "_templates", process_dir / "templates"):
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                files[f"templates/{path.name}"] = path.read_text(encoding="utf-8")
    return metadata, files


def publish_bundle(
    session: Session, metadata: dict, files: dict[str, str], actor: User | None = None, now=None
) -> ProcessVersion:
    """Create or update the permit type and publish the bundle as its current version.

    A bundle whose content hash is already stored is not duplicated; it becomes the published
    one again. Raises ``ProcessDefinitionError`` (nothing stored) if the bundle is unusable.
    """
    now = now or utcnow()
    parsed = parse_bundle(files)
    digest = content_hash(files)
    permit_type = session.scalar(select(PermitType).where(PermitType.code == metadata["code"]))
    if permit_type is None:
        permit_type = PermitType(code=metadata["code"])
        session.add(permit_type)
    for field in _METADATA_FIELDS:
        if field in metadata:
            setattr(permit_type, field, metadata[field])
    session.flush()
    version = session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.permit_type_id == permit_type.id, ProcessVersion.content_hash == digest
        )
    )
    created = version is None
    if created:
        number = (
            session.scalar(
                select(func.max(ProcessVersion.number)).where(ProcessVersion.permit_type_id == permit_type.id)
            )
            or 0
        ) + 1
        version = ProcessVersion(
            permit_type_id=permit_type.id,
            number=number,
            content_hash=digest,
            process_id=parsed.process_id,
            files=files,
            created_at=now,
        )
        session.add(version)
        session.flush()
        session.expire(permit_type, ["versions"])  # a list read before this step must show the new version
    for other in permit_type.versions:
        other.published = False
    version.published = True
    session.flush()
    SPECS.put(digest, parsed)
    if created:
        record(
            session,
            "process_published",
            actor=actor,
            now=now,
            summary={"permit_type": permit_type.code, "version": version.number, "hash": digest[:12]},
        )
    return version


def load_directory(
    session: Session, processes_dir: Path, forms_dir: Path, actor: User | None = None
) -> list[ProcessVersion]:
    """Publish every ``processes/<type>/`` folder. All or nothing: one bad bundle stores none."""
    versions = []
    for process_dir in sorted(p for p in processes_dir.iterdir() if (p / "permit.json").is_file()):
        metadata, files = read_bundle(process_dir, forms_dir)
        known = session.scalar(
            select(ProcessVersion)
            .join(PermitType)
            .where(PermitType.code == metadata["code"], ProcessVersion.content_hash == content_hash(files))
        )
        if known is not None:
            # Already loaded once: what process admins changed in the browser since then stays.
            versions.append(known)
            continue
        try:
            versions.append(publish_bundle(session, metadata, files, actor=actor))
        except ProcessDefinitionError as exc:
            exc.message = f"{process_dir.name}: {exc.message}"
            raise
    return versions


def diagram_name(files: dict[str, str]) -> str:
    """The bundle's one BPMN file."""
    return next(n for n in sorted(files) if n.endswith(".bpmn"))


def published_version(session: Session, permit_type: PermitType) -> ProcessVersion:
    version = session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.permit_type_id == permit_type.id, ProcessVersion.published.is_(True)
        )
    )
    if version is None:
        raise NotFound(Phrase("Jenis izin '%(name)s' belum memiliki proses yang diterbitkan.", name=permit_type.name))
    return version


def specs_for(version: ProcessVersion) -> ParsedProcess:
    return SPECS.get(version.content_hash, lambda: version.files)


def active_permit_types(session: Session) -> list[PermitType]:
    return list(session.scalars(select(PermitType).where(PermitType.active.is_(True)).order_by(PermitType.name)))


def permit_type_by_code(session: Session, code: str) -> PermitType:
    permit_type = session.scalar(select(PermitType).where(PermitType.code == code, PermitType.active.is_(True)))
    if permit_type is None:
        raise NotFound(Phrase("Jenis izin tidak ditemukan."))
    return permit_type
