"""Per-object permission checks: who may read, download and work what (the role table itself is in
``roles``).

Officers, supervisors and other agencies' employees read within their authority: the permit types
(or units) their account is assigned to, or every type when the admin says so. Officers also keep
reading the files they have worked on. The applicants' uploads are personal documents: another
agency sees them only when its scope grants them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, false, or_, select, true
from sqlalchemy.orm import Session, object_session

from engine.accounts.models import User
from engine.core.errors import PermissionDenied
from engine.core.localtime import Phrase
from engine.core.roles import ADMIN, APPLICANT, RELATED_AGENCY, STAFF_ROLES, SUPERVISOR
from engine.documents.models import Document
from engine.workflow.definitions import active_permit_types
from engine.workflow.models import Application, PermitType, WorkItem

# Roles that read files in scope as part of the service itself (they see personal documents).
OFFICER_ROLES = frozenset({*STAFF_ROLES, SUPERVISOR})


def is_personal(document: Document) -> bool:
    """What the applicant uploaded (KTP, STR, photos, ...) is personal data; the officers' own
    uploads (field photos) and the agency's documents are not. The consent signed at the counter is
    the applicant's, whoever scanned it."""
    if document.kind == "persetujuan":
        return True
    return document.kind == "lampiran" and document.created_by_id == document.application.applicant_id


@dataclass(frozen=True)
class Scope:
    everything: bool
    permit_types: frozenset[int]
    personal: frozenset[int]  # permit types whose personal documents another agency is granted

    def covers(self, permit_type_id: int) -> bool:
        return self.everything or permit_type_id in self.permit_types

    def personal_granted(self, permit_type_id: int) -> bool:
        return permit_type_id in self.personal

    @property
    def permit_type_ids(self) -> frozenset[int] | None:
        """The permit types in scope, or None for all of them (report filters read this)."""
        return None if self.everything else self.permit_types


def scope_of(session: Session, user: User) -> Scope:
    if user.has_role(ADMIN) or user.all_permit_types:
        personal = {s.permit_type_id for s in user.scopes if s.personal_documents and s.permit_type_id}
        return Scope(True, frozenset(), frozenset(personal))
    types, personal, units, personal_units = set(), set(), set(), set()
    for scope in user.scopes:
        if scope.permit_type_id:
            types.add(scope.permit_type_id)
            if scope.personal_documents:
                personal.add(scope.permit_type_id)
        elif scope.unit:
            units.add(scope.unit)
            if scope.personal_documents:
                personal_units.add(scope.unit)
    if units:
        for type_id, unit in session.execute(select(PermitType.id, PermitType.unit).where(PermitType.unit.in_(units))):
            types.add(type_id)
            if unit in personal_units:
                personal.add(type_id)
    return Scope(False, frozenset(types), frozenset(personal))


def covers(user: User, permit_type: PermitType) -> bool:
    """Whether ``user``'s authority covers ``permit_type`` (as ``scope_of(...).covers``), from what
    is loaded with the user: checking many officers against one permit type sends no query each."""
    if user.has_role(ADMIN) or user.all_permit_types:
        return True
    return any(
        s.permit_type_id == permit_type.id if s.permit_type_id else bool(s.unit) and s.unit == permit_type.unit
        for s in user.scopes
    )


def permit_types_in_scope(session: Session, user: User) -> list[PermitType]:
    """The permit types on offer that ``user`` reads (the filters of lists and reports offer these)."""
    scope = scope_of(session, user)
    return [p for p in active_permit_types(session) if scope.covers(p.id)]


def is_staff(user: User) -> bool:
    return bool(user.role_names & set(STAFF_ROLES))


def _worked_on(user: User):
    """Applications with a task this user claimed or completed."""
    return select(WorkItem.application_id).where(
        or_(WorkItem.claimed_by_id == user.id, WorkItem.completed_by_id == user.id)
    )


def readable(session: Session, user: User):
    """A filter on ``Application`` rows: the applications ``user`` may read as staff, supervisor,
    admin or another agency (lists, inboxes and reports apply it in SQL)."""
    roles = user.role_names
    if ADMIN in roles:
        return true()
    if not roles & (OFFICER_ROLES | {RELATED_AGENCY}):
        return false()
    scope = scope_of(session, user)
    if scope.everything:
        return true()
    clauses = [Application.permit_type_id.in_(scope.permit_types)] if scope.permit_types else []
    if roles & OFFICER_ROLES:
        clauses.append(Application.id.in_(_worked_on(user)))
    return or_(*clauses) if clauses else false()


def _has_worked_on(session: Session, user: User, application: Application) -> bool:
    return bool(session.scalar(select(exists(_worked_on(user).where(WorkItem.application_id == application.id)))))


def _reads_as_officer(session: Session, user: User, application: Application, scope: Scope) -> bool:
    roles = user.role_names
    if ADMIN in roles:
        return True
    return bool(roles & OFFICER_ROLES) and (
        scope.covers(application.permit_type_id) or _has_worked_on(session, user, application)
    )


def _session(obj) -> Session:
    session = object_session(obj)
    if session is None:
        raise RuntimeError("permission checks need a persistent object")
    return session


def _reading(user: User, application: Application) -> tuple[str | None, Scope | None]:
    """Why ``user`` may read ``application`` ("own", "officer" or "agency": another agency's
    grant, or None), with the scope it was judged by."""
    if application.applicant_id == user.id:
        return "own", None
    session = _session(application)
    scope = scope_of(session, user)
    if _reads_as_officer(session, user, application, scope):
        return "officer", scope
    if user.has_role(RELATED_AGENCY) and scope.covers(application.permit_type_id):
        return "agency", scope
    return None, scope


def may_view_application(user: User, application: Application) -> bool:
    return _reading(user, application)[0] is not None


def _document_readable(document: Document, reason: str | None, scope: Scope | None) -> bool:
    if reason != "agency":
        return reason is not None
    return not is_personal(document) or scope.personal_granted(document.application.permit_type_id)


def may_view_document(user: User, document: Document) -> bool:
    return _document_readable(document, *_reading(user, document.application))


def visible_documents(user: User, documents: list[Document]) -> list[Document]:
    """The documents that ``user`` may open (lists show no more than that); the authority is
    judged once per application."""
    readings: dict[int, tuple] = {}
    shown = []
    for doc in documents:
        if doc.application_id not in readings:
            readings[doc.application_id] = _reading(user, doc.application)
        if _document_readable(doc, *readings[doc.application_id]):
            shown.append(doc)
    return shown


def may_work(user: User, item: WorkItem) -> bool:
    if item.role == APPLICANT:
        return item.application.applicant_id == user.id
    if not user.has_role(item.role):
        return False
    if item.claimed_by_id == user.id:
        return True
    return scope_of(_session(item), user).covers(item.application.permit_type_id)


def require_may_work(user: User, item: WorkItem) -> None:
    if not may_work(user, item):
        raise PermissionDenied(Phrase("Anda tidak berwenang mengerjakan tugas ini."))
    if item.claimed_by_id and item.claimed_by_id != user.id:
        raise PermissionDenied(Phrase("Tugas ini sedang dikerjakan oleh %(name)s.", name=item.claimed_by.name))


def require_may_view(user: User, application: Application) -> None:
    if not may_view_application(user, application):
        raise PermissionDenied(Phrase("Anda tidak berwenang melihat permohonan ini."))


def require_may_view_document(user: User, document: Document) -> None:
    if not may_view_document(user, document):
        raise PermissionDenied(Phrase("Anda tidak berwenang membuka dokumen ini."))
