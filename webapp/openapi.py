"""OpenAPI 3.1 description of ``/api/v1``."""

_BEARER = [{"bearer": []}]
_ERR = {
    "description": "Galat (RFC 9457)",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _op(summary, *, secured=True, body=None, ok="200", ok_desc="Berhasil", params=None, errors=("401", "403", "404")):
    op = {"summary": summary, "responses": {ok: {"description": ok_desc}}}
    if secured:
        op["security"] = _BEARER
    if body:
        op["requestBody"] = body
    if params:
        op["parameters"] = params
    for code in errors:
        op["responses"][code] = _ERR
    return op


_ID = [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_TASK_LIST = [
    {
        "name": "view",
        "in": "query",
        "schema": {"type": "string", "enum": ["mine", "available", "team"], "default": "mine"},
    },
    {"name": "permit_type", "in": "query", "schema": {"type": "string"}, "description": "Kode jenis izin"},
    {"name": "stage", "in": "query", "schema": {"type": "string"}, "description": "Nama tahap"},
    {
        "name": "due",
        "in": "query",
        "schema": {"type": "string", "enum": ["soon", "overdue"]},
        "description": "soon: jatuh tempo dalam 1 hari kerja; overdue: lewat tenggat",
    },
    {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Nomor registrasi atau nama Pemohon"},
    {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": ["due", "received", "permit_type"], "default": "due"},
    },
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}},
]
_FORM_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "object", "description": "Nilai isian formulir tugas"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"data": {"type": "string", "description": "Nilai isian formulir dalam JSON"}},
                "additionalProperties": {"type": "string", "format": "binary"},
            }
        },
    },
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "PTSP-el API",
        "version": "1.0.0",
        "description": "Layanan perizinan elektronik: ajukan permohonan, kerjakan tugas, unduh dokumen.",
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "error": {"type": "string", "description": "Sama dengan detail"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "Pesan per isian, bila isian tidak valid (422)",
                    },
                    "findings": {"type": "array", "items": {"type": "object"}},
                },
            }
        },
    },
    "paths": {
        "/tokens": {
            "post": _op(
                "Tukar email dan kata sandi dengan token",
                secured=False,
                ok="201",
                body={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["email", "password"],
                                "properties": {
                                    "email": {"type": "string"},
                                    "password": {"type": "string"},
                                    "label": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                errors=("401",),
            )
        },
        "/permit-types": {"get": _op("Daftar jenis izin", errors=("401",))},
        "/applications": {
            "post": _op(
                "Ajukan permohonan baru (field 'permit_type' berisi kode jenis izin)",
                body=_FORM_BODY,
                ok="201",
                errors=("401", "403", "404", "422"),
            )
        },
        "/applications/{ref}": {
            "get": _op(
                "Baca permohonan: status, tahap, riwayat, dokumen",
                params=[
                    {
                        "name": "ref",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "Nomor registrasi atau id",
                    }
                ],
            )
        },
        "/tasks": {
            "get": _op(
                "Satu halaman daftar tugas: 'mine' (yang saya pegang, dan tugas Pemohon atas "
                "permohonan saya), 'available' (menunggu diambil peran saya) atau 'team' (semua "
                "tugas unit, bagi Kepala Dinas). Jawaban: items, total (dihitung sampai 1.000; "
                "total_is_lower_bound bila lebih), has_next, counts per tampilan",
                params=_TASK_LIST,
                errors=("401", "422"),
            )
        },
        "/tasks/{item_id}/assign": {
            "post": _op(
                "Kepala Dinas menyerahkan tugas kepada petugas bernama (dicatat "
                "dalam jejak audit; petugas diberi tahu)",
                params=_ID,
                body={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["officer_id"],
                                "properties": {"officer_id": {"type": "integer"}},
                            }
                        }
                    },
                },
                errors=("401", "403", "404", "409", "422"),
            )
        },
        "/tasks/{item_id}/form": {
            "get": _op(
                "Formulir tugas sebagai JSON Schema: schema (dengan 'passphrase' "
                "wajib bila langkah ini menandatangani dokumen), ui_schema, files "
                "(isian berkas, dikirim multipart dengan nama isiannya), values "
                "(nilai saat ini)",
                params=_ID,
            )
        },
        "/tasks/{item_id}/claim": {"post": _op("Ambil tugas", params=_ID, errors=("401", "403", "404", "409"))},
        "/tasks/{item_id}/release": {"post": _op("Lepaskan tugas", params=_ID, errors=("401", "403", "404", "409"))},
        "/tasks/{item_id}/complete": {
            "post": _op(
                "Selesaikan tugas dengan isian formulir. Untuk tugas dengan "
                "'signs': true, sertakan 'passphrase' sertifikat elektronik "
                "Anda (tidak disimpan). Jawaban: tugas, status dan "
                "tahap permohonan, next_tasks; permohonan lengkap dengan "
                "?include=application",
                params=[
                    *_ID,
                    {"name": "include", "in": "query", "schema": {"type": "string", "enum": ["application"]}},
                ],
                body=_FORM_BODY,
                errors=("401", "403", "404", "409", "422"),
            )
        },
        "/documents/{document_id}": {
            "get": _op(
                "Unduh dokumen",
                params=[{"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            )
        },
        "/verify/{code}": {
            "get": _op(
                "Periksa dokumen dari kode verifikasinya (tujuan kode QR)",
                secured=False,
                params=[{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                errors=("404",),
            )
        },
        "/verify": {
            "post": _op(
                "Periksa berkas PDF: keutuhan, penanda tangan, cap waktu, sertifikat, perubahan "
                "setelah ditandatangani, kecocokan dengan arsip",
                secured=False,
                body={
                    "required": True,
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                        "multipart/form-data": {
                            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                        },
                    },
                },
                errors=("413", "422"),
            )
        },
        "/bank/transfer-va/payment": {
            "post": _op(
                "Notifikasi pembayaran virtual account/QRIS dari bank (SNAP BI). Tanpa token: header X-TIMESTAMP, "
                "X-SIGNATURE (HMAC-SHA512 atas METHOD:path:sha256(badan):timestamp dengan rahasia bersama, base64), "
                "X-EXTERNAL-ID (sekali pakai). Badan: trxId (nomor SKRD), virtualAccountNo, paidAmount {value, "
                "currency}, paymentRequestId. Jawaban: responseCode SNAP",
                secured=False,
                body={"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
                errors=("400", "401", "404", "409"),
            )
        },
        "/oss/permohonan": {
            "post": _op(
                "Permohonan izin daerah yang diteruskan OSS RBA. Tanpa token: ditandatangani seperti notifikasi bank, "
                "dengan kunci API OSS. Badan: id_permohonan, nib, kode_izin, pelaku_usaha {nama, email, nik}. "
                "Jawaban 201 (baru) atau 200 (sudah diterima): tautan untuk melengkapi",
                secured=False,
                ok="201",
                body={"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
                errors=("400", "401", "404", "422"),
            )
        },
        "/openapi.json": {"get": _op("Dokumen OpenAPI ini", secured=False, errors=())},
        "/docs": {"get": _op("Halaman referensi API (Swagger UI) atas dokumen ini", secured=False, errors=())},
    },
}
