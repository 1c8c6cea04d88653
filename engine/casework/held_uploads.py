"""Files kept across a form's errors: the applicant (or officer) picks each file once. A post that
fails validation holds every acceptable file of the fields without an error; the next post of the
same form takes them for the fields it brings no new file for, unless the person chose to drop one."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.casework.models import HeldUpload
from engine.core.clock import utcnow
from engine.core.files import Upload, check_upload
from engine.workflow.forms import FormDef

KEPT_FOR = timedelta(days=2)


def _rows(session: Session, user: User, form_key: str) -> list[HeldUpload]:
    return list(
        session.scalars(
            select(HeldUpload)
            .where(HeldUpload.user_id == user.id, HeldUpload.form_key == form_key)
            .order_by(HeldUpload.id)
        )
    )


def held(session: Session, user: User, form_key: str) -> dict[str, list[HeldUpload]]:
    """field → the files held for it (to show as "terlampir")."""
    out: dict[str, list[HeldUpload]] = {}
    for row in _rows(session, user, form_key):
        out.setdefault(row.field, []).append(row)
    return out


def with_held(
    session: Session, user: User, form_key: str, form: FormDef | None, uploads: list[Upload], dropped: set[str]
) -> list[Upload]:
    """The post's uploads, plus the held files of each file field it brings nothing new for."""
    if form is None:
        return uploads
    fresh = {u.field for u in uploads if u.content}
    taken = list(uploads)
    for field, rows in held(session, user, form_key).items():
        if field in fresh or field in dropped or form.field(field) is None:
            continue
        taken.extend(Upload(field, row.filename, row.content) for row in rows)
    return taken


def hold(
    session: Session,
    user: User,
    form_key: str,
    form: FormDef | None,
    uploads: list[Upload],
    errors: dict,
    now: datetime | None = None,
) -> int:
    """After a refused post: keep the acceptable files of the fields that had no error (replacing
    what was held for those fields). The caller commits, in a transaction of its own. Returns how
    many files are held."""
    if form is None:
        return 0
    now = now or utcnow()
    by_field: dict[str, list[Upload]] = {}
    for upload in uploads:
        field = form.field(upload.field)
        if field is None or not field.is_file or upload.field in errors or not upload.content:
            continue
        if check_upload(upload, field.accept, field.max_mb)[1] is None:
            by_field.setdefault(upload.field, []).append(upload)
    for name, files in by_field.items():
        session.execute(
            delete(HeldUpload).where(
                HeldUpload.user_id == user.id, HeldUpload.form_key == form_key, HeldUpload.field == name
            )
        )
        seen = set()
        for upload in files if form.field(name).is_file_list else files[:1]:
            digest = hashlib.sha256(upload.content).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            session.add(
                HeldUpload(
                    user_id=user.id,
                    form_key=form_key,
                    field=name,
                    filename=upload.filename[:255],
                    sha256=digest,
                    size=len(upload.content),
                    content=upload.content,
                    created_at=now,
                )
            )
    session.flush()
    return sum(len(rows) for rows in held(session, user, form_key).values())


def release(session: Session, user: User, form_key: str, fields: set[str] | None = None) -> None:
    """The form went through: what it held is part of the file now. With ``fields``: the person
    dropped those files."""
    condition = [HeldUpload.user_id == user.id, HeldUpload.form_key == form_key]
    if fields is not None:
        condition.append(HeldUpload.field.in_(fields))
    session.execute(delete(HeldUpload).where(*condition))


def sweep(session: Session, now: datetime | None = None) -> int:
    """Forget files held for forms nobody came back to."""
    return session.execute(delete(HeldUpload).where(HeldUpload.created_at < (now or utcnow()) - KEPT_FOR)).rowcount
