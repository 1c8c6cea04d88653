"""The open datasets: permits issued per month, permit type and district, and service times per month
and permit type (median, 90th percentile, on-time rate). Published as CSV and JSON with a data
dictionary, in the shape open-data portals (CKAN, Satu Data Indonesia) ingest: one flat table per
dataset, named columns, metadata beside it. A district with fewer than ``SMALL_CELL`` permits in a
month is counted under "lainnya", so that no row points at one business."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.clock import aware
from engine.core.localtime import N_, local, zone_info
from engine.documents.models import Document
from engine.feedback import ikm
from engine.feedback.models import Complaint, SurveyResponse
from engine.service_time import sla_stats
from engine.workflow.models import Application, PermitType

SMALL_CELL = 3
OTHER_DISTRICTS = "lainnya"
UNKNOWN_DISTRICT = "tidak diketahui"


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: list[tuple[str, str, str]]  # (column, type, meaning)


ISSUED = Dataset(
    "izin-terbit",
    N_("Izin terbit per bulan, jenis izin dan kecamatan"),
    "Jumlah izin yang diterbitkan (ditandatangani) per bulan menurut zona waktu dinas, per jenis izin dan kecamatan "
    f'lokasi. Kecamatan dengan kurang dari {SMALL_CELL} izin dalam sebulan digabung sebagai "{OTHER_DISTRICTS}". '
    "Tanpa data pribadi.",
    [
        ("bulan", "string (YYYY-MM)", N_("Bulan penerbitan")),
        ("kode_jenis_izin", "string", N_("Kode jenis izin")),
        ("jenis_izin", "string", N_("Nama jenis izin")),
        ("kecamatan", "string", N_("Kecamatan lokasi usaha/kegiatan")),
        ("jumlah_izin", "integer", N_("Jumlah izin terbit")),
    ],
)
SERVICE_TIME = Dataset(
    "waktu-layanan",
    N_("Waktu layanan per bulan dan jenis izin"),
    "Permohonan yang selesai per bulan dan jenis izin: jumlah, yang tepat waktu, persentase tepat waktu, median dan "
    "persentil ke-90 waktu layanan dalam hari kerja (sejak Tanda Terima sampai keputusan, di luar penghentian waktu).",
    [
        ("bulan", "string (YYYY-MM)", N_("Bulan selesai")),
        ("kode_jenis_izin", "string", N_("Kode jenis izin")),
        ("jenis_izin", "string", N_("Nama jenis izin")),
        ("jumlah_selesai", "integer", N_("Permohonan selesai")),
        ("tepat_waktu", "integer", N_("Selesai dalam waktu layanan")),
        ("persen_tepat_waktu", "number", N_("Persentase tepat waktu")),
        ("median_hari_kerja", "number", N_("Median waktu layanan (hari kerja)")),
        ("persentil_90_hari_kerja", "number", N_("Persentil ke-90 waktu layanan (hari kerja)")),
    ],
)
FEEDBACK = Dataset(
    "kepuasan-pengaduan",
    N_("Kepuasan masyarakat dan pengaduan per bulan"),
    "Indeks Kepuasan Masyarakat (PermenPANRB 14/2017, nilai konversi 25–100) dari survei yang diisi setelah izin "
    "diserahkan, dan pengaduan yang masuk, yang dijawab, serta yang dijawab dalam batas waktu SP4N-LAPOR!.",
    [
        ("bulan", "string (YYYY-MM)", N_("Bulan")),
        ("responden_survei", "integer", N_("Jumlah responden survei")),
        ("ikm", "number", N_("Nilai IKM (konversi, 25–100); kosong tanpa responden")),
        ("mutu_pelayanan", "string", N_("Mutu pelayanan (A–D)")),
        ("pengaduan_masuk", "integer", N_("Pengaduan masuk")),
        ("pengaduan_dijawab", "integer", N_("Pengaduan masuk bulan itu yang sudah dijawab")),
        ("dijawab_tepat_waktu", "integer", N_("Yang dijawab dalam batas waktu")),
    ],
)
DATASETS = {d.name: d for d in (ISSUED, SERVICE_TIME, FEEDBACK)}


def _months_bounds(start: str, end: str, zone: str) -> tuple[datetime, datetime]:
    tz = zone_info(zone)
    y1, m1 = (int(p) for p in start.split("-"))
    y2, m2 = (int(p) for p in end.split("-"))
    y2, m2 = (y2 + 1, 1) if m2 == 12 else (y2, m2 + 1)
    return datetime(y1, m1, 1, tzinfo=tz), datetime(y2, m2, 1, tzinfo=tz)


def issued_permits(session: Session, start: str, end: str, zone: str) -> list[dict]:
    """Rows of the issued-permits dataset for months ``start`` to ``end`` (YYYY-MM)."""
    lo, hi = _months_bounds(start, end, zone)
    rows = session.execute(
        select(Document.created_at, PermitType.code, PermitType.name, Application.district)
        .join(Application, Document.application_id == Application.id)
        .join(PermitType, Application.permit_type_id == PermitType.id)
        .where(
            Document.kind == "izin",
            Document.created_at >= lo - timedelta(days=1),
            Document.created_at < hi + timedelta(days=1),
        )
    ).all()
    counts: dict[tuple[str, str, str, str], int] = {}
    for created_at, code, name, district in rows:
        month = local(created_at, zone).strftime("%Y-%m")
        if not start <= month <= end:
            continue
        key = (month, code, name, district or UNKNOWN_DISTRICT)
        counts[key] = counts.get(key, 0) + 1
    merged: dict[tuple[str, str, str, str], int] = {}
    for (month, code, name, district), count in counts.items():
        shown = district if count >= SMALL_CELL or district == UNKNOWN_DISTRICT else OTHER_DISTRICTS
        merged[(month, code, name, shown)] = merged.get((month, code, name, shown), 0) + count
    return [
        {"bulan": m, "kode_jenis_izin": c, "jenis_izin": n, "kecamatan": d, "jumlah_izin": k}
        for (m, c, n, d), k in sorted(merged.items())
    ]


def service_times(session: Session, start: str, end: str) -> list[dict]:
    """Rows of the service-time dataset, from the rolled-up statistics (``service_time.sla_stats``)."""
    out = []
    for permit_type in session.scalars(select(PermitType).order_by(PermitType.code)):
        for month in sla_stats.report(session, (start, end), {permit_type.id}).by_month:
            out.append(
                {
                    "bulan": month.label,
                    "kode_jenis_izin": permit_type.code,
                    "jenis_izin": permit_type.name,
                    "jumlah_selesai": month.count,
                    "tepat_waktu": month.on_time,
                    "persen_tepat_waktu": month.on_time_rate,
                    "median_hari_kerja": month.median,
                    "persentil_90_hari_kerja": month.p90,
                }
            )
    return sorted(out, key=lambda r: (r["bulan"], r["kode_jenis_izin"]))


def total_issued(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Document).where(Document.kind == "izin")) or 0


def _months(start: str, end: str) -> list[str]:
    y, m = (int(p) for p in start.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= end and len(out) < 240:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def feedback(session: Session, start: str, end: str, zone: str) -> list[dict]:
    """Rows of the satisfaction-and-complaints dataset, one per month of the period."""
    answers: dict[str, list] = {}
    for month, given in session.execute(
        select(SurveyResponse.month, SurveyResponse.answers).where(
            SurveyResponse.month >= start, SurveyResponse.month <= end
        )
    ):
        answers.setdefault(month, []).append(given)
    lo, hi = _months_bounds(start, end, zone)
    filed: dict[str, list] = {}
    for created_at, answered_at, due in session.execute(
        select(Complaint.created_at, Complaint.answered_at, Complaint.answer_due_at).where(
            Complaint.created_at >= lo, Complaint.created_at < hi
        )
    ):
        filed.setdefault(local(created_at, zone).strftime("%Y-%m"), []).append((answered_at, due))
    rows = []
    for month in _months(start, end):
        index = ikm.index(answers.get(month, []))
        complaints = filed.get(month, [])
        answered = [(a, d) for a, d in complaints if a is not None]
        rows.append(
            {
                "bulan": month,
                "responden_survei": index.respondents if index else 0,
                "ikm": float(index.converted) if index else None,
                "mutu_pelayanan": index.grade if index else None,
                "pengaduan_masuk": len(complaints),
                "pengaduan_dijawab": len(answered),
                "dijawab_tepat_waktu": sum(1 for a, d in answered if aware(a) <= aware(d)),
            }
        )
    return rows
