"""Renewing a permit (perpanjangan): the holder starts a new application of the permit type's renewal
process (its own, unless the type names a shorter one in ``validity.renewal_type``), its form filled
from the old application and its files attached already; the applicant checks, corrects and sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.casework import held_uploads
from engine.core.audit import record
from engine.core.clock import aware, utcnow
from engine.core.errors import Conflict, PermissionDenied
from engine.core.files import Upload
from engine.core.localtime import Phrase
from engine.core.services import Services
from engine.documents.models import Document
from engine.workflow import runtime
from engine.workflow.definitions import permit_type_by_code, published_version
from engine.workflow.models import Application, PermitType
from engine.workflow.version_forms import load_workflow, submission_form

# An ended permit may still be renewed for a while (the agency's grace period), not for ever.
GRACE = timedelta(days=90)


@dataclass(frozen=True)
class Renewal:
    source: Application
    permit: Document
    permit_type: PermitType
    values: dict


def _permit_of(session: Session, application: Application) -> Document | None:
    return session.scalar(
        select(Document)
        .where(Document.application_id == application.id, Document.kind == "izin")
        .order_by(Document.id.desc())
        .limit(1)
    )


def renewal_code(permit_type: PermitType) -> str:
    """The permit type a renewal is applied for: a shorter process the type names, or itself."""
    return (permit_type.validity or {}).get("renewal_type") or permit_type.code


def renewable(session: Session, application: Application, now: datetime | None = None) -> Document | None:
    """The permit this application's holder may renew now, if any: in force (or ended within the
    grace period), with an end date."""
    now = now or utcnow()
    permit = _permit_of(session, application)
    if permit is None or permit.valid_until is None or permit.status not in ("berlaku", "kedaluwarsa"):
        return None
    return permit if aware(permit.valid_until) + GRACE > now else None


def start(
    session: Session, services: Services, actor: User, application_id: int, now: datetime | None = None
) -> Renewal:
    """Prepare the renewal form: the old application's answers, and its files held for the new form
    (the applicant replaces what changed). Nothing is submitted. The caller commits.

    Errors: PermissionDenied (not the holder), Conflict (no permit to renew)."""
    now = now or utcnow()
    source = session.get(Application, application_id)
    if source is None or source.applicant_id != actor.id:
        raise PermissionDenied(Phrase("Hanya pemegang izin yang dapat mengajukan perpanjangan."))
    permit = renewable(session, source, now)
    if permit is None:
        raise Conflict(
            Phrase("Izin ini tidak dapat diperpanjang: tidak berlaku lagi atau tidak memiliki masa berlaku.")
        )
    permit_type = permit_type_by_code(session, renewal_code(source.permit_type))
    form = submission_form(published_version(session, permit_type))
    old = runtime.latest_data(load_workflow(source))
    values = {f.name: old[f.name] for f in form.fields if not f.is_file and f.name in old and old[f.name] is not None}
    # The files the old application holds now (its data names them; a file replaced during a
    # correction is no longer there), read from the archive.
    chosen = []
    for field in form.fields:
        given = old.get(field.name) if field.is_file else None
        for stored in given if isinstance(given, list) else [given] if given else []:
            if isinstance(stored, dict) and stored.get("sha256"):
                chosen.append(
                    Upload(field.name, stored.get("nama") or f"{field.name}.pdf", services.files.read(stored["sha256"]))
                )
    held_uploads.hold(session, actor, f"ajukan:{permit_type.code}", form, chosen, {}, now)
    return Renewal(source, permit, permit_type, values)


def link(session: Session, application: Application, source_id: int, actor: User, now: datetime) -> None:
    """The submitted application renews ``source_id``'s permit. Audit ``renewal_submitted``."""
    source = session.get(Application, source_id)
    if source is None or source.applicant_id != actor.id or renewable(session, source, now) is None:
        return  # a stale or foreign link is ignored: the application stands as a new one
    application.renews_id = source.id
    record(
        session,
        "renewal_submitted",
        actor=actor,
        application=application,
        now=now,
        summary={"memperpanjang": source.reg_number, "izin": _permit_of(session, source).number},
    )
