"""Checking the archive against the database: every stored file a document names, read and hashed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.files import ArchiveDamaged, ArchiveMissing
from engine.core.models import StoredFile
from engine.documents.models import Document


@dataclass(frozen=True)
class ArchiveProblem:
    sha256: str
    problem: str  # "hilang" (missing) or "rusak" (its bytes no longer hash to its name)
    documents: list[tuple[int, str, str | None]]  # (id, kind, number) of the rows naming it


def check_archive(session: Session, store, batch: int = 500) -> Iterator[ArchiveProblem]:
    """Every stored file the database names, read and hashed: the missing and the changed ones.
    Reads one batch of rows at a time, so it runs on archives of any size."""
    last = ""
    while True:
        shas = list(
            session.scalars(
                select(StoredFile.sha256).where(StoredFile.sha256 > last).order_by(StoredFile.sha256).limit(batch)
            )
        )
        if not shas:
            return
        last = shas[-1]
        for sha in shas:
            try:
                store.read(sha)
                continue
            except ArchiveMissing:
                problem = "hilang"
            except ArchiveDamaged:
                problem = "rusak"
            rows = session.execute(
                select(Document.id, Document.kind, Document.number).where(Document.sha256 == sha).order_by(Document.id)
            ).all()
            yield ArchiveProblem(sha, problem, [tuple(r) for r in rows])
