"""Filters and globals for templates. Times are shown in the agency's zone (``AGENCY_TIMEZONE``)
with its own label: WIB, WITA or WIT."""

from markupsafe import Markup

from engine.accounts.permissions import is_staff
from engine.casework.applications import STATUS_LABELS
from engine.core.localtime import format_date, format_datetime, format_number, format_rupiah, zone_label
from engine.core.roles import ROLE_LABELS, may
from engine.documents.documents import SANCTIONS
from engine.documents.documents import STATUS_LABELS as DOC_STATUS_LABELS

_ACTIONS = {
    "submitted": "Permohonan diajukan",
    "resubmitted": "Perbaikan dikirim Pemohon",
    "task_completed": "Selesai",
    "task_claimed": "Tugas diambil petugas",
    "task_released": "Tugas dilepas petugas",
    "task_assigned": "Tugas diserahkan Kepala Dinas kepada petugas",
    "document_issued": "Dokumen diterbitkan",
    "signing_refused": "Penandatanganan ditolak",
    "permit_revoked": "Izin dicabut",
    "permit_cancelled": "Izin dibatalkan",
    "written_warning_issued": "Teguran tertulis diberikan",
    "permit_issue_cancelled": "Penerbitan izin dibatalkan",
    "hand_signed_archived": "Pindaian dokumen bertanda tangan basah diarsipkan",
    "certificate_issued": "Sertifikat elektronik diterbitkan",
    "certificate_imported": "Sertifikat elektronik diimpor",
    "certificate_revoked": "Sertifikat elektronik dicabut",
    "certificate_renewal_approved": "Sertifikat baru disetujui Administrator",
    "signing_locked": "Penandatanganan dikunci (passphrase salah berulang)",
    "signing_unlocked": "Kunci penandatanganan dibuka Administrator",
    "login": "Masuk",
    "notification_template_changed": "Templat pemberitahuan diubah",
    "notification_template_reset": "Templat pemberitahuan dikembalikan ke bawaan",
    "notification_preference_changed": "Pilihan saluran pemberitahuan diubah",
    "sms_status_checked": "Status dicek lewat SMS",
    "renewal_submitted": "Permohonan perpanjangan izin diajukan",
    "submitted_at_counter": "Diajukan petugas loket atas nama Pemohon",
    "applicant_registered_at_counter": "Akun Pemohon dibuat di loket",
    "account_claimed": "Akun diambil alih pemiliknya",
    "survey_answered": "Survei kepuasan diisi Pemohon",
    "complaint_filed": "Pengaduan masuk",
    "directory_changed": "Direktori dinas diubah",
    "queue_called": "Nomor antrean dipanggil",
    "help_thread_opened": "Pertanyaan bantuan dikirim",
    "help_thread_replied": "Pertanyaan bantuan dibalas",
    "regulation_added": "Peraturan ditambahkan",
    "regulation_removed": "Peraturan dihapus",
    "complaint_acknowledged": "Pengaduan diverifikasi dan diteruskan",
    "complaint_answered": "Pengaduan dijawab",
    "complaint_closed": "Pengaduan ditutup",
    "complaint_escalated": "Pengaduan terlambat dieskalasikan",
    "permit_card_downloaded": "Kartu izin diunduh",
    "entered_manually": "Dicatat manual dari dokumen kertas (waktu asli dan waktu pencatatan)",
    "password_changed": "Kata sandi diganti",
    "api_token_issued": "Token API dibuat",
    "api_token_revoked": "Token API dicabut",
    "password_reset": "Kata sandi sementara dibuat admin",
    "user_deactivated": "Akun dinonaktifkan",
    "user_activated": "Akun diaktifkan",
    "user_roles_changed": "Peran akun diubah",
    "user_scope_changed": "Cakupan jenis izin akun diubah",
    "account_unlocked": "Kunci akun dibuka admin",
    "account_locked": "Percobaan masuk pada akun yang terkunci",
    "password_reset_requested": "Tautan pemulihan kata sandi dikirim",
    "password_reset_completed": "Kata sandi dipulihkan lewat tautan",
    "totp_enabled": "Verifikasi dua langkah diaktifkan",
    "totp_disabled": "Verifikasi dua langkah dimatikan",
    "totp_failed": "Kode verifikasi dua langkah salah",
    "login_failed": "Gagal masuk",
    "sessions_ended": "Keluar (semua sesi diakhiri)",
    "permission_denied": "Akses ditolak",
    "document_downloaded": "Dokumen diunduh",
    "force_majeure_declared": "Keadaan kahar dinyatakan",
    "force_majeure_ended": "Keadaan kahar diakhiri",
    "sla_warning": "Peringatan waktu layanan",
    "sla_escalated": "Eskalasi waktu layanan",
    "sla_warning_voided": "Peringatan waktu layanan dibatalkan (keliru)",
    "sla_escalation_voided": "Eskalasi waktu layanan dibatalkan (keliru)",
    "stage_escalated": "Tahap melewati batas waktu",
    "stage_escalation_voided": "Eskalasi tahap dibatalkan (keliru)",
    "deemed_approved": "Dianggap disetujui (fiktif positif)",
    "timer_fired": "Batas waktu proses tercapai",
    "permit_type_imported": "Jenis izin diimpor sebagai draf",
    "dry_run": "Uji coba proses (draf)",
    "email_confirmed": "Email akun dikonfirmasi",
    "identity_checked": "Identitas diperiksa ke Dukcapil",
    "virtual_account_opened": "Virtual account pembayaran dibuka di bank",
    "payment_received": "Pembayaran diterima dari bank",
    "payment_notification_refused": "Notifikasi pembayaran bank ditolak",
    "payment_reconciled": "Rekonsiliasi dengan mutasi bank",
}


def qr_svg(text: str | None) -> Markup:
    """A QR code (a QRIS payload) as inline SVG, scalable and sharp on a phone."""
    if not text:
        return Markup("")
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="Kode QRIS pembayaran" ', 1))


def _tariff_cell(cell, is_output, column, fields) -> str:
    from engine.process_admin.fee_guide import readable

    return readable(cell, is_output, column, fields)


def _unread_notices(user) -> int:
    from engine.notifications.notices import unread_count

    from .extensions import db

    return unread_count(db.session, user)


def register(app):
    zone = app.config["AGENCY_TIMEZONE"]
    app.jinja_env.globals["is_staff"] = is_staff
    app.jinja_env.globals["sanction_kinds"] = SANCTIONS
    app.jinja_env.globals["zone_label"] = zone_label(zone)
    app.jinja_env.globals["may_view_reports"] = lambda user: may(user.role_names, "view_reports")
    app.jinja_env.globals["unread_notices"] = _unread_notices
    app.jinja_env.globals["zip"] = zip
    app.jinja_env.globals["tariff_cell"] = _tariff_cell
    app.jinja_env.filters.update(
        waktu=lambda value: "—" if value is None else format_datetime(value, zone),
        rupiah=format_rupiah,
        angka=lambda value: "—" if value is None else format_number(value, 1),
        tanggal=lambda value: "—" if value is None else format_date(value, zone),
        status_label=lambda s: STATUS_LABELS.get(s, s),
        doc_status=lambda s: DOC_STATUS_LABELS.get(s, s),
        role_label=lambda r: ROLE_LABELS.get(r, r),
        action_label=lambda a: _ACTIONS.get(a, a),
        qr_svg=qr_svg,
    )
