"""JSON Schemas of what ``/api/v1`` answers, named as OpenAPI components. The views' docstrings
refer to them (``webapp.openapi`` gathers both); the conformance tests hold each answer to them."""

from __future__ import annotations


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


_TIME = {"type": "string", "format": "date-time"}
_TIME_OR_NONE = _nullable("string", format="date-time")
_TEXT_OR_NONE = _nullable("string")


def _object(properties: dict, *, optional: tuple[str, ...] = (), description: str | None = None) -> dict:
    schema = {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


# What a task and a row of the task list both say of a task.
_TASK = {
    "id": {"type": "integer"},
    "application_id": {"type": "integer"},
    "reg_number": _TEXT_OR_NONE,
    "title": {"type": "string"},
    "role": {"type": "string"},
    "form": _nullable("string", description="Nama formulir tugas"),
    "signs": {"type": "boolean", "description": "Langkah ini menandatangani dokumen (perlu passphrase)"},
    "claimed_by": _TEXT_OR_NONE,
    "created_at": _TIME,
}

SCHEMAS = {
    "Problem": _object(
        {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "error": {"type": "string", "description": "Sama dengan detail (bagi klien lama)"},
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Pesan per isian, bila isian tidak valid (422)",
            },
            "findings": {
                "type": "array",
                "items": _object({"element": {"type": "string"}, "message": {"type": "string"}}),
                "description": "Temuan pemeriksaan diagram (422)",
            },
        },
        optional=("error", "fields", "findings"),
        description="Galat sebagai RFC 9457 problem details",
    ),
    "TokenRequest": _object(
        {
            "email": {"type": "string"},
            "password": {"type": "string", "writeOnly": True},
            "label": {"type": "string", "description": "Nama token, untuk daftar token Anda"},
            "code": {"type": "string", "description": "Kode verifikasi dua langkah, bila aktif"},
        },
        optional=("label", "code"),
    ),
    "Token": _object(
        {
            "token": {"type": "string", "description": "Kirim sebagai Authorization: Bearer <token>"},
            "roles": {"type": "array", "items": {"type": "string"}},
        }
    ),
    "PermitType": _object(
        {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "has_retribution": {"type": "boolean"},
            "sla_working_days": {"type": "integer"},
            "requirements": {"type": "array", "items": {"type": "string"}},
        }
    ),
    "Document": _object(
        {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
            "number": _TEXT_OR_NONE,
            "sha256": {"type": "string"},
            "signed": {"type": "boolean"},
            "status": {"type": "string", "description": "berlaku, dicabut, dibatalkan, ..."},
            "status_reason": _TEXT_OR_NONE,
            "field": _TEXT_OR_NONE,
            "created_at": _TIME,
            "download_url": {"type": "string"},
            "verify_url": _TEXT_OR_NONE,
        }
    ),
    "Payment": _object(
        {
            "skrd": {"type": "string", "description": "Nomor SKRD"},
            "amount": {"type": "integer", "description": "Jumlah retribusi dalam rupiah"},
            "due_date": {"type": "string", "format": "date", "description": "Jatuh tempo"},
            "status": {"type": "string"},
            "virtual_account": _TEXT_OR_NONE,
            "qris": _TEXT_OR_NONE,
            "paid_at": _TIME_OR_NONE,
            "channel": _TEXT_OR_NONE,
        },
        description="SKRD yang harus dibayar dan cara membayarnya",
    ),
    "Task": _object(
        {
            **_TASK,
            "state": {"type": "string", "enum": ["open", "done", "cancelled"]},
            "form_url": {"type": "string", "description": "Formulir tugas sebagai JSON Schema"},
        }
    ),
    "TaskRow": _object(
        {
            **_TASK,
            "permit_type": {"type": "string"},
            "applicant": _TEXT_OR_NONE,
            "stage": {"type": "string"},
            "due_at": _TIME_OR_NONE,
            "overdue": {"type": "boolean"},
            "due_soon": {"type": "boolean"},
        }
    ),
    "HistoryEntry": _object({"at": _TIME, "action": {"type": "string"}, "task": _TEXT_OR_NONE, "actor": _TEXT_OR_NONE}),
    "Application": _object(
        {
            "id": {"type": "integer"},
            "reg_number": _TEXT_OR_NONE,
            "permit_type": {"type": "string"},
            "status": {"type": "string"},
            "stage": {"type": "string"},
            "summary": {"type": "object", "description": "Ringkasan isian permohonan"},
            "outcome_reason": _TEXT_OR_NONE,
            "submitted_at": _TIME_OR_NONE,
            "history": {"type": "array", "items": {"$ref": "#/components/schemas/HistoryEntry"}},
            "open_tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
            "payment": {"oneOf": [{"$ref": "#/components/schemas/Payment"}, {"type": "null"}]},
        }
    ),
    "TaskPage": _object(
        {
            "view": {"type": "string", "enum": ["mine", "available", "team"]},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "total_is_lower_bound": {"type": "boolean", "description": "Dihitung sampai 1.000"},
            "has_next": {"type": "boolean"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/TaskRow"}},
        }
    ),
    "TaskForm": _object(
        {
            "task_id": {"type": "integer"},
            "title": {"type": "string"},
            "schema": {
                "type": "object",
                "description": "JSON Schema isian; 'passphrase' wajib bila langkah ini menandatangani",
            },
            "ui_schema": {"type": "object"},
            "files": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Isian berkas: dikirim multipart dengan nama isiannya",
            },
            "file_rules": {
                "type": "object",
                "additionalProperties": _object(
                    {
                        "accept": {"type": "array", "items": {"type": "string"}},
                        "max_mb": {"type": "number"},
                        "multiple": {"type": "boolean"},
                    }
                ),
                "description": "Per isian berkas: jenis berkas yang diterima, ukuran maksimum, boleh lebih dari satu",
            },
            "values": {"type": "object", "description": "Nilai isian saat ini"},
        },
        optional=("task_id",),
    ),
    "TaskForms": {
        "description": "Isian formulir tugas",
        "type": "object",
        "properties": {
            "passphrase": {
                "type": "string",
                "writeOnly": True,
                "description": "Passphrase sertifikat elektronik, bila tugas menandatangani (tidak disimpan)",
            }
        },
    },
    "Completed": _object(
        {
            "task": {"$ref": "#/components/schemas/Task"},
            "application_id": {"type": "integer"},
            "reg_number": _TEXT_OR_NONE,
            "status": {"type": "string"},
            "stage": {"type": "string"},
            "next_tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "application": {"$ref": "#/components/schemas/Application"},
        },
        optional=("application",),
    ),
    "Assignment": _object({"officer_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}),
    "Check": _object(
        {
            "authentic": {"type": "boolean"},
            "in_force": {"type": "boolean"},
            "status": _TEXT_OR_NONE,
            "status_label": _TEXT_OR_NONE,
            "sha256": _TEXT_OR_NONE,
            "matches_archive": {"type": ["boolean", "null"]},
            "changed_copy_of_archive": {"type": ["boolean", "null"]},
            "signature": {"type": ["object", "null"], "description": "Hasil pemeriksaan tanda tangan"},
            "document": {"type": ["object", "null"], "description": "Dokumen dalam arsip Dinas"},
            "sanctions": {"type": "array", "items": {"type": "object"}},
            "findings": {
                "type": "array",
                "items": _object({"ok": {"type": ["boolean", "null"]}, "text": {"type": "string"}}),
            },
        },
        description="Hasil pemeriksaan keaslian dan keberlakuan dokumen",
    ),
    "Tracking": _object(
        {
            "reg_number": {"type": "string"},
            "permit_type": {"type": "string"},
            "permit_type_name": {"type": "string"},
            "status": {"type": "string"},
            "outcome_reason": _TEXT_OR_NONE,
            "passed": {"type": "array", "items": _object({"step": {"type": "string"}, "at": _TIME})},
            "current": {"type": "array", "items": {"type": "string"}},
            "ahead": {"type": "array", "items": {"type": "string"}},
            "service_time": {
                "oneOf": [
                    {"type": "null"},
                    _object(
                        {
                            "deadline": _TIME_OR_NONE,
                            "if_resumed": _nullable(
                                "string", format="date-time", description="Selesai bila jeda berakhir sekarang"
                            ),
                            "paused": {"type": "boolean"},
                            "ended": {"type": "boolean"},
                            "working_days_used": {"type": "integer"},
                            "working_days_allowed": {"type": "integer"},
                        }
                    ),
                ]
            },
        }
    ),
    "Certificate": _object(
        {
            "serial": {"type": "string"},
            "subject": {"type": "string"},
            "issuer": {"type": "string"},
            "source": {"type": "string", "enum": ["agency", "import"]},
            "status": {"type": "string", "enum": ["aktif", "diganti", "dicabut"]},
            "valid_from": _TIME,
            "valid_until": _TIME,
            "revoked_at": _TIME_OR_NONE,
            "revocation_reason": _TEXT_OR_NONE,
        }
    ),
    "ServiceTime": _object(
        {
            "name": {"type": "string"},
            "completed": {"type": "integer"},
            "on_time": {"type": "integer"},
            "on_time_rate": {"type": ["number", "null"]},
            "median_working_days": {"type": ["number", "null"]},
            "p90_working_days": {"type": ["number", "null"]},
        }
    ),
    "ServiceTimeReport": _object(
        {
            "from": {"type": "string"},
            "to": {"type": "string"},
            "total": {"$ref": "#/components/schemas/ServiceTime"},
            **{
                key: {"type": "array", "items": {"$ref": "#/components/schemas/ServiceTime"}}
                for key in ("by_permit_type", "by_month", "by_stage", "by_officer")
            },
        }
    ),
    "SnapAnswer": _object(
        {"responseCode": {"type": "string"}, "responseMessage": {"type": "string"}},
        description="Jawaban SNAP BI",
    ),
    "ForwardedAnswer": {"type": "object", "description": "Jawaban kepada OSS RBA"},
}

# Answers every operation may give: a NUL or malformed request, and the rate limit.
COMMON_RESPONSES = {
    code: {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for code, description in {
        "400": "Permintaan tidak valid",
        "401": "Token tidak valid atau tidak ada",
        "403": "Tidak berwenang",
        "404": "Tidak ditemukan",
        "409": "Benturan dengan keadaan saat ini",
        "413": "Unggahan terlalu besar",
        "422": "Isian tidak valid",
        "429": "Terlalu banyak permintaan",
    }.items()
}
