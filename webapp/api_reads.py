"""What the API lets a client read beyond a file: public tracking (as ``/lacak`` shows it), the
signer's own certificates and their revocation, and the supervisor's service-time report. Routes of
the ``api`` blueprint."""

from __future__ import annotations

from flask import g, jsonify

from engine.accounts.permissions import scope_of
from engine.casework import queries
from engine.core.errors import PermissionDenied
from engine.core.localtime import Phrase
from engine.core.roles import may
from engine.documents import certificates
from engine.service_time import clock_status, sla_stats

from .api import bp
from .extensions import db, limiter
from .formdata import months_asked
from .services import services


def _iso(moment):
    return moment.isoformat() if moment else None


@bp.get("/tracking/<number>")
@limiter.limit("60 per minute")
def tracking(number):
    """What anyone holding a registration number may see, as on the public tracking page.
    ---
    get:
      summary: "Lacak permohonan dari nomor registrasinya (tanpa token): status, langkah yang sudah dilalui,
        yang sedang berlangsung dan yang berikutnya, perkiraan selesai"
      responses: {200: Tracking, 404: null}
    """
    application = queries.application_by_reg(db.session, number)
    progress = queries.progress(db.session, application)
    clock = clock_status.status_of(db.session, services().calendar, application)
    return jsonify(
        {
            "reg_number": application.reg_number,
            "permit_type": application.permit_type.code,
            "permit_type_name": application.permit_type.name,
            "status": application.status,
            "outcome_reason": application.outcome_reason
            if application.status in ("ditolak", "gugur", "dibatalkan")
            else None,
            "passed": [
                {"step": e.task_title or "Permohonan diajukan", "at": e.at.isoformat()}
                for e in queries.history(db.session, application, public=True)
            ],
            "current": [item.title for item in queries.open_items(db.session, application)],
            "ahead": progress.ahead,
            "service_time": None
            if clock is None
            else {
                "deadline": _iso(clock.deadline),
                "if_resumed": _iso(clock.if_resumed),
                "paused": clock.paused,
                "ended": clock.ended,
                # Whole days as the public page counts them (a day begun is a day used).
                "working_days_used": clock.used_whole_days,
                "working_days_allowed": clock.budget_whole_days,
            },
        }
    )


@bp.get("/certificates")
def my_certificates():
    """
    ---
    get:
      summary: Sertifikat elektronik saya (penanda tangan) dan status pencabutannya
      responses: {200: "[Certificate]"}
    """
    return jsonify(
        [
            {
                "serial": c.serial,
                "subject": c.subject,
                "issuer": c.issuer,
                "source": c.source,
                "status": c.status,
                "valid_from": c.not_before.isoformat(),
                "valid_until": c.not_after.isoformat(),
                "revoked_at": _iso(c.revoked_at),
                "revocation_reason": c.revocation_reason,
            }
            for c in certificates.certificates_of(db.session, g.api_user)
        ]
    )


def _summary(s) -> dict:
    return {
        "name": str(s.label),
        "completed": s.count,
        "on_time": s.on_time,
        "on_time_rate": s.on_time_rate,
        "median_working_days": s.median,
        "p90_working_days": s.p90,
    }


@bp.get("/supervision/service-time")
def service_time_report():
    """The supervisor's figures, within the permit types of the reader's authority.
    ---
    get:
      summary: "Laporan waktu layanan (pengawas): jumlah selesai, tepat waktu, median dan persentil 90 per jenis
        izin, bulan, tahap dan petugas"
      parameters:
        - {name: dari, in: query, schema: {type: string, pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$"}, description: TTTT-BB}
        - {name: sampai, in: query, schema: {type: string, pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$"}, description: TTTT-BB}
      responses: {200: ServiceTimeReport, 403: null, 422: null}
    """
    if not may(g.api_user.role_names, "view_reports"):
        raise PermissionDenied(Phrase("Peran Anda tidak berwenang membaca laporan."))
    report = sla_stats.report(db.session, months_asked(), scope_of(db.session, g.api_user).permit_type_ids)
    return jsonify(
        {
            "from": report.months[0],
            "to": report.months[1],
            "total": _summary(report.total),
            **{
                key: [_summary(s) for s in summaries]
                for key, summaries in (
                    ("by_permit_type", report.by_type),
                    ("by_month", report.by_month),
                    ("by_stage", report.by_stage),
                    ("by_officer", report.by_officer),
                )
            },
        }
    )
