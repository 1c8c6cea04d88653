"""JSON API ``/api/v1`` with bearer-token auth. Calls the same engine verbs as the pages."""

from __future__ import annotations

import json
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, render_template, request

from engine.accounts import api_tokens, totp, users
from engine.accounts.permissions import may_work, require_may_view
from engine.casework import queries, worklist
from engine.casework.applications import submit_application
from engine.casework.tasks import assign, claim, current_data, get_item, release, task_form
from engine.core.errors import (
    Conflict,
    EngineError,
    NotFound,
    PermissionDenied,
    ProcessDefinitionError,
    SigningRefused,
    ValidationFailed,
)
from engine.core.files import ArchiveDamaged, Upload
from engine.core.roles import may
from engine.documents import verification
from engine.documents.documents import SignatureRequest
from engine.workflow import definitions
from engine.workflow.runtime import ProcessRunError

from . import failures, verbs
from .access import record_refusal
from .api_json import application_json, check_json, row_json, task_json
from .config import flag
from .downloads import send_document
from .extensions import account_lockout, db, failed, limiter
from .openapi import OPENAPI
from .services import services

bp = Blueprint("api", __name__, url_prefix="/api/v1")
_STATUS = {
    ValidationFailed: 422,
    NotFound: 404,
    PermissionDenied: 403,
    Conflict: 409,
    ProcessDefinitionError: 422,
    ProcessRunError: 500,
    SigningRefused: 422,
}
# Endpoints open without a token; every other endpoint of this blueprint needs one.
OPEN_ENDPOINTS = {"api.openapi", "api.reference", "api.create_token", "api.verify_code", "api.verify_pdf"}


@bp.before_request
def _authenticate():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    user = api_tokens.user_for_token(db.session, header[7:].strip()) if header.startswith("Bearer ") else None
    if user is None:
        return _error(401, "Token tidak valid atau tidak ada.")
    g.api_user = user
    return None


@bp.errorhandler(EngineError)
def _engine_error(exc: EngineError):
    if isinstance(exc, ArchiveDamaged):  # a fault of the server's storage, not of the request
        return failures.archive_unreadable(exc)
    db.session.rollback()
    extra = {}
    if isinstance(exc, ValidationFailed):
        extra["fields"] = exc.errors
    if isinstance(exc, ProcessDefinitionError):
        extra["findings"] = [{"element": e, "message": m} for e, m in exc.findings]
    return _error(_STATUS.get(type(exc), 400), exc.message, **extra)


# RFC 9457 problem details; ``error`` repeats ``detail`` for clients written before.
PROBLEM_TITLES = {
    400: "Permintaan tidak valid",
    401: "Belum masuk",
    403: "Tidak berwenang",
    404: "Tidak ditemukan",
    409: "Terjadi benturan",
    413: "Unggahan terlalu besar",
    422: "Isian tidak valid",
    429: "Terlalu banyak permintaan",
    500: "Galat pada server",
}


def problem(status: int, detail: str, **extra):
    response = jsonify(
        {
            "type": "about:blank",
            "title": PROBLEM_TITLES.get(status, "Galat"),
            "status": status,
            "detail": detail,
            "error": detail,
            **extra,
        }
    )
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _error(status: int, message: str, **extra):
    if status == 403:
        record_refusal(g.get("api_user"))
    return problem(status, message, **extra)


def needs(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not may(g.api_user.role_names, permission):
                return _error(403, "Peran Anda tidak berwenang memakai layanan ini.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _json_object(value) -> dict:
    """A request's JSON object ({} for none); any other JSON value is refused as the client's error."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed("Badan permintaan harus berupa objek JSON {...}.", {"_body": "Harus objek JSON."})
    return value


def _json_body() -> dict:
    return _json_object(request.get_json(silent=True))


def _payload() -> tuple[dict, list[Upload]]:
    """JSON body, or multipart with a ``data`` JSON field and files named after form fields."""
    if request.is_json:
        return _json_body(), []
    try:
        data = _json_object(json.loads(request.form.get("data") or "{}"))
    except ValueError:
        raise ValidationFailed("Bagian 'data' bukan JSON yang valid.", {"data": "JSON tidak valid."}) from None
    uploads = [
        Upload(name, f.filename or name, f.read()) for name in request.files for f in request.files.getlist(name)
    ]
    return data, uploads


@bp.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


@bp.get("/docs")
def reference():
    """The API reference to read and try (Swagger UI over the OpenAPI document)."""
    return render_template("api_docs.html")


@bp.post("/tokens")
@account_lockout
@limiter.limit("50 per 15 minutes", deduct_when=failed)
def create_token():
    body = {key: value for key, value in _json_body().items() if isinstance(value, str)}
    user = users.authenticate(db.session, body.get("email", ""), body.get("password", ""))
    users.record_login(db.session, user, body.get("email", ""), request.remote_addr, channel="api")
    db.session.commit()
    if user is None:
        return _error(401, "Email atau kata sandi salah.")
    if totp.enabled(user):
        try:
            totp.check(db.session, user, str(body.get("code", "")))
        except ValidationFailed:
            db.session.commit()  # the refused code is audited
            return _error(401, "Kode verifikasi dua langkah (kolom code) salah atau tidak ada.")
    elif totp.required(user, flag(current_app.config.get("REQUIRE_TOTP"))):
        return _error(
            403,
            "Dinas mewajibkan verifikasi dua langkah untuk peran Anda: aktifkan dahulu di "
            "halaman Verifikasi Dua Langkah.",
        )
    token = api_tokens.issue_token(db.session, user, body.get("label") or "api")
    db.session.commit()
    return jsonify({"token": token, "roles": sorted(user.role_names)}), 201


@bp.get("/permit-types")
def permit_types():
    return jsonify(
        [
            {
                "code": p.code,
                "name": p.name,
                "has_retribution": p.has_retribution,
                "sla_working_days": p.sla_working_days,
                "requirements": p.requirements,
            }
            for p in definitions.active_permit_types(db.session)
        ]
    )


@bp.post("/applications")
@needs("apply")
def create_application():
    data, uploads = _payload()
    permit_type = definitions.permit_type_by_code(db.session, str(data.pop("permit_type", "")))
    application = submit_application(db.session, services(), permit_type, g.api_user, data, uploads)
    db.session.commit()
    return jsonify(application_json(application, g.api_user)), 201


@bp.get("/applications/<ref>")
def get_application(ref):
    application = queries.application_by_ref(db.session, ref)
    require_may_view(g.api_user, application)
    return jsonify(application_json(application, g.api_user))


_VIEWS = {"mine": worklist.MINE, "available": worklist.WAITING, "team": worklist.TEAM}
_SORTS = {"due": "tenggat", "received": "masuk", "permit_type": "jenis"}
_DUE = {"soon": "segera", "overdue": "lewat"}


def _task_query() -> worklist.TaskQuery:
    """The list's parameters; unknown values are refused, so a typo is not silently ignored."""
    args, errors = request.args, {}

    def pick(name, table, default):
        value = args.get(name) or default
        if value not in table:
            errors[name] = f"Nilai yang diterima: {', '.join(table)}."
        return table.get(value)

    def number(name, default, low, high):
        try:
            value = int(args.get(name) or default)
            if low <= value <= high:
                return value
        except ValueError:
            pass
        errors[name] = f"Bilangan bulat {low}–{high}."
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
            errors["permit_type"] = "Kode jenis izin tidak dikenal."
    if errors:
        raise ValidationFailed("Parameter daftar tugas tidak valid.", errors)
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
    """One page of a view of the task list (mine, available to my roles, or the unit's for the head)."""
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
    values the task holds now."""
    item = get_item(db.session, item_id)
    if not may_work(g.api_user, item):
        raise PermissionDenied("Tugas ini bukan untuk peran Anda.")
    form = task_form(item)
    schema = dict(form.schema) if form else {"type": "object", "properties": {}}
    schema["properties"] = dict(schema.get("properties", {}))
    if item.signs:
        schema["properties"]["passphrase"] = {
            "type": "string",
            "writeOnly": True,
            "title": "Passphrase sertifikat elektronik",
            "description": "Menandatangani dokumen yang diterbitkan langkah ini; dipakai sekali, tidak disimpan.",
        }
        schema["required"] = [*schema.get("required", []), "passphrase"]
    return jsonify(
        {
            "task_id": item.id,
            "title": item.title,
            "schema": schema,
            "ui_schema": form.ui if form else {},
            "files": [f.name for f in form.fields if f.is_file] if form else [],
            "values": current_data(item) if item.state == "open" else {},
        }
    )


@bp.post("/tasks/<int:item_id>/assign")
@needs("work_tasks")
def assign_task(item_id):
    body = request.get_json(silent=True)
    officer_id = body.get("officer_id") if isinstance(body, dict) else None
    # Authority is judged before the body: a malformed id is simply no officer who may take it.
    item = assign(db.session, item_id, g.api_user, officer_id if isinstance(officer_id, int) else 0)
    db.session.commit()
    return jsonify(task_json(item))


@bp.post("/tasks/<int:item_id>/claim")
def claim_task(item_id):
    item = claim(db.session, item_id, g.api_user)
    db.session.commit()
    return jsonify(task_json(item))


@bp.post("/tasks/<int:item_id>/release")
def release_task(item_id):
    item = release(db.session, item_id, g.api_user)
    db.session.commit()
    return jsonify(task_json(item))


@bp.post("/tasks/<int:item_id>/complete")
def complete(item_id):
    data, uploads = _payload()
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


@bp.get("/documents/<int:document_id>")
def document(document_id):
    return send_document(document_id, g.api_user)


@bp.get("/verify/<code>")
def verify_code(code):
    return jsonify(check_json(verification.check_code(db.session, services(), code)))


@bp.post("/verify")
@limiter.limit("30 per minute")
def verify_pdf():
    """Body: the PDF itself (``application/pdf``) or multipart with a ``file`` part."""
    content = request.files["file"].read() if "file" in request.files else request.get_data()
    if not content.startswith(b"%PDF-"):
        return _error(422, "Kirimkan berkas PDF (isi permintaan atau bagian 'file').")
    if len(content) > verification.MAX_UPLOAD_MB * 1024 * 1024:
        return _error(413, f"Ukuran berkas melebihi {verification.MAX_UPLOAD_MB} MB.")
    return jsonify(check_json(verification.check_upload(db.session, services(), content)))
