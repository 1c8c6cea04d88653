"""Turning an HTML form post into the engine's raw values and uploads, with the files a refused post
held so the person does not pick them again (``engine.casework.held_uploads``), and the fields of a
paper record (``engine.casework.manual_entry``)."""

from datetime import datetime

from flask import request
from flask_login import current_user

from engine.casework import held_uploads
from engine.casework.manual_entry import PaperRecord
from engine.core.clock import utcnow
from engine.core.errors import ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import Phrase, local, zone_info
from engine.core.numbers import is_whole_number
from engine.workflow.forms import FormDef

from .extensions import db
from .services import services


def from_request(form: FormDef | None) -> tuple[dict, list[Upload]]:
    if form is None:
        return {}, []
    raw = {f.name: request.form.get(f.name) for f in form.fields if not f.is_file}
    uploads = [
        Upload(f.name, storage.filename, storage.read())
        for f in form.fields
        if f.is_file
        for storage in request.files.getlist(f.name)
        if storage and storage.filename
    ]
    return raw, uploads


def posted(form: FormDef | None, key: str) -> tuple[dict, list[Upload]]:
    """The post's values and files, with the files held for the fields it brings none for."""
    raw, uploads = from_request(form)
    dropped = set(request.form.getlist("_lepas"))
    if dropped:  # gone for good, whatever becomes of this post
        held_uploads.release(db.session, current_user, key, dropped)
        db.session.commit()
    return raw, held_uploads.with_held(db.session, current_user, key, form, uploads, dropped)


def keep_files(form: FormDef | None, key: str, uploads: list[Upload], errors: dict) -> None:
    """After a refused post (rolled back already): hold its acceptable files, in a transaction of their own."""
    held_uploads.hold(db.session, current_user, key, form, uploads, errors)
    db.session.commit()


def forget_files(key: str) -> None:
    held_uploads.release(db.session, current_user, key)
    db.session.commit()


def with_attached(values: dict, form: FormDef | None, key: str) -> dict:
    """The form's values with each held file shown as attached ("terlampir")."""
    if form is None:
        return values
    shown = dict(values)
    for name, rows in held_uploads.held(db.session, current_user, key).items():
        field = form.field(name)
        if field is None:
            continue
        files = [{"nama": row.filename, "ukuran": row.size, "terlampir": True} for row in rows]
        shown[name] = files if field.is_file_list else files[0]
    return shown


def local_input(text: str) -> datetime | None:
    """A datetime-local field, read in the agency's time zone. Raises ValueError for a malformed one."""
    if not text:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=zone_info(services().calendar.zone))


PAPER_FIELDS = ("keadaan_kahar", "waktu_asli", "rujukan")


def paper_record() -> PaperRecord | None:
    """The Pencatatan Manual part of a post, if the officer chose an outage. Raises ValidationFailed."""
    chosen = request.form.get("keadaan_kahar", "")
    if not is_whole_number(chosen):
        return None
    try:
        original = local_input(request.form.get("waktu_asli", ""))
    except ValueError:
        raise ValidationFailed(
            Phrase("Pencatatan manual belum dapat disimpan."), {"waktu_asli": Phrase("Format waktu tidak dikenal.")}
        ) from None
    return PaperRecord(int(chosen), original, request.form.get("rujukan", ""))


def paper_values() -> dict:
    return {k: request.form.get(k, "") for k in PAPER_FIELDS}


def months_asked() -> tuple[str, str]:
    """The period a report is asked for (``dari``, ``sampai``: YYYY-MM, in order); the last twelve
    months by default. Raises ValidationFailed for a malformed month."""
    now = local(utcnow(), services().calendar.zone)
    default_start = f"{now.year - 1}-{now.month:02d}" if now.month < 12 else f"{now.year}-01"
    start, end = request.args.get("dari") or default_start, request.args.get("sampai") or now.strftime("%Y-%m")
    for value in (start, end):
        if (
            len(value) != 7
            or value[4] != "-"
            or not is_whole_number(value[:4] + value[5:])
            or not 1 <= int(value[5:]) <= 12
        ):
            raise ValidationFailed(
                Phrase("Periode tidak valid."), {"periode": Phrase("Gunakan format TTTT-BB, mis. 2026-12.")}
            )
    return (start, end) if start <= end else (end, start)
