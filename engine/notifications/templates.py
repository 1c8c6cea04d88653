"""The wording of each event's notice: built in, in Indonesian and English, and editable by the admin.

Templates are Jinja2 text run in its sandbox over a dict of plain strings: an admin's template can
name the facts an event offers and nothing else of the system.
"""

from __future__ import annotations

from datetime import datetime

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import ADMIN
from engine.notifications.models import NotificationTemplate
from engine.notifications.wordings import COMMON, EVENTS, LANGUAGES, SMS_LIMIT, Wording

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _render(source: str, facts: dict[str, str]) -> str:
    return _ENV.from_string(source).render(facts).strip()


def wording(session: Session, event: str, language: str) -> Wording:
    """The admin's wording of the event if there is one, else the built-in text."""
    language = language if language in LANGUAGES else "id"
    row = session.scalar(
        select(NotificationTemplate).where(
            NotificationTemplate.event == event, NotificationTemplate.language == language
        )
    )
    if row is not None:
        return Wording(row.subject, row.body, row.short)
    return EVENTS[event].wording[language]


def edited(session: Session) -> set[tuple[str, str]]:
    """(event, language) of the templates the admin reworded."""
    return set(session.execute(select(NotificationTemplate.event, NotificationTemplate.language)).tuples())


def render(session: Session, event: str, language: str, facts: dict[str, str]) -> Wording:
    """The notice's subject, body and short text. An edited template that no longer renders (it was
    checked when saved, so only a fact that went missing can do this) falls back to the built-in one:
    the applicant still hears of the event."""
    for candidate in (
        wording(session, event, language),
        EVENTS[event].wording.get(language, EVENTS[event].wording["id"]),
    ):
        try:
            return Wording(
                _render(candidate.subject, facts)[:255],
                _render(candidate.body, facts),
                _render(candidate.short, facts)[:SMS_LIMIT],
            )
        except TemplateError:
            continue
    raise ValueError(f"built-in notice template of {event} does not render")


def sample_facts(event: str) -> dict[str, str]:
    """Stand-in facts for checking and previewing a template."""
    sample = {
        "nama": "Budi Santoso",
        "nomor": "REK-2026-000123",
        "izin": "Izin Reklame",
        "tautan": "https://ptsp.contoh.go.id/pemohon/permohonan/123",
        "instansi": "DPMPTSP Kota Contoh",
        "catatan": "Foto lokasi kurang jelas.",
        "tanggal_selesai": "14 Desember 2026",
        "skrd_nomor": "SKRD/2026/000045",
        "jumlah": "Rp1.250.000",
        "jatuh_tempo": "31 Desember 2026",
        "cara_bayar": "Virtual account atau QRIS di halaman permohonan, atau di loket Bendahara.",
        "saluran": "virtual account",
        "virtual_account": "8889900000000045",
        "izin_nomor": "503/REK/2026/000123",
        "berlaku_sampai": "14 Desember 2027",
        "verifikasi": "https://ptsp.contoh.go.id/verify/ABCD1234",
        "alasan": "Lokasi di kawasan larangan.",
        "mulai": "10 Desember 2026 08.00",
        "selesai": "12 Desember 2026 16.00",
        "keadaan": "banjir",
        "batas_baru": "20 Desember 2026",
        "sisa_hari": "30",
        "keputusan": "Keputusan Pencabutan Izin",
        "pesan": "Izin Reklame Nomor 503/REK/2026/000123 dicabut.",
        "status": "Sedang diproses",
        "tahap": "Tim Teknis",
    }
    return {name: sample[name] for name in (*COMMON, *EVENTS[event].facts)}


def save_template(
    session: Session,
    actor: User,
    event: str,
    language: str,
    subject: str,
    body: str,
    short: str,
    now: datetime | None = None,
) -> NotificationTemplate:
    """The admin rewords an event's notice. Each part must render with the event's facts (a name the
    event does not offer, or broken syntax, is refused with the line it is on).

    Effects: the template row, audit ``notification_template_changed``.
    Errors: PermissionDenied, NotFound (event), ValidationFailed.
    """
    now = now or utcnow()
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya Administrator yang dapat mengubah templat pemberitahuan."))
    if event not in EVENTS or language not in LANGUAGES:
        raise NotFound(Phrase("Jenis pemberitahuan tidak dikenal."))
    parts = {"subjek": (subject or "").strip(), "isi": (body or "").strip(), "singkat": (short or "").strip()}
    errors = {}
    facts = sample_facts(event)
    for name, text in parts.items():
        if not text:
            errors[name] = Phrase("Wajib diisi.")
            continue
        try:
            rendered = _render(text, facts)
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            errors[name] = Phrase(
                "Templat tidak dapat dipakai%(where)s: %(error)s. Nama yang tersedia: %(facts)s.",
                where=Phrase(" (baris %(line)s)", line=line) if line else "",
                error=exc.message or exc,
                facts=", ".join(facts),
            )
            continue
        if name == "singkat" and len(rendered) > SMS_LIMIT:
            errors[name] = Phrase(
                "Teks singkat paling panjang %(limit)s karakter (sekarang %(count)s dengan contoh).",
                limit=SMS_LIMIT,
                count=len(rendered),
            )
        if name == "subjek" and len(rendered) > 200:
            errors[name] = Phrase("Subjek paling panjang 200 karakter.")
    if errors:
        raise ValidationFailed(Phrase("Templat belum dapat disimpan."), errors)
    row = session.scalar(
        select(NotificationTemplate).where(
            NotificationTemplate.event == event, NotificationTemplate.language == language
        )
    )
    if row is None:
        row = NotificationTemplate(event=event, language=language)
        session.add(row)
    row.subject, row.body, row.short = parts["subjek"], parts["isi"], parts["singkat"]
    row.updated_at, row.updated_by_id = now, actor.id
    record(
        session, "notification_template_changed", actor=actor, now=now, summary={"peristiwa": event, "bahasa": language}
    )
    return row


def reset_template(session: Session, actor: User, event: str, language: str, now: datetime | None = None) -> None:
    """Back to the built-in wording. Audit ``notification_template_reset``."""
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya Administrator yang dapat mengubah templat pemberitahuan."))
    row = session.scalar(
        select(NotificationTemplate).where(
            NotificationTemplate.event == event, NotificationTemplate.language == language
        )
    )
    if row is not None:
        session.delete(row)
        record(
            session,
            "notification_template_reset",
            actor=actor,
            now=now or utcnow(),
            summary={"peristiwa": event, "bahasa": language},
        )
