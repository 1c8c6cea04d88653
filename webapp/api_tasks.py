"""The task API: one page of the task list, each task's form as JSON Schema, and the verbs of a
task (assign, claim, release, complete). Routes of the ``api`` blueprint."""

from __future__ import annotations

from flask import g, jsonify, request

from engine.accounts.permissions import may_work
from engine.casework import queries, worklist
from engine.casework.tasks import assign, claim, current_data, get_item, release, task_form
from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import Phrase
from engine.documents.documents import SignatureRequest
from engine.workflow import definitions

from . import verbs
from .api import bp, needs, payload
from .api_json import application_json, form_json, row_json, task_json
from .extensions import db
from .services import services

_VIEWS = {"mine": worklist.MINE, "available": worklist.WAITING, "team": worklist.TEAM}
_SORTS = {"due": "tenggat", "received": "masuk", "permit_type": "jenis"}
_DUE = {"soon": "segera", "overdue": "lewat"}


def _task_query() -> worklist.TaskQuery:
    """The list's parameters; unknown values are refused, so a typo is not silently ignored."""
    args, errors = request.args, {}

    def pick(name, table, default):
        value = args.get(name) or default
        if value not in table:
            errors[name] = Phrase("Nilai yang diterima: %(table)s.", table=", ".join(table))
        return table.get(value)

    def number(name, default, low, high):
        try:
            value = int(args.get(name) or default)
            if low <= value <= high:
                return value
        except ValueError:
            pass
        errors[name] = Phrase("Bilangan bulat %(low)s–%(high)s.", low=low, high=high)
        return default

    view = pick("view", _VIEWS, "mine")
    sort = pick("sort", _SORTS, "due")
    due = pick("due", {"": "", **_DUE}, "")
    page = number("page", 1, 1, 10_000)
    per_page = number("per_page", 25, 1, 100)
    permit_type_id = None
    if args.get("permit_type"):
        try:
            permit_type_id = definitions.permit_type_by_code(db.session, args["permit_type"]).id
        except NotFound:
            errors["permit_type"] = Phrase("Kode jenis izin tidak dikenal.")
    if errors:
        raise ValidationFailed(Phrase("Parameter daftar tugas tidak valid."), errors)
    return worklist.TaskQuery(
        view=view,
        permit_type_id=permit_type_id,
        stage=(args.get("stage") or "")[:200],
        due=due,
        search=(args.get("q") or "").strip()[:100],
        sort=sort,
        page=page,
        per_page=per_page,
    )


@bp.get("/tasks")
def my_tasks():
    """One page of a view of the task list (mine, available to my roles, or the unit's for the head).
    ---
    get:
      summary: "Satu halaman daftar tugas: 'mine' (yang saya pegang, dan tugas Pemohon atas permohonan saya),
        'available' (menunggu diambil peran saya) atau 'team' (semua tugas unit, bagi Kepala Dinas)"
      parameters:
        - {name: view, in: query, schema: {type: string, enum: [mine, available, team], default: mine}}
        - {name: permit_type, in: query, schema: {type: string}, description: Kode jenis izin}
        - {name: stage, in: query, schema: {type: string}, description: Nama tahap}
        - {name: due, in: query, schema: {type: string, enum: [soon, overdue]},
           description: "soon: jatuh tempo dalam 1 hari kerja; overdue: lewat tenggat"}
        - {name: q, in: query, schema: {type: string}, description: Nomor registrasi atau nama Pemohon}
        - {name: sort, in: query, schema: {type: string, enum: [due, received, permit_type], default: due}}
        - {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 10000, default: 1}}
        - {name: per_page, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 25}}
      responses: {200: TaskPage, 422: null}
    """
    query = _task_query()
    page = worklist.task_page(db.session, services().calendar, g.api_user, query, with_choices=False)
    view = {v: k for k, v in _VIEWS.items()}
    return jsonify(
        {
            "view": view[page.query.view],
            "page": query.page,
            "per_page": query.per_page,
            "total": page.total,
            "total_is_lower_bound": page.total_capped,
            "has_next": page.has_next,
            "counts": {view[v]: n for v, (n, _) in page.counts.items()},
            "items": [row_json(r) for r in page.rows],
        }
    )


@bp.get("/tasks/<int:item_id>/form")
def task_form_schema(item_id):
    """What completing the task takes, as JSON Schema: the form's fields, which of them are files
    (sent as multipart parts named after the field), the passphrase when the step signs, and the
    values the task holds now.
    ---
    get:
      summary: "Formulir tugas sebagai JSON Schema: schema ('passphrase' wajib bila langkah ini menandatangani),
        ui_schema, files (isian berkas, dikirim multipart dengan nama isiannya), values (nilai saat ini)"
      responses: {200: TaskForm, 403: null, 404: null}
    """
    item = get_item(db.session, item_id)
    if not may_work(g.api_user, item):
        raise PermissionDenied(Phrase("Tugas ini bukan untuk peran Anda."))
    values = current_data(item) if item.state == "open" else {}
    return jsonify(
        {"task_id": item.id, "title": item.title, **form_json(task_form(item), signs=item.signs, values=values)}
    )


def _task_after(verb):
    """Run one verb on a task, commit, and answer with the task as it now is."""
    item = verb()
    db.session.commit()
    return jsonify(task_json(item))


@bp.post("/tasks/<int:item_id>/assign")
@needs("work_tasks")
def assign_task(item_id):
    """
    ---
    post:
      summary: Kepala Dinas menyerahkan tugas kepada petugas bernama (dicatat dalam jejak audit)
      body: Assignment
      responses: {200: Task, 403: null, 404: null, 409: null, 422: null}
    """
    body = request.get_json(silent=True)
    officer_id = body.get("officer_id") if isinstance(body, dict) else None
    # Authority is judged before the body: a malformed id is simply no officer who may take it.
    return _task_after(
        lambda: assign(db.session, item_id, g.api_user, officer_id if isinstance(officer_id, int) else 0)
    )


@bp.post("/tasks/<int:item_id>/claim")
def claim_task(item_id):
    """
    ---
    post:
      summary: Ambil tugas
      responses: {200: Task, 403: null, 404: null, 409: null}
    """
    return _task_after(lambda: claim(db.session, item_id, g.api_user))


@bp.post("/tasks/<int:item_id>/release")
def release_task(item_id):
    """
    ---
    post:
      summary: Lepaskan tugas
      responses: {200: Task, 403: null, 404: null, 409: null}
    """
    return _task_after(lambda: release(db.session, item_id, g.api_user))


@bp.post("/tasks/<int:item_id>/complete")
def complete(item_id):
    """
    ---
    post:
      summary: "Selesaikan tugas dengan isian formulirnya. Bila tugas 'signs': true, sertakan 'passphrase'
        sertifikat elektronik Anda (tidak disimpan). Jawaban: tugas, status dan tahap permohonan, next_tasks;
        permohonan lengkap dengan ?include=application"
      parameters: [{name: include, in: query, schema: {type: string, enum: [application]}}]
      body: form
      responses: {200: Completed, 403: null, 404: null, 409: null, 422: null}
    """
    data, uploads = payload()
    passphrase = data.pop("passphrase", None)
    item = verbs.complete(item_id, g.api_user, data, uploads, SignatureRequest(str(passphrase)) if passphrase else None)
    application = item.application
    body = {
        "task": task_json(item),
        "application_id": application.id,
        "reg_number": application.reg_number,
        "status": application.status,
        "stage": application.stage,
        "next_tasks": [task_json(i) for i in queries.open_items(db.session, application)],
    }
    if request.args.get("include") == "application":  # the full file, when the client wants it
        body["application"] = application_json(application, g.api_user)
    return jsonify(body)
