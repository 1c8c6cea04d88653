"""Documents the process issues: numbered in sequence, sealed, archived and audited; found by
their code or their bytes (an edited copy too); renewed with an archive timestamp when due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.core.errors import NotFound
from engine.core.models import AuditEvent
from engine.documents import documents
from engine.documents.models import ArchivedRevision
from tests.factories import submit, work


def test_the_receipt_is_sealed_archived_verifiable_and_audited(session, services, receipt):
    assert receipt.signed and receipt.signature == "segel" and receipt.status == "berlaku"
    assert receipt.verify_code and documents.document_by_code(session, receipt.verify_code).id == receipt.id
    assert services.files.read(receipt.sha256)[:5] == b"%PDF-"
    issued = session.scalars(select(AuditEvent).where(AuditEvent.action == "document_issued")).all()
    assert any(e.summary["nomor"] == receipt.number and e.summary["tanda_tangan"] == "segel" for e in issued)


def test_documents_of_a_kind_are_numbered_in_sequence(session, services, user, receipt):
    other = submit(session, services, user)
    work(session, services, user, other)
    second = next(d for d in documents.documents_of(session, other) if d.kind == "tanda_terima")
    prefix, year, seq = receipt.number.rsplit("/", 2)
    assert receipt.number.startswith("TT/REK/") and second.number == f"{prefix}/{year}/{int(seq) + 1:05d}"


def test_an_unknown_code_or_id_is_told_plainly(session):
    with pytest.raises(NotFound) as unknown:
        documents.document_by_code(session, "tidak-ada")
    assert "Kode verifikasi tidak dikenal" in unknown.value.message
    with pytest.raises(NotFound):
        documents.get_document(session, 10**9)


def test_a_document_past_its_validity_reads_as_expired(receipt):
    now = receipt.created_at
    assert documents.effective_status(receipt, now) == "berlaku"
    receipt.valid_until = now - timedelta(seconds=1)
    assert documents.effective_status(receipt, now) == "kedaluwarsa"


def test_an_edited_copy_is_traced_to_its_original_through_its_signed_part(session, services, receipt):
    original = services.files.read(receipt.sha256)
    edited = original + b"1 0 obj\n(diubah)\nendobj\ntrailer\n<<>>\n%%EOF\n"  # an incremental update
    assert [d.id for d in documents.documents_by_hash(session, receipt.sha256)] == [receipt.id]
    prefixes = documents.signed_prefixes(edited)
    assert receipt.sha256 in prefixes
    assert documents.documents_by_hash(session, prefixes[0])[0].id == receipt.id


def test_a_due_archive_timestamp_is_renewed_and_the_earlier_bytes_stay_findable(session, services, receipt):
    before = receipt.sha256
    now = receipt.archive_renew_at + timedelta(minutes=1)
    assert documents.renew_archive_timestamps(session, services, now) == 1
    session.commit()
    assert receipt.sha256 != before and receipt.archive_renew_at is not None
    assert session.scalars(select(ArchivedRevision.sha256).where(ArchivedRevision.document_id == receipt.id)).all() == [
        before
    ]
    assert [d.id for d in documents.documents_by_hash(session, before)] == [receipt.id]
    assert documents.renew_archive_timestamps(session, services, receipt.archive_renew_at - timedelta(minutes=1)) == 0
