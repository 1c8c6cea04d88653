"""Process administration pages: permit types, their drafts, validation, dry run, publish, roll back,
compare, export and import. Only process admins reach them. The editors of a draft's parts
(diagram, forms, templates, fee tables) are ``process_editors``, on the same blueprint."""

from __future__ import annotations

import io
import json
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.core.errors import NotFound, ProcessDefinitionError, ValidationFailed
from engine.core.localtime import Phrase
from engine.process_admin import catalog, decision_tables, draft_parts, drafts, exchange, template_preview
from engine.workflow.diagram_terms import code_in

from . import verbs
from .access import guard
from .extensions import db
from .i18n import say_refusal

bp = guard(Blueprint("processes", __name__, url_prefix="/admin/proses"), "manage_processes")


def bundle_dirs() -> tuple[Path, Path]:
    return Path(current_app.config["FORMS_DIR"]), Path(current_app.config["PROCESSES_DIR"]) / "_templates"


def permit_type_or_404(code):
    return catalog.permit_type_for_admin(db.session, code)


def draft_or_404(permit_type):
    draft = drafts.draft_of(db.session, permit_type)
    if draft is None:
        raise NotFound(Phrase("Belum ada draf untuk jenis izin ini."))
    return draft


def draft_part(code, parts_of, wanted, missing: str):
    """(permit type, its draft, the one part of the draft's files that ``wanted`` picks) or 404."""
    permit_type = permit_type_or_404(code)
    draft = draft_or_404(permit_type)
    part = next((p for p in parts_of(draft.files) if wanted(p)), None)
    if part is None:
        raise NotFound(missing)
    return permit_type, draft, part


def attempt(action, describe=lambda exc: exc.message):
    """Run a verb in its own transaction; a refusal becomes an error message and None (nothing stored)."""
    try:
        return verbs.run(action, current_user)
    except (ValidationFailed, ProcessDefinitionError) as exc:
        flash(describe(exc), "error")
        return None


@bp.route("/", methods=["GET", "POST"], endpoint="index")
def index():
    values, errors = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            permit_type = verbs.run(
                lambda: catalog.create_permit_type(db.session, current_user, values, *bundle_dirs()), current_user
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash(
                _(
                    "Jenis izin %(name)s dibuat dengan alur layanan dasar. Sesuaikan lalu terbitkan.",
                    name=permit_type.name,
                ),
                "success",
            )
            return redirect(url_for("processes.permit_type", code=permit_type.code))
    return render_template(
        "processes/index.html",
        permit_types=catalog.permit_types(db.session),
        drafts=drafts.draft_type_ids(db.session),
        values=values,
        errors=errors,
    ), (422 if errors else 200)


@bp.post("/impor", endpoint="import_archive")
def import_archive():
    upload = request.files.get("arsip")
    try:
        draft = verbs.run(
            lambda: exchange.import_archive(db.session, current_user, upload.read() if upload else b""), current_user
        )
    except ValidationFailed as exc:
        flash(say_refusal(exc), "error")
        return redirect(url_for("processes.index"))
    permit_type = draft.permit_type
    flash(
        _(
            "Arsip %(name)s diimpor sebagai draf. Periksa temuan, perbandingan dengan versi berjalan dan skripnya, lalu "
            "terbitkan bila sudah sesuai; belum ada yang berlaku.",
            name=permit_type.name,
        ),
        "success",
    )
    return redirect(url_for("processes.permit_type", code=permit_type.code))


@bp.route("/<code>", methods=["GET", "POST"], endpoint="permit_type")
def permit_type_page(code):
    permit_type = permit_type_or_404(code)
    errors = {}
    if request.method == "POST":
        values = {
            k: request.form.get(k, "")
            for k in (
                "name",
                "prefix",
                "description",
                "legal_basis",
                "cost_note",
                "requirements",
                "procedure",
                "sla_working_days",
                "signing_mode",
                "unit",
                "requires_identity_match",
            )
        }
        try:
            verbs.run(lambda: catalog.update_permit_type(db.session, current_user, permit_type, values), current_user)
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash(_("Data jenis izin disimpan."), "success")
            return redirect(url_for("processes.permit_type", code=code))
    draft = drafts.draft_of(db.session, permit_type)
    findings = drafts.validate(draft.files) if draft is not None else []
    return render_template(
        "processes/permit_type.html",
        permit_type=permit_type,
        draft=draft,
        findings=findings,
        published=catalog.published_of(permit_type),
        running=drafts.running_counts(db.session, permit_type),
        errors=errors,
        tables=decision_tables.read_tables(draft.files) if draft else [],
        templates=template_preview.templates_of(draft.files) if draft else [],
        shared_forms=draft_parts.shared_forms(bundle_dirs()[0], draft.files) if draft else [],
        forms_in_use=draft_parts.forms_in_use(draft.files) if draft else {},
        forms=sorted(n for n in (draft.files if draft else {}) if n.endswith(".schema.json")),
        code=code_in(draft.files) if draft else [],
    ), (422 if errors else 200)


@bp.post("/<code>/status", endpoint="set_active")
def set_active(code):
    permit_type = permit_type_or_404(code)
    active = request.form.get("aktif") == "1"
    if attempt(lambda: catalog.set_active(db.session, current_user, permit_type, active)):
        flash(
            _("Jenis izin ditawarkan kembali.")
            if active
            else _("Jenis izin dipensiunkan: tidak menerima permohonan baru."),
            "success",
        )
    return redirect(url_for("processes.permit_type", code=code))


@bp.post("/<code>/draf", endpoint="open_draft")
def open_draft(code):
    permit_type = permit_type_or_404(code)
    verbs.run(lambda: drafts.open_draft(db.session, current_user, permit_type), current_user)
    return redirect(url_for("processes.permit_type", code=code))


@bp.post("/<code>/draf/formulir-baru", endpoint="add_form")
def add_form(code):
    permit_type = permit_type_or_404(code)
    shared = request.form.get("umum")
    name = attempt(
        lambda: (
            draft_parts.add_shared_form(db.session, current_user, permit_type, shared, bundle_dirs()[0])
            if shared is not None
            else draft_parts.add_form(
                db.session, current_user, permit_type, request.form.get("nama", ""), request.form.get("judul", "")
            )
        ),
        lambda exc: f"{exc.message} {' '.join(exc.errors.values())}",
    )
    if name is None:
        return redirect(url_for("processes.permit_type", code=code))
    flash(
        _(
            "Formulir %(name)s ditambahkan; pilih di panel properti tugas.",
            name=name[len("forms/") : -len(".schema.json")],
        ),
        "success",
    )
    return redirect(url_for("processes.form", code=code, berkas=name))


@bp.post("/<code>/draf/formulir/hapus", endpoint="remove_form")
def remove_form(code):
    permit_type = permit_type_or_404(code)
    name = request.form.get("berkas", "")
    if attempt(
        lambda: draft_parts.remove_form(db.session, current_user, permit_type, name),
        lambda exc: f"{exc.message} {' '.join(exc.errors.values())}",
    ):
        flash(_("Formulir %(name)s dihapus dari draf.", name=name[len("forms/") : -len(".schema.json")]), "success")
    return redirect(url_for("processes.permit_type", code=code))


@bp.post("/<code>/draf/tarif-baru", endpoint="add_fee_table")
def add_fee_table(code):
    permit_type = permit_type_or_404(code)
    decision = attempt(lambda: draft_parts.add_fee_table(db.session, current_user, permit_type))
    if decision is None:
        return redirect(url_for("processes.permit_type", code=code))
    flash(
        _(
            "Tabel tarif dan templat SKRD ditambahkan. Isi tarifnya, lalu pilih tabel ini pada tugas aturan bisnis "
            "di diagram."
        ),
        "success",
    )
    return redirect(url_for("processes.table", code=code, decision_id=decision))


@bp.post("/<code>/draf/buang", endpoint="discard_draft")
def discard_draft(code):
    permit_type = permit_type_or_404(code)
    attempt(lambda: drafts.discard_draft(db.session, current_user, permit_type))
    return redirect(url_for("processes.permit_type", code=code))


@bp.route("/<code>/draf/uji", methods=["GET", "POST"], endpoint="dry_run")
def dry_run_page(code):
    permit_type = permit_type_or_404(code)
    draft = draft_or_404(permit_type)
    samples_text = request.form.get("contoh", "{}")
    report, error = None, None
    if request.method == "POST":
        try:
            samples = json.loads(samples_text or "{}")
            if not isinstance(samples, dict) or not all(isinstance(v, dict) for v in samples.values()):
                raise ValueError("harus berupa objek: id tugas → data")
        except ValueError as exc:
            error = f"Data contoh bukan JSON yang sah: {exc}"
        else:
            report = verbs.run(
                lambda: drafts.dry_run_draft(db.session, current_user, permit_type, draft.files, samples), current_user
            )
    return render_template(
        "processes/dry_run.html", permit_type=permit_type, samples_text=samples_text, report=report, error=error
    )


@bp.post("/<code>/draf/terbitkan", endpoint="publish")
def publish(code):
    permit_type = permit_type_or_404(code)
    version = attempt(
        lambda: drafts.publish_draft(db.session, current_user, permit_type),
        lambda exc: f"{exc.message}: {len(exc.findings)} temuan. Tidak ada yang diterbitkan.",
    )
    if version:
        flash(
            _(
                "Versi %(number)s diterbitkan. Permohonan baru memakai versi ini; permohonan berjalan tetap "
                "pada versinya.",
                number=version.number,
            ),
            "success",
        )
    return redirect(url_for("processes.permit_type", code=code))


@bp.post("/<code>/versi/<int:number>/pulihkan", endpoint="roll_back")
def roll_back(code, number):
    permit_type = permit_type_or_404(code)
    verbs.run(lambda: drafts.roll_back(db.session, current_user, permit_type, number), current_user)
    flash(_("Versi %(number)s kembali diterbitkan.", number=number), "success")
    return redirect(url_for("processes.permit_type", code=code))


@bp.get("/<code>/versi/<int:number>", endpoint="version")
def version_page(code, number):
    permit_type = permit_type_or_404(code)
    version = drafts.version_by_number(db.session, permit_type, number)
    files = drafts.version_files(db.session, version)
    return render_template(
        "processes/version.html",
        permit_type=permit_type,
        version=version,
        files=files,
        xml=files[drafts.diagram_name(files)],
        tables=decision_tables.read_tables(files),
        published=catalog.published_of(permit_type),
        running=drafts.running_counts(db.session, permit_type).get(number, 0),
    )


@bp.get("/<code>/versi/<int:number>/ekspor", endpoint="export")
def export(code, number):
    permit_type = permit_type_or_404(code)
    version = drafts.version_by_number(db.session, permit_type, number)
    data = exchange.export_archive(db.session, permit_type, version)
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{permit_type.code}-v{number}.zip",
    )


@bp.get("/<code>/banding", endpoint="compare")
def compare(code):
    permit_type = permit_type_or_404(code)
    a, b = request.args.get("a", ""), request.args.get("b", "draf")

    def files_of(which):
        if which == "draf":
            return draft_or_404(permit_type).files
        return drafts.version_files(db.session, drafts.version_by_number(db.session, permit_type, int(which)))

    try:
        changes = drafts.compare(files_of(a), files_of(b))
    except ValueError:
        raise NotFound(Phrase("Versi tidak ditemukan.")) from None
    return render_template("processes/compare.html", permit_type=permit_type, a=a, b=b, changes=changes)
