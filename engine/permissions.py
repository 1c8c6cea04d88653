"""Per-object permission checks (the role table itself is in ``roles``)."""
from .errors import PermissionDenied
from .models import Application, User, WorkItem
from .roles import APPLICANT, STAFF_ROLES, may


def is_staff(user: User) -> bool:
    return bool(user.role_names & set(STAFF_ROLES))


def may_work(user: User, item: WorkItem) -> bool:
    if item.role == APPLICANT:
        return item.application.applicant_id == user.id
    return user.has_role(item.role)


def require_may_work(user: User, item: WorkItem) -> None:
    if not may_work(user, item):
        raise PermissionDenied("Anda tidak berwenang mengerjakan tugas ini.")
    if item.claimed_by_id and item.claimed_by_id != user.id:
        raise PermissionDenied(f"Tugas ini sedang dikerjakan oleh {item.claimed_by.name}.")


def may_view_application(user: User, application: Application) -> bool:
    return application.applicant_id == user.id or is_staff(user) or may(user.role_names, "view_reports")


def require_may_view(user: User, application: Application) -> None:
    if not may_view_application(user, application):
        raise PermissionDenied("Anda tidak berwenang melihat permohonan ini.")
