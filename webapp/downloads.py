"""Sending an archived document to someone allowed to see it."""

from io import BytesIO

from flask import send_file

from engine.accounts.permissions import require_may_view_document
from engine.core.audit import record
from engine.documents.documents import get_document

from .extensions import db
from .services import services

# Opened in the page only as what a browser shows without running it; anything else is downloaded.
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")


def send_document(document_id: int, user, *, inline: bool = False):
    doc = get_document(db.session, document_id)
    require_may_view_document(user, doc)
    content = services().files.read(doc.sha256)
    # Who opened which file of whose application, personal uploads above all, is for the auditor.
    record(
        db.session,
        "document_downloaded",
        actor=user,
        application=doc.application,
        summary={"dokumen": doc.id, "jenis": doc.kind, "judul": doc.title[:100]},
    )
    db.session.commit()
    inline = inline and doc.file.mime_type in INLINE_TYPES
    return send_file(
        BytesIO(content),
        mimetype=doc.file.mime_type,
        as_attachment=not inline,
        download_name=doc.original_name or f"dokumen-{doc.id}",
    )


def send_card(document_id: int, user):
    """The permit card of an issued permit, for whoever may read the permit."""
    from engine.documents.cards import card_facts
    from signing.cards import render

    doc = get_document(db.session, document_id)
    require_may_view_document(user, doc)
    pdf = render(card_facts(services(), doc))
    record(db.session, "permit_card_downloaded", actor=user, application=doc.application, summary={"dokumen": doc.id})
    db.session.commit()
    return send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=False,
        download_name=f"kartu-{(doc.number or str(doc.id)).replace('/', '-')}.pdf",
    )
