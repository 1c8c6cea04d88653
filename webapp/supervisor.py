"""Supervision: service-time overview, force majeure. For supervisors, the head and admins."""

import csv
import io
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.accounts.permissions import permit_types_in_scope, scope_of
from engine.casework import deadlines
from engine.connectors import health as connector_health
from engine.core.clock import utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from engine.core.files import sniff_mime
from engine.core.localtime import Phrase, local, zone_info
from engine.core.roles import ADMIN, HEAD
from engine.feedback import complaints, ikm, survey
from engine.service_time import clock_status, sla, sla_stats
from engine.service_time import force_majeure as force_majeure_verbs

from . import verbs
from .access import guard
from .downloads import send_document
from .extensions import db
from .formdata import local_input, months_asked
from .i18n import say
from .reading import application_page
from .services import services

bp = guard(Blueprint("supervisor", __name__, url_prefix="/pengawasan"), "view_reports")


def _zone() -> ZoneInfo:
    return zone_info(services().calendar.zone)


def _this_month() -> datetime:
    return local(utcnow(), services().calendar.zone)


def _month_start(month: str, offset: int) -> datetime:
    """Midnight, agency time, starting the month ``offset`` months after ``month`` (YYYY-MM)."""
    year, number = (int(part) for part in month.split("-"))
    number += offset
    year, number = year + (number - 1) // 12, (number - 1) % 12 + 1
    return datetime(year, number, 1, tzinfo=_zone())


def _within() -> tuple[int | None, frozenset[int] | None]:
    """The permit type asked for (``jenis``) and the permit types to report on: that one, or all
    within the supervisor's authority (None: every type)."""
    scope = scope_of(db.session, current_user)
    permit_type = request.args.get("jenis", type=int)
    if permit_type:
        if not scope.covers(permit_type):
            raise PermissionDenied(Phrase("Jenis izin ini di luar kewenangan Anda."))
        return permit_type, frozenset({permit_type})
    return None, scope.permit_type_ids


def _report():
    permit_type, within = _within()
    return sla_stats.report(db.session, months_asked(), within), permit_type, within


@bp.get("/")
def overview():
    try:
        report, permit_type, within = _report()
    except ValidationFailed as exc:
        flash(exc.errors["periode"], "error")
        return redirect(url_for("supervisor.overview"))
    at_risk, overdue = clock_status.at_risk_and_overdue(db.session, permit_types=within)
    missed_counts, missed = deadlines.missed_stages(
        db.session, _month_start(report.months[0], 0), _month_start(report.months[1], 1), within
    )
    chart = {
        "months": [m.label for m in report.by_month],
        "on_time": [m.on_time_rate for m in report.by_month],
        "median": [m.median for m in report.by_month],
        "p90": [m.p90 for m in report.by_month],
        "types": [t.label for t in report.by_type],
        "type_on_time": [t.on_time_rate for t in report.by_type],
        "labels": {
            "on_time": _("% tepat waktu"),
            "median": _("Median"),
            "p90": _("Persentil 90"),
            "days": _("hari kerja"),
        },
    }

    return render_template(
        "supervisor/overview.html",
        at_risk=at_risk,
        overdue=overdue,
        report=report,
        chart=chart,
        permit_types=permit_types_in_scope(db.session, current_user),
        permit_type=permit_type,
        missed_counts=missed_counts,
        missed=missed,
        connectors=connector_health.overview(db.session, services().connectors),
    )


@bp.get("/ekspor.<fmt>")
def export(fmt):
    report, _type, _within_types = _report()
    rows = sla_stats.table(report)
    name = f"waktu-layanan-{report.months[0]}-{report.months[1]}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return Response(
            "\ufeff" + buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={name}.csv"},
        )
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Waktu layanan"
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return Response(
            out.getvalue(),
            headers={"Content-Disposition": f"attachment; filename={name}.xlsx"},
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise NotFound(Phrase("Format ekspor tidak dikenal."))


@bp.get("/laporan-bulanan")
def monthly_report():
    """The monthly issuance report to the mayor, as a PDF."""
    month = request.args.get("bulan") or _this_month().strftime("%Y-%m")
    try:
        start, end = _month_start(month, 0), _month_start(month, 1)
    except ValueError:
        flash(_("Bulan tidak valid; gunakan format TTTT-BB."), "error")
        return redirect(url_for("supervisor.overview"))
    _chosen, within = _within()
    permits = sla_stats.issued_in(db.session, start, end, within)
    summary = sla_stats.report(db.session, (month, month), within)
    from signing import reports  # the PDF library is loaded when a report is first made

    pdf = reports.monthly_issuance(vars(services().agency), month, permits, summary, services().calendar.zone)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=laporan-penerbitan-izin-{month}.pdf"},
    )


@bp.get("/permohonan/<int:application_id>")
def application(application_id):
    return application_page(application_id, "supervisor")


@bp.get("/dokumen/<int:document_id>")
def document(document_id):
    return send_document(document_id, current_user)


@bp.route("/keadaan-kahar", methods=["GET", "POST"])
def force_majeure():
    errors, values, status = {}, {}, 200
    may_declare = current_user.has_role(HEAD) or current_user.has_role(ADMIN)
    if request.method == "POST":
        values = {k: request.form.get(k, "").strip() for k in ("kategori", "uraian", "mulai", "selesai")}
        codes = request.form.getlist("jenis_izin")
        try:
            started, ended = local_input(values["mulai"]), local_input(values["selesai"])
            if started is None:
                raise ValidationFailed(Phrase("Waktu mulai wajib."), {"mulai": Phrase("Isi waktu mulai.")})
            calendar = sla.calendar_for(db.session, services().calendar)
            verbs.run(
                lambda: force_majeure_verbs.declare_force_majeure(
                    db.session,
                    calendar,
                    current_user,
                    category=values["kategori"],
                    description=values["uraian"],
                    permit_type_codes=codes or None,
                    started_at=started,
                    ended_at=ended,
                    services=services(),
                ),
                current_user,
            )
        except ValueError:
            errors, status = {"mulai": "Format waktu tidak dikenal."}, 422
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        except PermissionDenied as exc:
            flash(say(exc.message), "error")
            status = 403
        else:
            flash(_("Keadaan kahar dicatat; waktu layanan permohonan dalam cakupannya dihentikan."), "success")
            return redirect(url_for("supervisor.force_majeure"))
    from engine.workflow.definitions import active_permit_types

    return render_template(
        "supervisor/force_majeure.html",
        items=clock_status.force_majeure_list(db.session),
        categories=sla.FORCE_MAJEURE_CATEGORIES,
        permit_types=active_permit_types(db.session),
        errors=errors,
        values=values,
        may_declare=may_declare,
    ), status


@bp.post("/keadaan-kahar/<int:force_id>/akhiri")
def end_force_majeure(force_id):
    try:
        calendar = sla.calendar_for(db.session, services().calendar)
        verbs.run(
            lambda: force_majeure_verbs.end_force_majeure(
                db.session, calendar, current_user, force_id, services=services()
            ),
            current_user,
        )
    except (ValidationFailed, PermissionDenied, NotFound) as exc:
        flash(say(exc.message), "error")
    else:
        flash(_("Keadaan kahar diakhiri; waktu layanan berjalan kembali dengan sisa waktunya."), "success")
    return redirect(url_for("supervisor.force_majeure"))


def _ikm_scope():
    """The permit types the index covers: one type (``jenis``), one unit's (``unit``), or all in the
    supervisor's authority; with the label the report gives them."""
    permit_type, within = _within()
    types = permit_types_in_scope(db.session, current_user)
    unit = request.args.get("unit") or None
    if permit_type:
        label = next((p.name for p in types if p.id == permit_type), "")
    elif unit:
        within = frozenset(p.id for p in types if p.unit == unit)
        label = f"Unit {unit}"
    else:
        label = "Semua jenis izin"
    return permit_type, unit, within, label, types


@bp.get("/ikm")
def satisfaction():
    """The satisfaction index (IKM) of the period and the permit types or unit asked, with its PDF report."""
    permit_type, unit, within, label, types = _ikm_scope()
    start, end = months_asked()
    found = survey.report(db.session, start, end, within)
    return render_template(
        "supervisor/ikm.html",
        report=found,
        unsur=ikm.UNSUR,
        start=start,
        end=end,
        permit_type=permit_type,
        unit=unit,
        label=label,
        permit_types=types,
        units=sorted({p.unit for p in types if p.unit}),
    )


@bp.get("/ikm.pdf")
def satisfaction_pdf():
    from engine.feedback import report_pdf  # the PDF library loads with the first report, not at start

    _permit_type, _unit, within, label, _types = _ikm_scope()
    start, end = months_asked()
    agency = services().agency
    pdf = report_pdf.render(survey.report(db.session, start, end, within), f"{agency.name} {agency.city}", label)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=laporan-ikm-{start}-{end}.pdf"},
    )


@bp.get("/pengaduan")
def complaints_page():
    """Complaints with their LAPOR! deadlines: counts, what is late, each one's state."""
    return render_template(
        "supervisor/complaints.html",
        rows=complaints.listing(db.session, request.args.get("status")),
        counts=complaints.counts(db.session),
        categories=complaints.CATEGORIES,
        labels=complaints.STATUS_LABELS,
        now=utcnow(),
    )


@bp.route("/pengaduan/<code>", methods=["GET", "POST"])
def complaint_page(code):
    found = complaints.by_code(db.session, code)
    errors = {}
    if request.method == "POST":
        action = request.form.get("tindakan")
        calendar = sla.calendar_for(db.session, services().calendar)
        try:
            if action == "verifikasi":
                verbs.run(
                    lambda: complaints.acknowledge(
                        db.session, calendar, current_user, code, request.form.get("unit", "")
                    ),
                    current_user,
                )
            elif action == "jawab":
                verbs.run(
                    lambda: complaints.answer(
                        db.session,
                        current_user,
                        code,
                        request.form.get("jawaban", ""),
                        bool(request.form.get("publikasi")),
                    ),
                    current_user,
                )
            elif action == "tutup":
                verbs.run(lambda: complaints.close(db.session, current_user, code), current_user)
        except ValidationFailed as exc:
            errors = exc.errors
        except Conflict as exc:
            flash(say(exc.message), "error")
        else:
            flash(_("Pengaduan diperbarui."), "success")
            return redirect(url_for("supervisor.complaint_page", code=found.code))
    return render_template(
        "supervisor/complaint.html",
        complaint=found,
        errors=errors,
        categories=complaints.CATEGORIES,
        labels=complaints.STATUS_LABELS,
        now=utcnow(),
    ), (422 if errors else 200)


@bp.get("/pengaduan/<code>/lampiran/<int:number>")
def complaint_attachment(code, number):
    """One of the files a complaint came with, for those who handle it."""
    found = complaints.by_code(db.session, code)
    if not 0 <= number < len(found.attachments or []):
        raise NotFound(Phrase("Lampiran tidak ditemukan."))
    attachment = found.attachments[number]
    content = services().files.read(attachment["sha256"])
    return send_file(
        BytesIO(content), mimetype=sniff_mime(content) or "application/octet-stream", download_name=attachment["nama"]
    )


@bp.get("/pengaduan-lapor.<fmt>")
def complaints_export(fmt):
    """All complaints in the documented shape for forwarding to SP4N-LAPOR! (CSV or JSON)."""
    rows = complaints.lapor_rows(db.session)
    if fmt == "json":
        return jsonify({"format": "ptsp-el/lapor-v1", "fields": list(complaints.LAPOR_FIELDS), "records": rows})
    if fmt != "csv":
        raise NotFound(Phrase("Format tidak dikenal."))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(complaints.LAPOR_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=pengaduan-lapor.csv"},
    )
