"""What the API answers: applications, tasks, task-list rows, documents and verification results
as JSON (the facts the pages show)."""

from __future__ import annotations

from engine.accounts.permissions import visible_documents
from engine.casework import queries, worklist
from engine.documents import bills
from engine.documents.documents import documents_of

from .extensions import db
from .services import services


def document_json(doc) -> dict:
    return {
        "id": doc.id,
        "kind": doc.kind,
        "title": doc.title,
        "number": doc.number,
        "sha256": doc.sha256,
        "signed": doc.signed,
        "status": doc.status,
        "status_reason": doc.status_reason,
        "field": doc.field,
        "created_at": doc.created_at.isoformat(),
        "download_url": f"/api/v1/documents/{doc.id}",
        "verify_url": services().verify_url(doc.verify_code) if doc.verify_code else None,
    }


def application_json(app_row, user, detail: bool = True) -> dict:
    body = {
        "id": app_row.id,
        "reg_number": app_row.reg_number,
        "permit_type": app_row.permit_type.code,
        "status": app_row.status,
        "stage": app_row.stage,
        "summary": app_row.summary,
        "outcome_reason": app_row.outcome_reason,
        "submitted_at": app_row.submitted_at.isoformat() if app_row.submitted_at else None,
    }
    if detail:
        body["history"] = [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "task": e.task_title,
                "actor": e.actor.name if e.actor else None,
            }
            for e in queries.history(db.session, app_row, public=True)
        ]
        body["open_tasks"] = [task_json(i) for i in queries.open_items(db.session, app_row)]
        body["documents"] = [document_json(d) for d in visible_documents(user, documents_of(db.session, app_row))]
        bill = bills.bill_of(db.session, app_row.id)
        body["payment"] = (
            None
            if bill is None
            else {
                "skrd": bill.number,
                "amount": bill.amount,
                "due_date": bill.due_date.isoformat(),
                "status": bill.status,
                "virtual_account": bill.va_number,
                "qris": bill.qris,
                "paid_at": bill.paid_at.isoformat() if bill.paid_at else None,
                "channel": bill.channel,
            }
        )
    return body


PASSPHRASE = {
    "type": "string",
    "writeOnly": True,
    "title": "Passphrase sertifikat elektronik",
    "description": "Menandatangani dokumen yang diterbitkan langkah ini; dipakai sekali, tidak disimpan.",
}


def form_json(form, *, signs: bool, values: dict) -> dict:
    """A form as a client fills it: its JSON Schema (with the passphrase where the step signs), the
    UI hints, and each file field's accepted types and size (sent as multipart parts by name)."""
    schema = dict(form.schema) if form else {"type": "object", "properties": {}}
    schema["properties"] = dict(schema.get("properties", {}))
    if signs:
        schema["properties"]["passphrase"] = PASSPHRASE
        schema["required"] = [*schema.get("required", []), "passphrase"]
    for f in form.fields if form else []:
        # A field that must repeat a value the file holds (the amount paid, the levy) says so as JSON Schema.
        other = f.options.get("equals")
        if other and values.get(other) is not None:
            schema["properties"][f.name] = {**schema["properties"].get(f.name, {}), "const": values[other]}
    files = [f for f in form.fields if f.is_file] if form else []
    return {
        "schema": schema,
        "ui_schema": form.ui if form else {},
        "files": [f.name for f in files],
        "file_rules": {f.name: {"accept": f.accept, "max_mb": f.max_mb, "multiple": f.is_file_list} for f in files},
        "values": values,
    }


def task_json(item) -> dict:
    return {
        "id": item.id,
        "application_id": item.application_id,
        "reg_number": item.application.reg_number,
        "title": item.title,
        "role": item.role,
        "state": item.state,
        "form": item.form_schema,
        "form_url": f"/api/v1/tasks/{item.id}/form",
        "signs": item.signs,
        "claimed_by": item.claimed_by.email if item.claimed_by else None,
        "created_at": item.created_at.isoformat(),
    }


def row_json(row: worklist.TaskRow) -> dict:
    return {
        "id": row.id,
        "application_id": row.application_id,
        "reg_number": row.reg_number,
        "permit_type": row.permit_type,
        "applicant": row.applicant,
        "title": row.title,
        "stage": row.stage,
        "role": row.role,
        "form": row.form,
        "signs": row.signs,
        "claimed_by": row.claimed_by_email,
        "created_at": row.created_at.isoformat(),
        "due_at": row.due_at.isoformat() if row.due_at else None,
        "overdue": row.overdue,
        "due_soon": row.due_soon,
    }


def check_json(check) -> dict:
    """The verification answer as data: the same facts the public page shows."""
    v = check.verification
    doc = check.document
    return {
        "authentic": check.authentic,
        "in_force": check.in_force,
        "status": check.status,
        "status_label": check.status_label,
        "sha256": check.sha256,
        "matches_archive": check.matches_archive,
        "changed_copy_of_archive": check.changed_copy_of_archive,
        "signature": None
        if v is None
        else {
            "signed": v.signed,
            "intact": v.intact and v.valid,
            "trusted": v.trusted,
            "certificate_revoked": check.certificate_revoked,
            "certificate_revoked_after_signing": (
                check.revoked_after_signing.isoformat() if check.revoked_after_signing else None
            ),
            "unchanged_after_signing": v.unchanged_after_signing,
            "signer": v.signer,
            "signing_time": v.signing_time.isoformat() if v.signing_time else None,
            "timestamped": v.timestamp_ok,
            "long_term_validation_data": v.ltv,
            "document_timestamps_ok": v.document_timestamps_ok,
            "revocation_checked": v.revocation_checked,
            "revocation_checked_at": check.checked_at.isoformat()
            if v.revocation_checked and check.checked_at
            else None,
            "signer_nik": v.signer_nik,
            "issuer": v.signer_issuer,
            "serial": v.signer_serial,
            "certificate_valid_from": v.certificate_not_before.isoformat() if v.certificate_not_before else None,
            "certificate_valid_until": v.certificate_not_after.isoformat() if v.certificate_not_after else None,
            "tsa": v.tsa_name,
            "reason": v.reason,
            "location": v.location,
            "pades_level": v.pades_level,
            "etsi_indication": v.ades,
            "all": [
                {"kind": e.kind, "name": e.name, "at": e.at.isoformat() if e.at else None, "ok": e.ok}
                for e in v.signatures
            ],
        },
        "document": None
        if doc is None
        else {
            "title": doc.title,
            "number": doc.number,
            "kind": doc.kind,
            "reg_number": doc.application.reg_number,
            "holder": doc.application.applicant.name,
            "signature_kind": doc.signature,
            "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
            "status_reason": doc.status_reason,
            "grounds": doc.grounds,
        },
        "sanctions": [
            {
                "kind": d.kind,
                "title": d.title,
                "number": d.number,
                "issued_at": d.created_at.isoformat(),
                "status": d.status,
                "grounds": d.grounds,
                "verify_url": services().verify_url(d.verify_code) if d.verify_code else None,
            }
            for d in check.sanctions
        ],
        "findings": [{"ok": ok, "text": text} for ok, text in check.findings],
    }
