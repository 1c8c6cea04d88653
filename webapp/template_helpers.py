"""Filters and globals for templates."""
from datetime import datetime, timedelta, timezone

from engine.applications import STATUS_LABELS
from engine.documents import STATUS_LABELS as DOC_STATUS_LABELS
from engine.forms import format_date, format_rupiah
from engine.permissions import is_staff
from engine.roles import ROLE_LABELS, may

WIB_OFFSET_HOURS = 7
_ACTIONS = {
    "submitted": "Permohonan diajukan",
    "resubmitted": "Perbaikan dikirim Pemohon",
    "task_completed": "Selesai",
    "task_claimed": "Tugas diambil petugas",
    "task_released": "Tugas dilepas petugas",
    "document_issued": "Dokumen diterbitkan",
    "signing_refused": "Penandatanganan ditolak",
    "permit_revoked": "Izin dicabut",
    "permit_cancelled": "Izin dibatalkan",
    "hand_signed_archived": "Pindaian dokumen bertanda tangan basah diarsipkan",
    "certificate_issued": "Sertifikat elektronik diterbitkan",
    "certificate_imported": "Sertifikat elektronik diimpor",
    "certificate_revoked": "Sertifikat elektronik dicabut",
}


def local_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(timezone(timedelta(hours=WIB_OFFSET_HOURS)))
    return f"{format_date(local.date())} {local:%H.%M} WIB"


def register(app):
    app.jinja_env.globals["is_staff"] = is_staff
    app.jinja_env.globals["may_view_reports"] = lambda user: may(user.role_names, "view_reports")
    app.jinja_env.filters.update(
        waktu=local_time,
        rupiah=format_rupiah,
        tanggal=format_date,
        status_label=lambda s: STATUS_LABELS.get(s, s),
        doc_status=lambda s: DOC_STATUS_LABELS.get(s, s),
        role_label=lambda r: ROLE_LABELS.get(r, r),
        action_label=lambda a: _ACTIONS.get(a, a),
    )
