"""Content-addressed file storage and upload checks.

Blobs live under ``<root>/<aa>/<bb>/<sha256>``, never under the user's file name; each is
written once and never overwritten. The type is judged from the content, not the name.

A new blob is written to ``<root>/.staging/`` first and moved into the archive only when the
transaction that stored its row commits; a rollback deletes it. So a step that fails (a lost race,
a database fault) leaves no sealed document behind without its row, carrying a number that will be
given to another. A process killed in between leaves a staged file that ``sweep_staging`` moves in
(if its row was committed) or deletes (if not, once it is an hour old).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import filetype
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from engine.core.clock import utcnow
from engine.core.errors import EngineError
from engine.core.localtime import Phrase
from engine.core.models import StoredFile
from engine.core.numbers import is_whole_number

log = logging.getLogger(__name__)
MIME_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


class ArchiveDamaged(EngineError):
    """A stored blob no longer matches its hash (changed on disk outside the application)."""


class ArchiveMissing(ArchiveDamaged):
    """A stored blob is not on disk at all (lost, or a database restored without its files)."""


STAGING = ".staging"
STAGED_MAX_AGE = timedelta(hours=1)
_PENDING = "ptsp_staged_files"  # session.info key: [Staged]


@dataclass(frozen=True)
class Upload:
    """A file as it came from a browser or an API client."""

    field: str
    filename: str
    content: bytes


def sniff_mime(content: bytes) -> str | None:
    if content[:5] == b"%PDF-":
        return "application/pdf"
    kind = filetype.guess(content)
    return kind.mime if kind else None


# What a document for the archive has no business carrying: code that runs when it is opened,
# programs to launch, files hidden inside, forms that send data elsewhere.
_ACTIVE_PDF_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
}
_PDF_OBJECTS_WALKED = 100_000


def pdf_problem(content: bytes) -> str | None:
    """Why ``content`` is not an acceptable PDF (not a readable PDF, or active content), or None.
    Judged by its structure: the first bytes alone say nothing (an HTML page can start with %PDF-)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        pages = reader.root["/Pages"].get_object()
        if int(pages.get("/Count", 0)) < 1:
            return Phrase("Berkas PDF tidak memuat halaman.")
        stack, seen, walked = [reader.trailer_view], set(), 0
        while stack and walked < _PDF_OBJECTS_WALKED:
            item = stack.pop()
            walked += 1
            if isinstance(item, generic.IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            if isinstance(item, generic.DictionaryObject):
                active = _ACTIVE_PDF_KEYS & set(item.keys())
                if active or item.get("/S") in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData"):
                    return Phrase(
                        "PDF memuat konten aktif (JavaScript, peluncuran program atau berkas tersemat); "
                        "unggah PDF biasa hasil pindai atau cetak."
                    )
                stack.extend(v for k, v in item.items() if k != "/Parent")
            elif isinstance(item, generic.ArrayObject):
                stack.extend(item)
    except Exception:  # noqa: BLE001 - whatever the reader raised: this is not a PDF a viewer can trust
        return Phrase("Berkas bukan PDF yang utuh dan dapat dibaca.")
    return None


def image_problem(content: bytes) -> str | None:
    """Why ``content`` is not a decodable picture, or None."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > 60_000_000:
                return Phrase("Ukuran gambar terlalu besar.")
            image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on a broken picture
        return Phrase("Berkas gambar rusak atau bukan gambar yang dapat dibuka.")
    return None


def reencoded(content: bytes, mime: str) -> bytes:
    """What is archived of an accepted upload: a picture decoded and written anew, so only its
    pixels remain (no EXIF location of a KTP photo, no script or archive appended behind the
    image data); turned upright as the camera recorded. PDFs are kept as they are (they may be
    signed, and re-writing would void the signature)."""
    if not mime.startswith("image/"):
        return content
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(content)) as original:
        image = ImageOps.exif_transpose(original)
        out = io.BytesIO()
        if mime == "image/jpeg":
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(out, format="JPEG", quality=90, optimize=True)
        else:
            image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_upload(upload: Upload, accept: list[str], max_mb: float) -> tuple[str | None, str | None]:
    """Return (mime, None) when acceptable, else (None, Indonesian message). The type is judged
    from the content, and the content by its structure (a PDF is read, a picture decoded)."""
    if not upload.content:
        return None, Phrase("Berkas kosong.")
    if len(upload.content) > max_mb * 1024 * 1024:
        return None, Phrase("Ukuran berkas melebihi %(size)s MB.", size=f"{max_mb:g}")
    mime = sniff_mime(upload.content)
    if mime not in accept:
        allowed = ", ".join(MIME_LABELS.get(a, a) for a in accept)
        return None, Phrase("Jenis berkas tidak diizinkan; yang diterima: %(allowed)s.", allowed=allowed)
    problem = (
        pdf_problem(upload.content)
        if mime == "application/pdf"
        else (image_problem(upload.content) if mime.startswith("image/") else None)
    )
    if problem:
        return None, problem
    return mime, None


def staged_name(sha256: str) -> str:
    """The start of a staged file's name: its hash and when it was staged, by the application's
    clock (not the file system's, which a test's moved clock or a skewed host does not share)."""
    return f"{sha256}.{int(utcnow().timestamp())}."


def staged_parts(name: str) -> tuple[str, float | None]:
    sha, _, rest = name.partition(".")
    stamp = rest.split(".", 1)[0]
    return sha, float(stamp) if is_whole_number(stamp) else None


class Staged:
    """A new file waiting for its transaction: ``publish`` after the commit, ``discard`` after a
    rollback."""

    def __init__(self, sha256: str, publish, discard):
        self.sha256, self.publish, self.discard = sha256, publish, discard


def _pending(session: Session) -> list[Staged]:
    return session.info.setdefault(_PENDING, [])


def _row(session: Session, content: bytes, sha: str, mime_type: str) -> StoredFile:
    stored = session.get(StoredFile, sha)
    if stored is None:
        stored = StoredFile(sha256=sha, size=len(content), mime_type=mime_type, created_at=utcnow())
        session.add(stored)
    return stored


def _checked(content: bytes, sha256: str) -> bytes:
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ArchiveDamaged(
            Phrase(
                "Arsip dokumen rusak: isi berkas tidak lagi sesuai dengan sidik SHA-256-nya. Hubungi Administrator."
            ),
            sha256=sha256,
        )
    return content


def _missing(sha256: str) -> ArchiveMissing:
    return ArchiveMissing(
        Phrase("Berkas arsip dokumen ini tidak ditemukan di penyimpanan. Hubungi Administrator."), sha256=sha256
    )


class FileStore:
    """The archive in a local folder (the default; one machine, or a shared mount)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"FileStore({str(self.root)!r})"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _staged(self, sha256: str) -> Path | None:
        return next(iter(sorted((self.root / STAGING).glob(f"{sha256}.*"))), None)

    def put(self, session: Session, content: bytes, mime_type: str) -> StoredFile:
        """Store ``content`` under its hash; the file joins the archive when ``session`` commits."""
        sha = hashlib.sha256(content).hexdigest()
        path = self.path_for(sha)
        pending = _pending(session)
        if not path.exists() and not any(p.sha256 == sha for p in pending):
            staging = self.root / STAGING
            staging.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=staging, prefix=staged_name(sha))
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
            os.chmod(tmp, 0o444)  # archived once, read-only from then on
            staged = Path(tmp)
            pending.append(Staged(sha, lambda: _promote(staged, path), lambda: staged.unlink(missing_ok=True)))
        return _row(session, content, sha, mime_type)

    def write_archived(self, sha256: str, content: bytes) -> None:
        """Put a file straight into the archive (restoring a backup: its row is already there)."""
        _checked(content, sha256)
        path = self.path_for(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists() or self._staged(sha256) is not None

    def is_empty(self) -> bool:
        return not any(p.is_file() for p in self.root.rglob("*")) if self.root.exists() else True

    def writable(self) -> bool:
        staging = self.root / STAGING
        try:
            staging.mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(dir=staging, prefix="siap.")
            os.close(fd)
            os.unlink(path)
            return True
        except OSError:
            return False

    def read(self, sha256: str) -> bytes:
        """The archived bytes, after checking they still hash to their name (a file stored in the
        running transaction is read from where it waits). Errors: ArchiveMissing, ArchiveDamaged."""
        try:
            content = self.path_for(sha256).read_bytes()
        except FileNotFoundError:
            staged = self._staged(sha256)
            if staged is None:
                raise _missing(sha256) from None
            content = staged.read_bytes()
        return _checked(content, sha256)

    def sweep_staging(self, session: Session, now: datetime | None = None) -> tuple[int, int]:
        """Staged files left by a process that stopped between commit and move: moved into the
        archive when their row exists, deleted when it does not and they are an hour old.
        Returns (moved, deleted)."""
        now = now or utcnow()
        moved = deleted = 0
        for staged in sorted((self.root / STAGING).glob("*.*")):
            if staged.name.startswith("siap."):
                continue
            sha, at = staged_parts(staged.name)
            if session.scalar(select(StoredFile.sha256).where(StoredFile.sha256 == sha)) is not None:
                _promote(staged, self.path_for(sha))
                moved += 1
            elif now.timestamp() - (at or staged.stat().st_mtime) > STAGED_MAX_AGE.total_seconds():
                staged.unlink(missing_ok=True)
                deleted += 1
        return moved, deleted


def _promote(staged: Path, final: Path) -> None:
    if final.exists():
        staged.unlink(missing_ok=True)
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, final)


@event.listens_for(Session, "before_commit")
def _keep_what_was_stored(session: Session) -> None:
    # A savepoint rolled back since the file was staged took its row with it: that file goes.
    pending = session.info.get(_PENDING)
    if not pending:
        return
    kept = []
    for staged in pending:
        if session.get(StoredFile, staged.sha256) is not None:
            kept.append(staged)
        else:
            staged.discard()
    session.info[_PENDING] = kept


@event.listens_for(Session, "after_commit")
def _publish_staged(session: Session) -> None:
    for staged in session.info.pop(_PENDING, ()):
        try:
            staged.publish()
        except Exception:  # committed already: the file is read from staging until the sweep moves it
            log.warning(
                "Berkas %s belum dipindahkan ke arsip; penyapu akan memindahkannya.", staged.sha256, exc_info=True
            )


@event.listens_for(Session, "after_transaction_end")
def _discard_staged(session: Session, transaction) -> None:
    # Only the outermost transaction decides (a savepoint's end is seen by before_commit); after a
    # commit nothing is left pending here, so what is left was rolled back or abandoned.
    if transaction.parent is not None:
        return
    for staged in session.info.pop(_PENDING, ()):
        try:
            staged.discard()
        except Exception:  # the sweep removes it once it is an hour old
            log.warning("Berkas tertunda %s belum dihapus.", staged.sha256, exc_info=True)
