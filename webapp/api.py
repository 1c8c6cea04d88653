"""JSON API ``/api/v1`` with bearer-token auth. Calls the same engine verbs as the pages."""

from __future__ import annotations

import json
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _

from engine.accounts import api_tokens, totp, users
from engine.accounts.permissions import require_may_view
from engine.casework import queries
from engine.casework.applications import submit_application
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
from engine.core.localtime import Phrase
from engine.core.roles import may
from engine.documents import verification
from engine.workflow import definitions
from engine.workflow.runtime import ProcessRunError
from engine.workflow.version_forms import submission_form

from . import failures
from .access import record_refusal
from .api_json import application_json, check_json, form_json
from .config import flag
from .downloads import send_document
from .extensions import account_lockout, db, failed, limiter
from .i18n import say
from .openapi import build as build_openapi
from .problems import problem
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
OPEN_ENDPOINTS = {
    "api.openapi",
    "api.reference",
    "api.create_token",
    "api.verify_code",
    "api.verify_pdf",
    "api.tracking",
}


@bp.before_request
def _authenticate():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    user = api_tokens.user_for_token(db.session, header[7:].strip()) if header.startswith("Bearer ") else None
    if user is None:
        return _error(401, _("Token tidak valid atau tidak ada."))
    g.api_user = user
    return None


@bp.errorhandler(EngineError)
def _engine_error(exc: EngineError):
    if isinstance(exc, ArchiveDamaged):  # a fault of the server's storage, not of the request
        return failures.archive_unreadable(exc)
    db.session.rollback()
    extra = {}
    if isinstance(exc, ValidationFailed):
        extra["fields"] = {name: say(message) for name, message in exc.errors.items()}
    if isinstance(exc, ProcessDefinitionError):
        extra["findings"] = [{"element": e, "message": say(m)} for e, m in exc.findings]
    return _error(_STATUS.get(type(exc), 400), exc.message, **extra)


def _error(status: int, message: str, **extra):
    if status == 403:
        record_refusal(g.get("api_user"))
    return problem(status, message, **extra)


def needs(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not may(g.api_user.role_names, permission):
                return _error(403, _("Peran Anda tidak berwenang memakai layanan ini."))
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _json_object(value) -> dict:
    """A request's JSON object ({} for none); any other JSON value is refused as the client's error."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed(
            Phrase("Badan permintaan harus berupa objek JSON {...}."), {"_body": Phrase("Harus objek JSON.")}
        )
    return value


def _json_body() -> dict:
    return _json_object(request.get_json(silent=True))


def payload() -> tuple[dict, list[Upload]]:
    """JSON body, or multipart with a ``data`` JSON field and files named after form fields."""
    if request.is_json:
        return _json_body(), []
    try:
        data = _json_object(json.loads(request.form.get("data") or "{}"))
    except ValueError:
        raise ValidationFailed(
            Phrase("Bagian 'data' bukan JSON yang valid."), {"data": Phrase("JSON tidak valid.")}
        ) from None
    uploads = [
        Upload(name, f.filename or name, f.read()) for name in request.files for f in request.files.getlist(name)
    ]
    return data, uploads


@bp.get("/openapi.json")
def openapi():
    """The document is built once per app, from the routes and their docstrings.
    ---
    get:
      summary: Dokumen OpenAPI ini
      responses: {200: {description: Dokumen OpenAPI 3.1, content: {application/json: {schema: {type: object}}}}}
    """
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = build_openapi(current_app, OPEN_ENDPOINTS)
    return jsonify(current_app.extensions["openapi"])


@bp.get("/docs")
def reference():
    """The API reference to read and try (Swagger UI over the OpenAPI document).
    ---
    get:
      summary: Halaman referensi API (Swagger UI) atas dokumen ini
      responses: {200: {description: Halaman HTML, content: {text/html: {schema: {type: string}}}}}
    """
    return render_template("api_docs.html")


@bp.post("/tokens")
@account_lockout
@limiter.limit("50 per 15 minutes", deduct_when=failed)
def create_token():
    """Email and password (and the second factor's code where it is on) for a bearer token.
    ---
    post:
      summary: Tukar email dan kata sandi dengan token
      body: TokenRequest
      responses: {201: Token, 401: null, 403: null, 422: null}
    """
    body = {key: value for key, value in _json_body().items() if isinstance(value, str)}
    user = users.authenticate(db.session, body.get("email", ""), body.get("password", ""))
    users.record_login(db.session, user, body.get("email", ""), request.remote_addr, channel="api")
    db.session.commit()
    if user is None:
        return _error(401, _("Email atau kata sandi salah."))
    if totp.enabled(user):
        try:
            totp.check(db.session, user, str(body.get("code", "")))
        except ValidationFailed:
            db.session.commit()  # the refused code is audited
            return _error(401, _("Kode verifikasi dua langkah (kolom code) salah atau tidak ada."))
    elif totp.required(user, flag(current_app.config.get("REQUIRE_TOTP"))):
        return _error(
            403,
            _(
                "Dinas mewajibkan verifikasi dua langkah untuk peran Anda: aktifkan dahulu di "
                "halaman Verifikasi Dua Langkah."
            ),
        )
    token = api_tokens.issue_token(db.session, user, body.get("label") or "api")
    db.session.commit()
    return jsonify({"token": token, "roles": sorted(user.role_names)}), 201


@bp.get("/permit-types")
def permit_types():
    """
    ---
    get:
      summary: Daftar jenis izin yang dapat diajukan
      responses: {200: "[PermitType]"}
    """
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


@bp.get("/permit-types/<code>/form")
def permit_type_form(code):
    """
    ---
    get:
      summary: "Formulir permohonan jenis izin ini sebagai JSON Schema: schema, ui_schema, files dan file_rules
        (isian berkas, dikirim multipart dengan nama isiannya)"
      responses: {200: TaskForm, 404: null}
    """
    permit_type = definitions.permit_type_by_code(db.session, code)
    form = submission_form(definitions.published_version(db.session, permit_type))
    return jsonify({"title": form.title or permit_type.name, **form_json(form, signs=False, values={})})


@bp.post("/applications")
@needs("apply")
def create_application():
    """
    ---
    post:
      summary: Ajukan permohonan baru (isian 'permit_type' berisi kode jenis izin)
      body: form
      responses: {201: Application, 403: null, 404: null, 422: null}
    """
    data, uploads = payload()
    permit_type = definitions.permit_type_by_code(db.session, str(data.pop("permit_type", "")))
    application = submit_application(db.session, services(), permit_type, g.api_user, data, uploads)
    db.session.commit()
    return jsonify(application_json(application, g.api_user)), 201


@bp.get("/applications/<ref>")
def get_application(ref):
    """
    ---
    get:
      summary: "Baca permohonan: status, tahap, riwayat, tugas terbuka, dokumen, SKRD"
      parameters: [{name: ref, in: path, required: true, schema: {type: string}, description: Nomor registrasi atau id}]
      responses: {200: Application, 403: null, 404: null}
    """
    application = queries.application_by_ref(db.session, ref)
    require_may_view(g.api_user, application)
    return jsonify(application_json(application, g.api_user))


@bp.get("/documents/<int:document_id>")
def document(document_id):
    """
    ---
    get:
      summary: Unduh dokumen
      responses:
        200: {description: Berkas dokumen, content: {"*/*": {schema: {type: string, format: binary}}}}
        403: null
        404: null
    """
    return send_document(document_id, g.api_user)


@bp.get("/verify/<code>")
def verify_code(code):
    """
    ---
    get:
      summary: Periksa dokumen dari kode verifikasinya (tujuan kode QR)
      responses: {200: Check, 404: null}
    """
    return jsonify(check_json(verification.check_code(db.session, services(), code)))


@bp.post("/verify")
@limiter.limit("30 per minute")
def verify_pdf():
    """Body: the PDF itself (``application/pdf``) or multipart with a ``file`` part.
    ---
    post:
      summary: "Periksa berkas PDF: keutuhan, penanda tangan, cap waktu, sertifikat, perubahan, kecocokan arsip"
      body:
        required: true
        content:
          application/pdf: {schema: {type: string, format: binary}}
          multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}}}}
      responses: {200: Check, 422: null}
    """
    content = request.files["file"].read() if "file" in request.files else request.get_data()
    if not content.startswith(b"%PDF-"):
        return _error(422, _("Kirimkan berkas PDF (isi permintaan atau bagian 'file')."))
    if len(content) > verification.MAX_UPLOAD_MB * 1024 * 1024:
        return _error(413, _("Ukuran berkas melebihi %(size)s MB.", size=verification.MAX_UPLOAD_MB))
    return jsonify(check_json(verification.check_upload(db.session, services(), content)))
