"""What admins change of service time: the working calendar's local days, and each permit type's
SLA policy. Both are data; every change is audited, and a calendar change moves the deadlines of
the running clocks it touches at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from lxml import etree
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import N_, Phrase
from engine.core.roles import ADMIN, APPLICANT, LANE_ROLES
from engine.service_time import clock_refresh, sla
from engine.service_time.models import CalendarDay, ServiceClock
from engine.service_time.rearming import rearm_timers
from engine.service_time.working_time import national_holidays
from engine.workflow.definitions import published_version
from engine.workflow.diagram_terms import NS
from engine.workflow.models import Application, PermitType, WorkItem

DAY_KINDS = {"libur": N_("Hari libur daerah / cuti"), "kerja": N_("Hari kerja tambahan")}
POLICIES = {
    "eskalasi": N_("Eskalasi kepada pengawas dan Kepala Dinas"),
    "fiktif_positif": N_("Fiktif positif: dianggap disetujui (PP 28/2025)"),
}


def _require_admin(actor: User) -> None:
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya Administrator yang dapat mengubah pengaturan waktu layanan."))


# --- the calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    name: str
    source: str  # "nasional" | "admin"
    kind: str  # "libur" | "kerja"


def calendar_year(session: Session, year: int) -> list[CalendarEntry]:
    """National holidays and cuti bersama of ``year`` with the admin's own days, in date order."""
    entries = {day: CalendarEntry(day, name, "nasional", "libur") for day, name in national_holidays([year]).items()}
    for row in session.scalars(
        select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    ):
        entries[row.day] = CalendarEntry(row.day, row.name, "admin", row.kind)
    return sorted(entries.values(), key=lambda e: e.day)


def _refresh_clocks_touching(session: Session, settings: sla.CalendarSettings, day: date, now: datetime) -> int:
    """Recompute every deadline that ``day`` can move: running clocks whose remaining time crosses
    it (or that are stopped), stage deadlines of open tasks (received or not), and timers that
    force majeure moves in office time."""
    calendar = sla.calendar_for(session, settings, now)
    day_start = datetime.combine(day, time(0), calendar.tz)
    day_end = day_start + timedelta(days=1)
    clocks = select(ServiceClock.application_id).where(
        ServiceClock.ended_at.is_(None),
        ServiceClock.started_at < day_end,
        or_(ServiceClock.deadline.is_(None), ServiceClock.deadline >= day_start),
    )
    stages = select(WorkItem.application_id).where(
        WorkItem.state == "open",
        WorkItem.created_at < day_end,
        or_(WorkItem.due_at.is_(None), WorkItem.due_at >= day_start),
    )
    timers = select(Application.id).where(Application.next_timer_at.is_not(None))
    ids = set(session.scalars(clocks)) | set(session.scalars(stages)) | set(session.scalars(timers))
    clock_refresh.refresh_many(session, calendar, list(ids), now, cause=f"kalender {day.isoformat()} diubah")
    rearm_timers(session, calendar, list(ids), now)
    return len(ids)


def set_calendar_day(
    session: Session,
    settings: sla.CalendarSettings,
    actor: User,
    day: date | None,
    kind: str,
    name: str,
    now: datetime | None = None,
) -> CalendarDay:
    """Declare a local day off (``libur``) or an extra working day (``kerja``).

    Errors: PermissionDenied, ValidationFailed (date, kind, name).
    """
    now = now or utcnow()
    _require_admin(actor)
    errors = {}
    if day is None:
        errors["tanggal"] = Phrase("Isi tanggal.")
    if kind not in DAY_KINDS:
        errors["jenis"] = Phrase("Pilih jenis hari.")
    if len((name or "").strip()) < 3:
        errors["keterangan"] = Phrase("Tuliskan keterangannya (misalnya: Hari Jadi Kota).")
    if errors:
        raise ValidationFailed(Phrase("Hari kalender belum dapat disimpan."), errors)
    row = session.get(CalendarDay, day)
    before = {"jenis": row.kind, "keterangan": row.name} if row else None
    if row is None:
        row = CalendarDay(day=day)
        session.add(row)
    row.kind, row.name = kind, name.strip()[:200]
    session.flush()
    sla.forget_calendar_changes()
    moved = _refresh_clocks_touching(session, settings, day, now)
    record(
        session,
        "calendar_day_set",
        actor=actor,
        now=now,
        summary={
            "tanggal": day.isoformat(),
            "sebelum": before,
            "sesudah": {"jenis": kind, "keterangan": row.name},
            "permohonan_dihitung_ulang": moved,
        },
    )
    return row


def remove_calendar_day(
    session: Session, settings: sla.CalendarSettings, actor: User, day: date, now: datetime | None = None
) -> None:
    now = now or utcnow()
    _require_admin(actor)
    row = session.get(CalendarDay, day)
    if row is None:
        raise NotFound(Phrase("Hari itu tidak ada dalam daftar hari yang diatur admin."))
    before = {"jenis": row.kind, "keterangan": row.name}
    session.delete(row)
    session.flush()
    sla.forget_calendar_changes()
    moved = _refresh_clocks_touching(session, settings, day, now)
    record(
        session,
        "calendar_day_removed",
        actor=actor,
        now=now,
        summary={"tanggal": day.isoformat(), "sebelum": before, "permohonan_dihitung_ulang": moved},
    )


# --- the policy per permit type ----------------------------------------------------------------------


def staff_stages(session: Session, permit_type: PermitType) -> list[str]:
    """The stage names of the published diagram's staff tasks that run on the service clock, in
    diagram order, then any other stage the policy already names."""
    stages: list[str] = []
    try:
        files = published_version(session, permit_type).files
    except NotFound:
        files = {}
    for name, text in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        root = etree.fromstring(text.encode("utf-8"))
        applicant_nodes = set()
        for lane in root.iterfind(".//bpmn:lane", NS):
            if LANE_ROLES.get((lane.get("name") or "").strip()) == APPLICANT:
                applicant_nodes |= {ref.text for ref in lane.iterfind("bpmn:flowNodeRef", NS)}
        for task in root.iterfind(".//bpmn:userTask", NS):
            if task.get("id") in applicant_nodes:
                continue
            props = {p.get("name"): p.get("value") for p in task.iterfind(".//spiffworkflow:property", NS)}
            # A task that waits on the applicant (payment) stops the clock: a target there means nothing.
            if props.get("stage") and not props.get("clockStop") and props["stage"] not in stages:
                stages.append(props["stage"])
    for stage in permit_type.sla_stages or {}:
        if stage not in stages:
            stages.append(stage)
    return stages


def _number(text, field: str, errors: dict, low: float, high: float, allow_empty: bool = False):
    text = (str(text) if text is not None else "").strip().replace(",", ".")
    if not text:
        if not allow_empty:
            errors[field] = Phrase("Wajib diisi.")
        return None
    try:
        value = float(text)
    except ValueError:
        errors[field] = Phrase("Isi dengan angka.")
        return None
    if not low <= value <= high:
        errors[field] = Phrase("Harus antara %(low)g dan %(high)g.", low=low, high=high)
        return None
    return value


def update_policy(
    session: Session,
    actor: User,
    permit_type: PermitType,
    *,
    working_days,
    warning_percent,
    deadline_policy: str,
    stage_days: dict[str, str],
    now: datetime | None = None,
) -> PermitType:
    """Change a permit type's SLA policy. Clocks already running keep the total they started with;
    stage targets and the warning point apply from the next step.

    ``stage_days`` maps a stage name to its target in working days (empty: no target).
    Errors: PermissionDenied, ValidationFailed (per field; nothing is changed).
    """
    now = now or utcnow()
    _require_admin(actor)
    errors: dict[str, str] = {}
    total = _number(working_days, "hari_kerja", errors, 1, 365)
    if total is not None and not total.is_integer():
        errors["hari_kerja"], total = Phrase("Isi dengan jumlah hari kerja yang bulat."), None
    percent = _number(warning_percent, "peringatan", errors, 10, 100)
    if deadline_policy not in POLICIES:
        errors["kebijakan"] = Phrase("Pilih kebijakan batas waktu.")
    stages = {}
    for index, (stage, text) in enumerate(stage_days.items()):
        value = _number(text, f"tahap_{index}", errors, 0.5, 365, allow_empty=True)
        if value is not None:
            stages[stage] = int(value) if value.is_integer() else value
    if total is not None and stages and sum(stages.values()) > total:
        errors["hari_kerja"] = Phrase(
            "Jumlah target tahap (%(stages)g hari) melebihi waktu layanan (%(total)g hari).",
            stages=sum(stages.values()),
            total=total,
        )
    if errors:
        raise ValidationFailed(Phrase("Kebijakan waktu layanan belum dapat disimpan."), errors)
    before = {
        "hari_kerja": permit_type.sla_working_days,
        "peringatan_persen": round(permit_type.sla_warning_ratio * 100),
        "kebijakan": permit_type.deadline_policy,
        "tahap": dict(permit_type.sla_stages or {}),
    }
    permit_type.sla_working_days = int(total)
    permit_type.sla_warning_ratio = round(percent / 100, 4)
    permit_type.deadline_policy = deadline_policy
    permit_type.sla_stages = stages
    after = {
        "hari_kerja": int(total),
        "peringatan_persen": round(percent),
        "kebijakan": deadline_policy,
        "tahap": stages,
    }
    changed = {k: {"sebelum": before[k], "sesudah": after[k]} for k in after if before[k] != after[k]}
    session.flush()
    record(
        session,
        "sla_policy_changed",
        actor=actor,
        now=now,
        summary={"jenis_izin": permit_type.code, "perubahan": changed},
    )
    return permit_type
