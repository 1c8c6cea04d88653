"""The agency's directory (profile, units, counters, officials) and its list of regulations, managed
by the admin and shown to anyone. Officials are listed by position with the name the agency publishes,
nothing more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.core.files import FileStore, Upload, check_upload
from engine.core.localtime import N_, Phrase
from engine.core.numbers import is_whole_number
from engine.core.roles import ADMIN
from engine.public_data.models import DirectoryEntry, Regulation
from engine.workflow.models import PermitType

PROFILE_FIELDS = {
    "alamat": N_("Alamat"),
    "jam_layanan": N_("Jam layanan"),
    "telepon": N_("Telepon"),
    "email": N_("Email"),
    "peta": N_("Tautan peta"),
}
LISTS = {
    "unit": (N_("Unit kerja"), (N_("Nama unit"), N_("Tugas"))),
    "loket": (N_("Loket pelayanan"), (N_("Loket"), N_("Layanan"))),
    "pejabat": (N_("Pejabat"), (N_("Jabatan"), N_("Nama"))),
}
REGULATION_KINDS = (
    "Undang-Undang",
    "Peraturan Pemerintah",
    "Peraturan Presiden",
    "Peraturan Menteri",
    "Peraturan Daerah",
    "Peraturan Wali Kota",
    "Peraturan Bupati",
    "Keputusan Kepala Daerah",
)


def _require_admin(actor: User) -> None:
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya Administrator yang mengelola direktori dan daftar peraturan."))


def directory(session: Session) -> dict:
    """profil: dict; unit, loket, pejabat: lists of [first, second] pairs."""
    found = {e.key: e.content for e in session.scalars(select(DirectoryEntry))}
    return {"profil": found.get("profil") or {}, **{key: found.get(key) or [] for key in LISTS}}


def _pairs(text: str, key: str, errors: dict) -> list[list[str]]:
    """Lines "first | second" of a list field."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        first, bar, second = line.partition("|")
        if not bar or not first.strip() or not second.strip():
            errors[key] = Phrase(
                'Baris %(number)s: tulis dua bagian dipisah tanda |, misalnya "%(left)s | %(right)s".',
                number=number,
                left=LISTS[key][1][0],
                right=LISTS[key][1][1],
            )
            return []
        rows.append([first.strip()[:200], second.strip()[:300]])
    return rows[:100]


def save_directory(session: Session, actor: User, given: dict, now: datetime | None = None) -> dict:
    """The admin saves the directory. Audit ``directory_changed``. Errors: PermissionDenied, ValidationFailed."""
    now = now or utcnow()
    _require_admin(actor)
    errors: dict = {}
    profile = {key: str(given.get(key) or "").strip()[:500] for key in PROFILE_FIELDS}
    if profile["peta"] and not profile["peta"].startswith("https://"):
        errors["peta"] = Phrase("Tautan peta harus diawali https://.")
    lists = {key: _pairs(given.get(key, ""), key, errors) for key in LISTS}
    if errors:
        raise ValidationFailed(Phrase("Direktori belum dapat disimpan."), errors)
    for key, content in {"profil": profile, **lists}.items():
        entry = session.get(DirectoryEntry, key) or DirectoryEntry(key=key)
        entry.content, entry.updated_at, entry.updated_by_id = content, now, actor.id
        session.add(entry)
    record(session, "directory_changed", actor=actor, now=now, summary={k: len(v) for k, v in lists.items()})
    return directory(session)


def regulations(session: Session, permit_type_code: str | None = None) -> list[Regulation]:
    rows = list(
        session.scalars(select(Regulation).order_by(Regulation.year.desc(), Regulation.kind, Regulation.number))
    )
    return [r for r in rows if permit_type_code is None or permit_type_code in (r.permit_type_codes or [])]


def add_regulation(
    session: Session,
    files: FileStore,
    actor: User,
    *,
    kind: str,
    number: str,
    year: str,
    title: str,
    permit_type_codes: list[str],
    upload: Upload | None,
    now: datetime | None = None,
) -> Regulation:
    """Audit ``regulation_added``. Errors: PermissionDenied, ValidationFailed."""
    now = now or utcnow()
    _require_admin(actor)
    errors = {}
    if kind not in REGULATION_KINDS:
        errors["jenis"] = Phrase("Pilih jenis peraturan.")
    if not (number or "").strip():
        errors["nomor"] = Phrase("Isi nomor peraturan.")
    if not is_whole_number((year or "").strip()) or not 1945 <= int(year) <= now.year + 1:
        errors["tahun"] = Phrase("Isi tahun (empat angka).")
    if len((title or "").strip()) < 5:
        errors["judul"] = Phrase("Isi judul peraturan.")
    known = set(session.scalars(select(PermitType.code)))
    if set(permit_type_codes) - known:
        errors["jenis_izin"] = Phrase("Jenis izin tidak dikenal.")
    mime = None
    if upload is not None and upload.content:
        mime, problem = check_upload(upload, ["application/pdf"], 20)
        if problem:
            errors["berkas"] = problem
    if errors:
        raise ValidationFailed(Phrase("Peraturan belum dapat disimpan."), errors)
    stored = files.put(session, upload.content, mime) if mime else None
    regulation = Regulation(
        kind=kind,
        number=number.strip()[:40],
        year=int(year),
        title=title.strip()[:1000],
        sha256=stored.sha256 if stored else None,
        file_name=upload.filename[:255] if stored else None,
        permit_type_codes=sorted(set(permit_type_codes)),
        created_at=now,
    )
    session.add(regulation)
    session.flush()
    record(
        session,
        "regulation_added",
        actor=actor,
        now=now,
        summary={"peraturan": f"{kind} {regulation.number}/{regulation.year}"},
    )
    return regulation


def remove_regulation(session: Session, actor: User, regulation_id: int, now: datetime | None = None) -> None:
    _require_admin(actor)
    regulation = get_regulation(session, regulation_id)
    record(
        session,
        "regulation_removed",
        actor=actor,
        now=now or utcnow(),
        summary={"peraturan": f"{regulation.kind} {regulation.number}/{regulation.year}"},
    )
    session.delete(regulation)


def get_regulation(session: Session, regulation_id: int) -> Regulation:
    regulation = session.get(Regulation, regulation_id)
    if regulation is None:
        raise NotFound(Phrase("Peraturan tidak ditemukan."))
    return regulation
