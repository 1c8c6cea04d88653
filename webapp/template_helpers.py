"""Filters and globals for templates. Times are shown in the agency's zone (``AGENCY_TIMEZONE``)
with its own label: WIB, WITA or WIT."""

from babel.numbers import format_decimal
from flask_babel import get_locale, gettext
from markupsafe import Markup

from engine.accounts.permissions import is_staff
from engine.casework.applications import STATUS_LABELS
from engine.core.localtime import N_, format_date, format_datetime, format_number, format_rupiah, zone_label
from engine.core.roles import ROLE_LABELS, may
from engine.documents.documents import SANCTIONS
from engine.documents.documents import STATUS_LABELS as DOC_STATUS_LABELS

_ACTIONS = {
    "submitted": N_("Permohonan diajukan"),
    "resubmitted": N_("Perbaikan dikirim Pemohon"),
    "task_completed": N_("Selesai"),
    "task_claimed": N_("Tugas diambil petugas"),
    "task_released": N_("Tugas dilepas petugas"),
    "task_assigned": N_("Tugas diserahkan Kepala Dinas kepada petugas"),
    "document_issued": N_("Dokumen diterbitkan"),
    "signing_refused": N_("Penandatanganan ditolak"),
    "permit_revoked": N_("Izin dicabut"),
    "permit_cancelled": N_("Izin dibatalkan"),
    "written_warning_issued": N_("Teguran tertulis diberikan"),
    "permit_issue_cancelled": N_("Penerbitan izin dibatalkan"),
    "hand_signed_archived": N_("Pindaian dokumen bertanda tangan basah diarsipkan"),
    "certificate_issued": N_("Sertifikat elektronik diterbitkan"),
    "certificate_imported": N_("Sertifikat elektronik diimpor"),
    "certificate_revoked": N_("Sertifikat elektronik dicabut"),
    "certificate_renewal_approved": N_("Sertifikat baru disetujui Administrator"),
    "signing_locked": N_("Penandatanganan dikunci (passphrase salah berulang)"),
    "signing_unlocked": N_("Kunci penandatanganan dibuka Administrator"),
    "login": N_("Masuk"),
    "notification_template_changed": N_("Templat pemberitahuan diubah"),
    "notification_template_reset": N_("Templat pemberitahuan dikembalikan ke bawaan"),
    "notification_preference_changed": N_("Pilihan saluran pemberitahuan diubah"),
    "sms_status_checked": N_("Status dicek lewat SMS"),
    "renewal_submitted": N_("Permohonan perpanjangan izin diajukan"),
    "submitted_at_counter": N_("Diajukan petugas loket atas nama Pemohon"),
    "applicant_registered_at_counter": N_("Akun Pemohon dibuat di loket"),
    "account_claimed": N_("Akun diambil alih pemiliknya"),
    "survey_answered": N_("Survei kepuasan diisi Pemohon"),
    "complaint_filed": N_("Pengaduan masuk"),
    "directory_changed": N_("Direktori dinas diubah"),
    "queue_called": N_("Nomor antrean dipanggil"),
    "help_thread_opened": N_("Pertanyaan bantuan dikirim"),
    "help_thread_replied": N_("Pertanyaan bantuan dibalas"),
    "regulation_added": N_("Peraturan ditambahkan"),
    "regulation_removed": N_("Peraturan dihapus"),
    "complaint_acknowledged": N_("Pengaduan diverifikasi dan diteruskan"),
    "complaint_answered": N_("Pengaduan dijawab"),
    "complaint_closed": N_("Pengaduan ditutup"),
    "complaint_escalated": N_("Pengaduan terlambat dieskalasikan"),
    "permit_card_downloaded": N_("Kartu izin diunduh"),
    "entered_manually": N_("Dicatat manual dari dokumen kertas (waktu asli dan waktu pencatatan)"),
    "password_changed": N_("Kata sandi diganti"),
    "api_token_issued": N_("Token API dibuat"),
    "api_token_revoked": N_("Token API dicabut"),
    "password_reset": N_("Kata sandi sementara dibuat admin"),
    "user_deactivated": N_("Akun dinonaktifkan"),
    "user_activated": N_("Akun diaktifkan"),
    "user_roles_changed": N_("Peran akun diubah"),
    "user_scope_changed": N_("Cakupan jenis izin akun diubah"),
    "account_unlocked": N_("Kunci akun dibuka admin"),
    "account_locked": N_("Percobaan masuk pada akun yang terkunci"),
    "password_reset_requested": N_("Tautan pemulihan kata sandi dikirim"),
    "password_reset_completed": N_("Kata sandi dipulihkan lewat tautan"),
    "totp_enabled": N_("Verifikasi dua langkah diaktifkan"),
    "totp_disabled": N_("Verifikasi dua langkah dimatikan"),
    "totp_failed": N_("Kode verifikasi dua langkah salah"),
    "login_failed": N_("Gagal masuk"),
    "sessions_ended": N_("Keluar (semua sesi diakhiri)"),
    "permission_denied": N_("Akses ditolak"),
    "document_downloaded": N_("Dokumen diunduh"),
    "force_majeure_declared": N_("Keadaan kahar dinyatakan"),
    "force_majeure_ended": N_("Keadaan kahar diakhiri"),
    "sla_warning": N_("Peringatan waktu layanan"),
    "sla_escalated": N_("Eskalasi waktu layanan"),
    "sla_warning_voided": N_("Peringatan waktu layanan dibatalkan (keliru)"),
    "sla_escalation_voided": N_("Eskalasi waktu layanan dibatalkan (keliru)"),
    "stage_escalated": N_("Tahap melewati batas waktu"),
    "stage_escalation_voided": N_("Eskalasi tahap dibatalkan (keliru)"),
    "deemed_approved": N_("Dianggap disetujui (fiktif positif)"),
    "timer_fired": N_("Batas waktu proses tercapai"),
    "permit_type_imported": N_("Jenis izin diimpor sebagai draf"),
    "dry_run": N_("Uji coba proses (draf)"),
    "email_confirmed": N_("Email akun dikonfirmasi"),
    "identity_checked": N_("Identitas diperiksa ke Dukcapil"),
    "virtual_account_opened": N_("Virtual account pembayaran dibuka di bank"),
    "payment_received": N_("Pembayaran diterima dari bank"),
    "payment_notification_refused": N_("Notifikasi pembayaran bank ditolak"),
    "payment_reconciled": N_("Rekonsiliasi dengan mutasi bank"),
}


def qr_svg(text: str | None) -> Markup:
    """A QR code (a QRIS payload) as inline SVG, scalable and sharp on a phone."""
    if not text:
        return Markup("")
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    label = gettext("Kode QRIS pembayaran")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def _tariff_cell(cell, is_output, column, fields) -> str:
    from engine.process_admin.fee_guide import readable

    return readable(cell, is_output, column, fields, _locale(), gettext)


def _unread_notices(user) -> int:
    from engine.notifications.notices import unread_count

    from .extensions import db

    return unread_count(db.session, user)


def _locale() -> str:
    return str(get_locale())


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
        waktu=lambda value: "—" if value is None else format_datetime(value, zone, _locale()),
        rupiah=lambda value: format_rupiah(value, _locale()),
        angka=lambda value: "—" if value is None else format_number(value, 1, _locale()),
        # A score read to two decimals (the IKM's converted value): 82,30.
        nilai=lambda value: "—" if value is None else format_decimal(value, format="#,##0.00", locale=_locale()),
        desimal3=lambda value: "—" if value is None else format_decimal(value, format="#,##0.000", locale=_locale()),
        tanggal=lambda value: "—" if value is None else format_date(value, zone, _locale()),
        # The labels are written in Indonesian; the catalog gives them in the reader's language.
        status_label=lambda s: gettext(STATUS_LABELS.get(s, s)),
        doc_status=lambda s: gettext(DOC_STATUS_LABELS.get(s, s)),
        role_label=lambda r: gettext(ROLE_LABELS.get(r, r)),
        action_label=lambda a: gettext(_ACTIONS.get(a, a)),
        qr_svg=qr_svg,
    )
