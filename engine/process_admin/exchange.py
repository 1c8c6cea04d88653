"""The archive one agency hands another: a permit type's published process as a zip, and importing
one as a draft, refused before anything is expanded when it is too large or names files it may not."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, ValidationFailed
from engine.core.localtime import Phrase
from engine.process_admin.catalog import (
    CODE_PATTERN,
    PREFIX_PATTERN,
    SIGNING_MODES,
    metadata_of,
    published_of,
    require_process_admin,
)
from engine.process_admin.drafts import FILE_NAME, draft_of, validate, version_files
from engine.process_admin.models import ProcessDraft
from engine.workflow.definitions import content_hash
from engine.workflow.models import PermitType, ProcessVersion

MAX_ARCHIVE_MEMBERS = 200
MAX_ARCHIVE_BYTES = 5 * 1024 * 1024


def export_archive(session: Session, permit_type: PermitType, version: ProcessVersion | None = None) -> bytes:
    """A zip of ``permit.json`` and every file of the (published) version."""
    version = version or published_of(permit_type)
    if version is None:
        raise NotFound(Phrase("Jenis izin ini belum memiliki versi yang diterbitkan."))
    files = version_files(session, version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("permit.json", json.dumps(metadata_of(permit_type), ensure_ascii=False, indent=2))
        archive.writestr(
            "manifest.json", json.dumps({"content_hash": content_hash(files), "files": sorted(files)}, indent=2)
        )
        for name in sorted(files):
            archive.writestr(f"bundle/{name}", files[name])
    return buffer.getvalue()


_ARCHIVE_TYPES = {
    "prefix": str,
    "name": str,
    "description": str,
    "legal_basis": str,
    "cost_note": str,
    "signing_mode": str,
    "deadline_policy": str,
    "has_retribution": bool,
    "sla_working_days": int,
    "sla_warning_ratio": (int, float),
    "requirements": list,
    "procedure": list,
    "validity": dict,
    "sla_stages": dict,
    "requires_identity_match": bool,
}


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
            raise ValidationFailed(
                Phrase("Arsip memakai kompresi atau enkripsi yang tidak didukung."),
                {"arsip": Phrase("Unggah berkas .zip hasil ekspor PTSP-el (kompresi deflate, tanpa sandi).")},
            )
        limit = min(MAX_ARCHIVE_BYTES, self.left)
        out = bytearray()
        with archive.open(info) as stream:
            while chunk := stream.read(self.CHUNK):
                out += chunk
                if len(out) > limit:
                    raise ValidationFailed(
                        Phrase("Arsip terlalu besar setelah dibuka."),
                        {"arsip": Phrase("Isi arsip melebihi batas ukuran; unggah hasil ekspor PTSP-el yang asli.")},
                    )
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
    require_process_admin(actor)
    refused = ValidationFailed(
        Phrase("Arsip jenis izin tidak dapat dibaca."),
        {"arsip": Phrase("Unggah berkas .zip hasil ekspor jenis izin dari PTSP-el.")},
    )
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ValidationFailed(Phrase("Arsip terlalu besar."), {"arsip": Phrase("Ukuran arsip paling besar 5 MB.")})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise ValidationFailed(
                    Phrase("Arsip memuat terlalu banyak berkas."),
                    {"arsip": Phrase("Paling banyak %(limit)s berkas.", limit=MAX_ARCHIVE_MEMBERS)},
                )
            budget = _Budget(4 * MAX_ARCHIVE_BYTES)
            metadata = json.loads(budget.read(archive, archive.getinfo("permit.json")).decode("utf-8"))
            files = {}
            for info in members:
                name = str(PurePosixPath(info.filename))
                if name.startswith("bundle/") and not info.is_dir():
                    inner = name[len("bundle/") :]
                    if not FILE_NAME.match(inner) or ".." in inner:
                        raise ValidationFailed(Phrase("Arsip memuat berkas yang tidak diizinkan."), {"arsip": inner})
                    files[inner] = budget.read(archive, info).decode("utf-8")
    except (
        zipfile.BadZipFile,
        KeyError,
        UnicodeDecodeError,
        ValueError,
        NotImplementedError,
        EOFError,
        OSError,
        RuntimeError,
    ):
        raise refused from None
    if not isinstance(metadata, dict) or not CODE_PATTERN.match(str(metadata.get("code", ""))):
        raise refused
    if not any(name.endswith(".bpmn") for name in files):
        raise ValidationFailed(
            Phrase("Arsip tidak memuat diagram proses."), {"arsip": Phrase("Tidak ada berkas .bpmn di bundle/.")}
        )
    permit_type = session.scalar(select(PermitType).where(PermitType.code == metadata["code"]))
    created = permit_type is None
    if created:
        values = _archive_metadata(metadata)
        if not values.get("name") or not PREFIX_PATTERN.match(values.get("prefix") or ""):
            raise ValidationFailed(
                Phrase("Arsip tidak lengkap."), {"arsip": Phrase("permit.json harus memuat nama dan awalan.")}
            )
        if session.scalar(select(PermitType.id).where(PermitType.prefix == values["prefix"])):
            raise ValidationFailed(
                Phrase("Awalan nomor registrasi dalam arsip sudah dipakai jenis izin lain."),
                {"arsip": values["prefix"]},
            )
        permit_type = PermitType(code=metadata["code"], active=False, **{"sla_stages": {}, "validity": {}, **values})
        session.add(permit_type)
        session.flush()
    draft = draft_of(session, permit_type)
    if draft is None:
        base = published_of(permit_type)
        draft = ProcessDraft(
            permit_type_id=permit_type.id,
            base_version_id=base.id if base else None,
            files={},
            updated_at=now,
            updated_by_id=actor.id,
        )
        session.add(draft)
    draft.files, draft.updated_at, draft.updated_by_id = files, now, actor.id
    session.flush()
    record(
        session,
        "permit_type_imported",
        actor=actor,
        now=now,
        summary={
            "permit_type": permit_type.code,
            "baru": created,
            "berkas": sorted(files),
            "hash": content_hash(files)[:12],
            "temuan": len(validate(files)),
        },
    )
    return draft
