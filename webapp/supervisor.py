"""Supervision: service-time overview, force majeure. For supervisors, the head and admins."""
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engine import queries, sla
from engine.clock import utcnow
from engine.documents import documents_of
from engine.errors import NotFound, PermissionDenied, ValidationFailed
from engine.roles import ADMIN, HEAD
from engine.working_time import ZONES

from . import verbs
from .access import guard
from .downloads import send_document
from .extensions import db
from .services import services

bp = guard(Blueprint("supervisor", __name__, url_prefix="/pengawasan"), "view_reports")


def _local(text: str) -> datetime | None:
    """A datetime-local field, read in the agency's time zone."""
    from zoneinfo import ZoneInfo

    if not text:
        return None
    zone = services().calendar.zone
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(ZONES.get(zone, zone)))


@bp.get("/")
def overview():
    at_risk, overdue = sla.at_risk_and_overdue(db.session)
    return render_template("supervisor/overview.html", at_risk=at_risk, overdue=overdue)


@bp.get("/permohonan/<int:application_id>")
def application(application_id):
    app_row = queries.get_application(db.session, application_id)
    return render_template("staff/application.html", application=app_row, documents=documents_of(db.session, app_row),
                           history=queries.history(db.session, app_row), now=utcnow(), may_end=False,
                           may_upload_scan=False, doc_blueprint="supervisor",
                           clock=sla.status_of(db.session, services().calendar, app_row))


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
            started, ended = _local(values["mulai"]), _local(values["selesai"])
            if started is None:
                raise ValidationFailed("Waktu mulai wajib.", {"mulai": "Isi waktu mulai."})
            calendar = sla.calendar_for(db.session, services().calendar)
            verbs.run(lambda: sla.declare_force_majeure(
                db.session, calendar, current_user, category=values["kategori"], description=values["uraian"],
                permit_type_codes=codes or None, started_at=started, ended_at=ended), current_user)
        except ValueError:
            errors, status = {"mulai": "Format waktu tidak dikenal."}, 422
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        except PermissionDenied as exc:
            flash(exc.message, "error")
            status = 403
        else:
            flash("Keadaan kahar dicatat; waktu layanan permohonan dalam cakupannya dihentikan.", "success")
            return redirect(url_for("supervisor.force_majeure"))
    from engine.definitions import active_permit_types

    return render_template("supervisor/force_majeure.html", items=sla.force_majeure_list(db.session),
                           categories=sla.FORCE_MAJEURE_CATEGORIES, permit_types=active_permit_types(db.session),
                           errors=errors, values=values, may_declare=may_declare), status


@bp.post("/keadaan-kahar/<int:force_id>/akhiri")
def end_force_majeure(force_id):
    try:
        calendar = sla.calendar_for(db.session, services().calendar)
        verbs.run(lambda: sla.end_force_majeure(db.session, calendar, current_user, force_id), current_user)
    except (ValidationFailed, PermissionDenied, NotFound) as exc:
        flash(exc.message, "error")
    else:
        flash("Keadaan kahar diakhiri; waktu layanan berjalan kembali dengan sisa waktunya.", "success")
    return redirect(url_for("supervisor.force_majeure"))
