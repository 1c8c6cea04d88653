"""Content-addressed file storage and upload checks.

Blobs live under ``<root>/<aa>/<bb>/<sha256>``, never under the user's file name; each is
written once and never overwritten. The type is judged from the content, not the name.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from sqlalchemy.orm import Session

from .clock import utcnow
from .errors import EngineError
from .models import StoredFile

MIME_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


class ArchiveDamaged(EngineError):
    """A stored blob no longer matches its hash (changed on disk outside the application)."""


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
_ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA",
                    "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}
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
            return "Berkas PDF tidak memuat halaman."
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
                    return "PDF memuat konten aktif (JavaScript, peluncuran program atau berkas tersemat); " \
                           "unggah PDF biasa hasil pindai atau cetak."
                stack.extend(v for k, v in item.items() if k != "/Parent")
            elif isinstance(item, generic.ArrayObject):
                stack.extend(item)
    except Exception:  # whatever the reader raised: this is not a PDF a viewer can trust
        return "Berkas bukan PDF yang utuh dan dapat dibaca."
    return None


def image_problem(content: bytes) -> str | None:
    """Why ``content`` is not a decodable picture, or None."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > 60_000_000:
                return "Ukuran gambar terlalu besar."
            image.load()
    except Exception:
        return "Berkas gambar rusak atau bukan gambar yang dapat dibuka."
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
        return None, "Berkas kosong."
    if len(upload.content) > max_mb * 1024 * 1024:
        return None, f"Ukuran berkas melebihi {max_mb:g} MB."
    mime = sniff_mime(upload.content)
    if mime not in accept:
        allowed = ", ".join(MIME_LABELS.get(a, a) for a in accept)
        return None, f"Jenis berkas tidak diizinkan; yang diterima: {allowed}."
    problem = pdf_problem(upload.content) if mime == "application/pdf" else (
        image_problem(upload.content) if mime.startswith("image/") else None)
    if problem:
        return None, problem
    return mime, None


class FileStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, session: Session, content: bytes, mime_type: str) -> StoredFile:
        sha = hashlib.sha256(content).hexdigest()
        path = self.path_for(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
            os.chmod(tmp, 0o444)  # archived once, read-only from then on
            os.replace(tmp, path)
        stored = session.get(StoredFile, sha)
        if stored is None:
            stored = StoredFile(sha256=sha, size=len(content), mime_type=mime_type, created_at=utcnow())
            session.add(stored)
        return stored

    def read(self, sha256: str) -> bytes:
        """The archived bytes, after checking they still hash to their name."""
        content = self.path_for(sha256).read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ArchiveDamaged("Arsip dokumen rusak: isi berkas tidak lagi sesuai dengan sidik SHA-256-nya. "
                                 "Hubungi Administrator.")
        return content
