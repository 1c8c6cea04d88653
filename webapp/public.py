"""Public information: permit guides, tracking, document verification. No login."""

from io import BytesIO

from flask import Blueprint, Response, jsonify, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.casework import queries
from engine.core.errors import NotFound, ProcessDefinitionError, ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import Phrase
from engine.documents import verification
from engine.feedback import complaints, survey
from engine.process_admin import fee_guide
from engine.public_data import directory, open_data
from engine.service_time import clock_status, sla
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form

from .extensions import db, limiter
from .formdata import months_asked
from .services import services

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html", permit_types=definitions.active_permit_types(db.session))


@bp.get("/izin/<code>")
def permit_type(code):
    """The permit guide, with the fee table of the published process and a calculator over it."""
    chosen = definitions.permit_type_by_code(db.session, code)
    version = definitions.published_version(db.session, chosen)
    guide = fee_guide.guide_of(version.files, submission_form(version))
    values = {f.name: request.args.get(f.name, "") for f in guide.fields} if guide else {}
    fee, errors = None, {}
    if guide and request.args.get("hitung"):
        try:
            fee = fee_guide.estimate(version.files, guide, values)
        except ValidationFailed as exc:
            errors = exc.errors
        except ProcessDefinitionError:
            errors = {"_form": _("Tabel tarif tidak memuat ketentuan untuk isian ini; tanyakan ke loket pelayanan.")}
    return render_template(
        "public/permit_type.html",
        permit_type=chosen,
        guide=guide,
        values=values,
        fee=fee,
        errors=errors,
        regulations=directory.regulations(db.session, chosen.code),
    ), (422 if errors else 200)


@bp.get("/izin/<code>/alur.bpmn")
def permit_flow(code):
    """The published service flow, drawn on the guide page so applicants see who handles each step."""
    version = definitions.published_version(db.session, definitions.permit_type_by_code(db.session, code))
    files = version.files
    return Response(
        files[definitions.diagram_name(files)],
        mimetype="application/xml",
        headers={"Cache-Control": "public, max-age=300"},
    )


@bp.get("/lacak")
@limiter.limit("60 per minute")
def track():
    number = request.args.get("nomor", "").strip()
    application, error, steps, current, progress = None, None, [], [], None
    if number:
        try:
            application = queries.application_by_reg(db.session, number)
        except NotFound as exc:
            error = exc.message
        else:
            steps = queries.history(db.session, application, public=True)
            current = queries.open_items(db.session, application)
            progress = queries.progress(db.session, application)
    status = 404 if error else 200
    clock = clock_status.status_of(db.session, services().calendar, application) if application else None
    return render_template(
        "public/track.html",
        number=number,
        application=application,
        error=error,
        steps=steps,
        current=current,
        clock=clock,
        progress=progress,
    ), status


@bp.get("/lacak/<number>/alur.bpmn")
@limiter.limit("60 per minute")
def track_flow(number):
    """The diagram the file runs on (its own process version, which may be older than the published one)."""
    files = queries.application_by_reg(db.session, number).process_version.files
    return Response(
        files[definitions.diagram_name(files)],
        mimetype="application/xml",
        headers={"Cache-Control": "public, max-age=300"},
    )


@bp.get("/verify/<code>")
def verify(code):
    check = verification.check_code(db.session, services(), code)
    return render_template("public/verify.html", check=check, code=code)


@bp.get("/verify/<code>/asli")
def verify_original(code):
    """The archived original of a verifiable document, for anyone holding its code."""
    doc = verification.check_code(db.session, services(), code).document
    return send_file(
        BytesIO(services().files.read(doc.sha256)),
        mimetype=doc.file.mime_type,
        as_attachment=True,
        download_name=doc.original_name or f"dokumen-{doc.id}.pdf",
    )


@bp.route("/verifikasi", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def verify_upload():
    check, error, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("berkas")
        content = upload.read() if upload else b""
        if not content:
            error, status = "Pilih berkas PDF yang akan diperiksa.", 422
        elif len(content) > verification.MAX_UPLOAD_MB * 1024 * 1024:
            error, status = f"Ukuran berkas melebihi {verification.MAX_UPLOAD_MB} MB.", 413
        elif not content.startswith(b"%PDF-"):
            error, status = "Berkas ini bukan PDF.", 422
        else:
            check = verification.check_upload(db.session, services(), content)
    return render_template("public/verify_upload.html", check=check, error=error), status


# --- public statistics and open data (R1.3) ------------------------------------------------------------


def _period() -> tuple[str, str]:
    """The months asked; a malformed period is a page that does not exist (the URLs are stable)."""
    try:
        return months_asked()
    except ValidationFailed:
        raise NotFound(Phrase("Periode tidak dikenal: gunakan dari=TTTT-BB dan sampai=TTTT-BB.")) from None


def _records(name: str, start: str, end: str) -> list[dict]:
    if name == open_data.ISSUED.name:
        return open_data.issued_permits(db.session, start, end, services().calendar.zone)
    if name == open_data.FEEDBACK.name:
        return open_data.feedback(db.session, start, end, services().calendar.zone)
    return open_data.service_times(db.session, start, end)


@bp.get("/statistik")
def statistics():
    start, end = _period()
    issued, times = _records("izin-terbit", start, end), _records("waktu-layanan", start, end)
    satisfaction = _records("kepuasan-pengaduan", start, end)
    months = sorted({r["bulan"] for r in issued} | {r["bulan"] for r in times})

    def on_time(month):
        done = [t for t in times if t["bulan"] == month]
        count = sum(t["jumlah_selesai"] for t in done)
        return round(100 * sum(t["tepat_waktu"] for t in done) / count, 1) if count else None

    chart = {
        "months": months,
        "issued": [sum(r["jumlah_izin"] for r in issued if r["bulan"] == m) for m in months],
        "on_time": [on_time(m) for m in months],
        "labels": {"issued": _("Izin terbit"), "on_time": _("% tepat waktu")},
    }
    period = survey.report(db.session, start, end)
    return render_template(
        "public/statistics.html",
        start=start,
        end=end,
        issued=issued,
        times=times,
        chart=chart,
        datasets=open_data.DATASETS,
        satisfaction=[r for r in satisfaction if r["responden_survei"] or r["pengaduan_masuk"]],
        period_ikm=period.index,
    )


@bp.get("/data/<name>.<fmt>")
@limiter.limit("60 per minute")
def dataset(name, fmt):
    """One open dataset, as CSV or as JSON with its metadata; the URL is stable."""
    import csv
    import io

    chosen = open_data.DATASETS.get(name)
    if chosen is None or fmt not in ("csv", "json"):
        raise NotFound(Phrase("Dataset tidak ditemukan."))
    start, end = _period()
    records = _records(name, start, end)
    columns = [column for column, _kind, _meaning in chosen.fields]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f"inline; filename={name}-{start}-{end}.csv"},
        )
    agency = services().agency
    return jsonify(
        {
            "dataset": name,
            "title": chosen.title,
            "description": chosen.description,
            "publisher": f"{agency.name} {agency.city}",
            "license": "CC-BY-4.0",
            "period": {"start": start, "end": end},
            "fields": [{"name": c, "type": k, "description": m} for c, k, m in chosen.fields],
            "records": records,
        }
    )


@bp.get("/data/kamus.json")
def data_dictionary():
    """What each dataset holds, for portals that harvest its metadata."""
    return jsonify(
        [
            {
                "dataset": d.name,
                "title": d.title,
                "description": d.description,
                "distributions": [
                    url_for("public.dataset", name=d.name, fmt=f, _external=True) for f in ("csv", "json")
                ],
                "fields": [{"name": c, "type": k, "description": m} for c, k, m in d.fields],
            }
            for d in open_data.DATASETS.values()
        ]
    )


# --- complaints (pengaduan) ------------------------------------------------------------------------------


@bp.route("/pengaduan", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def complaint():
    """Anyone files a complaint, with or without an account; the answers agreed public are listed."""
    values, errors, filed = (
        {k: request.form.get(k, "") for k in ("kategori", "uraian", "nama", "email", "telepon")},
        {},
        None,
    )
    if request.method == "POST":
        given = [
            Upload("lampiran", f.filename, f.read()) for f in request.files.getlist("lampiran") if f and f.filename
        ]
        try:
            filed = complaints.file(
                db.session,
                sla.calendar_for(db.session, services().calendar),
                services().files,
                category=values["kategori"],
                description=values["uraian"],
                name=values["nama"],
                email=values["email"],
                phone=values["telepon"],
                publish_consent=bool(request.form.get("publikasi")),
                attachments=given,
                user=current_user if current_user.is_authenticated else None,
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "public/complaint.html",
        values=values,
        errors=errors,
        filed=filed,
        categories=complaints.CATEGORIES,
        answers=complaints.published_answers(db.session),
    ), (422 if errors else 200)


@bp.get("/pengaduan/lacak")
@limiter.limit("60 per minute")
def complaint_track():
    code, found, error = request.args.get("kode", "").strip(), None, None
    if code:
        try:
            found = complaints.by_code(db.session, code)
        except NotFound as exc:
            error = exc.message
    return render_template(
        "public/complaint_track.html",
        code=code,
        complaint=found,
        error=error,
        categories=complaints.CATEGORIES,
        labels=complaints.STATUS_LABELS,
    ), (404 if error else 200)


# --- directory and regulations (R1.2) --------------------------------------------------------------------


@bp.get("/direktori")
def directory_page():
    return render_template(
        "public/directory.html",
        entries=directory.directory(db.session),
        agency=services().agency,
        fields=directory.PROFILE_FIELDS,
        lists=directory.LISTS,
    )


@bp.get("/peraturan")
def regulations_page():
    code = request.args.get("jenis") or None
    names = {p.code: p.name for p in definitions.active_permit_types(db.session)}
    return render_template(
        "public/regulations.html", rows=directory.regulations(db.session, code), chosen=code, names=names
    )


@bp.get("/peraturan/<int:regulation_id>/berkas")
def regulation_file(regulation_id):
    regulation = directory.get_regulation(db.session, regulation_id)
    if not regulation.sha256:
        raise NotFound(Phrase("Berkas peraturan ini belum diunggah."))
    return send_file(
        BytesIO(services().files.read(regulation.sha256)),
        mimetype="application/pdf",
        download_name=regulation.file_name or f"peraturan-{regulation.id}.pdf",
    )
