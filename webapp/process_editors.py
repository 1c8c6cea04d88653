"""The editors of a draft's parts, on the process-administration blueprint: the diagram (and one
imported from another modeler), a form with its live preview, a document template with its PDF
preview, and a fee table with its trial run."""

from __future__ import annotations

import io
import json

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.core.clock import utcnow
from engine.core.errors import NotFound, ProcessDefinitionError, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.numbers import is_whole_number
from engine.process_admin import decision_tables, draft_parts, drafts, template_preview
from engine.workflow.file_lint import lint_template
from engine.workflow.forms import load_form

from . import verbs
from .extensions import db
from .i18n import editor_words
from .processes import bp, draft_or_404, draft_part, permit_type_or_404
from .services import services


@bp.route("/<code>/draf/diagram", methods=["GET", "POST"], endpoint="diagram")
def diagram(code):
    permit_type = permit_type_or_404(code)
    draft = draft_or_404(permit_type)
    if request.method == "POST":
        xml = request.form.get("bpmn", "").encode("utf-8")
        try:
            verbs.run(lambda: drafts.replace_diagram(db.session, current_user, permit_type, xml), current_user)
        except ProcessDefinitionError as exc:
            return _diagram_page(permit_type, draft, refused=("Diagram tidak disimpan", exc.findings), status=422)
        findings = drafts.validate(drafts.draft_of(db.session, permit_type).files)
        flash(
            _("Diagram disimpan. Masih ada %(count)s temuan validasi.", count=len(findings))
            if findings
            else _("Diagram disimpan. Draf lulus validasi."),
            "success" if not findings else "info",
        )
        return redirect(url_for("processes.diagram", code=code))
    return _diagram_page(permit_type, draft)


@bp.post("/<code>/draf/diagram/impor", endpoint="import_diagram")
def import_diagram(code):
    permit_type = permit_type_or_404(code)
    draft = draft_or_404(permit_type)
    upload = request.files.get("berkas")
    try:
        notes = verbs.run(
            lambda: drafts.replace_diagram(db.session, current_user, permit_type, upload.read() if upload else b""),
            current_user,
        )
    except ProcessDefinitionError as exc:
        return _diagram_page(permit_type, draft, refused=("Diagram tidak diimpor", exc.findings), status=422)
    flash(_("Diagram diimpor ke draf. Lengkapi temuan validasi di penyunting sebelum menerbitkan."), "success")
    if notes:
        flash(
            _("Catatan impor: %(notes)s", notes="; ".join(f"{eid}: {note}" for eid, note in notes[:10]))
            + (_(" (dan %(count)s lagi)", count=len(notes) - 10) if len(notes) > 10 else ""),
            "info",
        )
    return redirect(url_for("processes.diagram", code=code))


def _diagram_page(permit_type, draft, refused=None, status=200):
    """The editor; ``refused`` is (heading, findings) of a diagram that was not stored."""
    return render_template(
        "processes/diagram.html",
        permit_type=permit_type,
        xml=draft.files[drafts.diagram_name(draft.files)],
        editor={**draft_parts.editor_choices(permit_type, draft.files), "words": editor_words()},
        findings=drafts.validate(draft.files),
        refused=refused,
    ), status


@bp.route("/<code>/draf/formulir", methods=["GET", "POST"], endpoint="form")
def form_editor(code):
    permit_type = permit_type_or_404(code)
    draft = draft_or_404(permit_type)
    schema_name = request.values.get("berkas", "")
    if schema_name not in draft.files or not schema_name.endswith(".schema.json"):
        raise NotFound(Phrase("Formulir tidak ditemukan dalam draf."))
    ui_name = schema_name.replace(".schema.json", ".uischema.json")
    schema_text = request.form.get("schema", draft.files[schema_name])
    ui_text = request.form.get("uischema", draft.files.get(ui_name, "{}"))
    errors = {}
    if request.method == "POST" and request.form.get("aksi") == "simpan":
        try:
            verbs.run(
                lambda: drafts.save_draft_files(
                    db.session, current_user, permit_type, {schema_name: schema_text, ui_name: ui_text}
                ),
                current_user,
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash(_("Formulir disimpan."), "success")
            return redirect(url_for("processes.form", code=code, berkas=schema_name))
    preview = None
    try:
        preview = load_form(
            {schema_name: schema_text, ui_name: ui_text}, schema_name[len("forms/") :], ui_name[len("forms/") :]
        )
    except Exception as exc:  # noqa: BLE001 - any broken schema: shown as a message instead of a preview
        errors.setdefault("pratinjau", Phrase("Pratinjau tidak dapat dibuat: %(error)s", error=exc))
    return render_template(
        "processes/form.html",
        permit_type=permit_type,
        schema_name=schema_name,
        schema_text=schema_text,
        ui_text=ui_text,
        preview=preview,
        errors=errors,
    ), (422 if errors and request.method == "POST" else 200)


@bp.route("/<code>/draf/templat/<kind>", methods=["GET", "POST"], endpoint="template")
def template_editor(code, kind):
    permit_type, draft, info = draft_part(
        code,
        template_preview.templates_of,
        lambda t: t.kind == kind,
        Phrase("Templat dokumen tidak ditemukan dalam draf."),
    )
    text = request.form.get("templat", draft.files[info.name])
    errors = {}
    action = request.form.get("aksi") if request.method == "POST" else None
    if action == "simpan":
        try:
            verbs.run(
                lambda: drafts.save_draft_files(db.session, current_user, permit_type, {info.name: text}), current_user
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash(_("Templat %(title)s disimpan.", title=info.title), "success")
            return redirect(url_for("processes.template", code=code, kind=kind))
    elif action == "pratinjau":
        problems = lint_template(text)
        if problems:
            errors = {info.name: "; ".join(problems)}
        else:
            pdf = template_preview.preview_pdf(services(), permit_type.name, json.loads(text), utcnow())
            return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"pratinjau-{kind}.pdf")
    return render_template(
        "processes/template.html",
        permit_type=permit_type,
        info=info,
        text=text,
        errors=errors,
        standard=template_preview.STANDARD_PLACEHOLDERS,
        tables=template_preview.TABLES,
        fields=template_preview.form_fields(draft.files),
        unknown=template_preview.unknown_placeholders(draft.files, text),
    ), (422 if errors else 200)


@bp.route("/<code>/draf/tarif/<decision_id>", methods=["GET", "POST"], endpoint="table")
def table_editor(code, decision_id):
    permit_type, draft, table = draft_part(
        code,
        decision_tables.read_tables,
        lambda t: t.decision_id == decision_id,
        Phrase("Tabel tarif tidak ditemukan dalam draf."),
    )
    width = len(table.inputs) + len(table.outputs)
    rows = table.rules
    errors, result = {}, None
    if request.method == "POST":
        count = request.form.get("baris", "")
        if not is_whole_number(count) or int(count) > decision_tables.MAX_RULES:
            abort(400)  # a tampered or truncated form: never save a table cut short
        count = int(count)
        rows = [[request.form.get(f"sel-{r}-{c}", "") for c in range(width)] for r in range(count)]
        action = request.form.get("aksi")
        if action == "tambah" and len(rows) < decision_tables.MAX_RULES:
            rows.append([""] * width)
        elif action == "simpan":
            try:
                name, text = decision_tables.write_rules(draft.files, decision_id, rows)
                verbs.run(
                    lambda: drafts.save_draft_files(db.session, current_user, permit_type, {name: text}), current_user
                )
            except ValidationFailed as exc:
                errors = exc.errors
            else:
                flash(_("Tabel tarif disimpan."), "success")
                return redirect(url_for("processes.table", code=code, decision_id=decision_id))
        elif action == "coba":
            try:
                result = decision_tables.try_table(
                    draft.files,
                    decision_id,
                    {c.expression: request.form.get(f"coba-{c.expression}", "") for c in table.inputs},
                )
            except ValidationFailed as exc:
                errors = exc.errors
            except ProcessDefinitionError as exc:
                errors = {eid: message for eid, message in exc.findings}
    return render_template(
        "processes/table.html",
        permit_type=permit_type,
        table=table,
        rows=rows,
        errors=errors,
        result=result,
        tried=request.form,
    ), (422 if errors else 200)
