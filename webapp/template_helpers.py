"""Filters and globals for templates. Times are shown in the agency's zone (``AGENCY_TIMEZONE``)
with its own label: WIB, WITA or WIT."""
from engine.applications import STATUS_LABELS
from engine.documents import STATUS_LABELS as DOC_STATUS_LABELS
from engine.localtime import format_date, format_datetime, format_number, format_rupiah, zone_label
from engine.permissions import is_staff
from engine.roles import ROLE_LABELS, may

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


def register(app):
    zone = app.config["AGENCY_TIMEZONE"]
    app.jinja_env.globals["is_staff"] = is_staff
    app.jinja_env.globals["zone_label"] = zone_label(zone)
    app.jinja_env.globals["may_view_reports"] = lambda user: may(user.role_names, "view_reports")
    app.jinja_env.filters.update(
        waktu=lambda value: "—" if value is None else format_datetime(value, zone),
        rupiah=format_rupiah,
        angka=lambda value: "—" if value is None else format_number(value, 1),
        tanggal=lambda value: "—" if value is None else format_date(value, zone),
        status_label=lambda s: STATUS_LABELS.get(s, s),
        doc_status=lambda s: DOC_STATUS_LABELS.get(s, s),
        role_label=lambda r: ROLE_LABELS.get(r, r),
        action_label=lambda a: _ACTIONS.get(a, a),
    )
