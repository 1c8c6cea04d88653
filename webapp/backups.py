"""Backup and restore of a whole installation, as one archive: a consistent snapshot of the
database (SQLite's online backup, or ``pg_dump`` in its custom format), every archived file, and
the secrets without which the archive is worthless (the agency PKI, the key its private keys are
encrypted with, the session secret), those encrypted with ``PTSP_BACKUP_KEY``.

``manifest.json`` lists every member with its SHA-256; restore checks each one as it reads it,
then checks every file the restored database names. Archives are 0600, named to the second with a
random tail (two in one minute never collide), and pruned to 7 daily, 4 weekly and 12 monthly.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from engine.core.clock import utcnow
from engine.core.files import ArchiveDamaged
from engine.core.localtime import local
from engine.documents.archive_check import check_archive

log = logging.getLogger(__name__)
FORMAT = 1
MAGIC = b"PTSPBK1"
KEEP = {"daily": 7, "weekly": 4, "monthly": 12}
SECRET_FILES = ("secret_key", "pki-key")  # in the instance folder, beside PKI_DIR


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Indonesian."""


@dataclass
class RestoreReport:
    files: int = 0
    database: str = ""
    secrets: bool = False
    problems: list[str] = field(default_factory=list)


# --- encryption of the secrets ---------------------------------------------------------------------


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def seal_secrets(data: bytes, passphrase: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    return MAGIC + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, MAGIC)


def open_secrets(blob: bytes, passphrase: str) -> bytes:
    if not blob.startswith(MAGIC):
        raise BackupError("Bagian rahasia cadangan tidak dikenali.")
    salt, nonce, body = blob[7:23], blob[23:35], blob[35:]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, body, MAGIC)
    except InvalidTag:
        raise BackupError("Kunci cadangan (PTSP_BACKUP_KEY) salah, atau bagian rahasia cadangan rusak.") from None


# --- where things live -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Installation:
    """The parts of one installation a backup holds, from the app's configuration."""

    url: URL
    store: object  # engine.core.files.FileStore or engine.core.object_store.ObjectStore
    pki_dir: Path
    instance: Path
    zone: str

    @classmethod
    def of(cls, app, engine) -> Installation:
        return cls(
            engine.url,
            app.extensions["ptsp_services"].files,
            Path(app.config["PKI_DIR"]),
            Path(app.instance_path),
            app.config["AGENCY_TIMEZONE"],
        )

    @property
    def sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"


def _dsn(url: URL) -> tuple[str, dict]:
    # The password goes through the environment: a command line is visible to every local user.
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}


def _private(path: Path) -> Path:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    return path


# --- backup ----------------------------------------------------------------------------------------


def _snapshot(where: Installation, work: Path) -> Path:
    if where.sqlite:
        target = _private(work / "database.sqlite")
        with sqlite3.connect(where.url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return target
    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump tidak tersedia: pasang klien PostgreSQL (postgresql-client).")
    target = _private(work / "database.pgdump")
    dsn, env = _dsn(where.url)
    with target.open("wb") as out:
        dump = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", dsn], stdout=out, stderr=subprocess.PIPE, env=env, check=False
        )
    if dump.returncode != 0:
        raise BackupError(f"pg_dump gagal: {dump.stderr.decode(errors='replace')[-300:]}")
    return target


def _secrets_tar(where: Installation) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        if where.pki_dir.is_dir():
            for path in sorted(where.pki_dir.iterdir()):
                if path.is_file():
                    tar.add(path, arcname=f"pki/{path.name}")
        for name in SECRET_FILES:
            if (where.instance / name).is_file():
                tar.add(where.instance / name, arcname=f"instance/{name}")
    return buffer.getvalue()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(
    where: Installation,
    target_dir: Path,
    backup_key: str | None,
    session,
    revision: str | None,
    now: datetime | None = None,
) -> Path:
    """Write one archive under ``target_dir``; returns its path. Without ``backup_key`` the
    secrets are left out (and the log says so): such an archive restores data, not signatures."""
    now = now or utcnow()
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = local(now, where.zone).strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"ptsp-{stamp}-{secrets.token_hex(3)}.tar"
    part = _private(target.with_name(target.name + ".part"))
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        snapshot = _snapshot(where, work)
        # Taken after the snapshot: every file the snapshot names is on disk by then (files are
        # written before their row commits and never removed).
        shas = [row[0] for row in session.execute(text("SELECT sha256 FROM stored_files ORDER BY sha256"))]
        session.rollback()
        with tarfile.open(part, "w") as tar:
            members[snapshot.name] = {"sha256": _sha256(snapshot), "size": snapshot.stat().st_size}
            tar.add(snapshot, arcname=snapshot.name)
            missing = 0
            for sha in shas:
                try:
                    content = where.store.read(sha)
                except ArchiveDamaged:
                    missing += 1
                    continue
                name = f"files/{sha[:2]}/{sha[2:4]}/{sha}"
                members[name] = {"sha256": sha, "size": len(content)}
                _add_bytes(tar, name, content)
            if backup_key:
                blob = seal_secrets(_secrets_tar(where), backup_key)
                members["secrets.enc"] = {"sha256": hashlib.sha256(blob).hexdigest(), "size": len(blob)}
                _add_bytes(tar, "secrets.enc", blob)
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "database": snapshot.name,
                "revision": revision,
                "secrets": bool(backup_key),
                "missing_files": missing,
                "members": members,
            }
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
    part.replace(target)
    if not backup_key:
        log.warning(
            "Cadangan %s tanpa PKI dan kunci rahasia: atur PTSP_BACKUP_KEY agar cadangan memuatnya.", target.name
        )
    if missing:
        log.error(
            "Cadangan %s: %d berkas arsip tidak ditemukan (jalankan flask ptsp check-archive).", target.name, missing
        )
    return target


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(utcnow().timestamp())
    tar.addfile(info, io.BytesIO(data))


def prune(target_dir: Path, keep: dict[str, int] = KEEP) -> list[Path]:
    """Delete archives beyond the newest of each of the last 7 days, 4 weeks and 12 months."""
    archives = sorted(target_dir.glob("ptsp-*.tar"), reverse=True)
    kept: set[Path] = set()
    for period, count in keep.items():
        seen: list[str] = []
        for path in archives:
            day = path.name[5:13]  # YYYYMMDD
            when = datetime.strptime(day, "%Y%m%d")
            key = {"daily": day, "weekly": "{}-{:02d}".format(*when.isocalendar()[:2]), "monthly": day[:6]}[period]
            if key not in seen:
                seen.append(key)
                if len(seen) <= count:
                    kept.add(path)
    removed = [p for p in archives if p not in kept]
    for path in removed:
        path.unlink()
    return removed


# --- restore ---------------------------------------------------------------------------------------


def _empty_database(engine) -> bool:
    return not [t for t in inspect(engine).get_table_names() if t != "alembic_version"]


def _checked_member(tar: tarfile.TarFile, info: tarfile.TarInfo, expected: dict | None, out: Path) -> None:
    if expected is None:
        raise BackupError(f"Cadangan memuat {info.name} yang tidak tercatat di manifest.")
    if not info.isfile() or info.size != expected["size"]:
        raise BackupError(f"Ukuran {info.name} tidak sesuai manifest.")
    digest = hashlib.sha256()
    source = tar.extractfile(info)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            fh.write(chunk)
    if digest.hexdigest() != expected["sha256"]:
        out.unlink()
        raise BackupError(f"Isi {info.name} tidak sesuai sidik SHA-256 di manifest: cadangan rusak.")


def restore(archive: Path, where: Installation, engine, backup_key: str | None, session_factory) -> RestoreReport:
    """Restore ``archive`` into an empty database and an empty file store. Errors: BackupError
    (the target is not empty, a member does not match the manifest, the key is wrong); nothing
    is written to the database or the archive folder before every member is checked."""
    if not _empty_database(engine):
        raise BackupError("Basis data tujuan tidak kosong. Pulihkan ke basis data baru yang kosong.")
    if not where.store.is_empty():
        raise BackupError("Penyimpanan arsip tujuan tidak kosong. Pulihkan ke folder atau bucket yang kosong.")
    report = RestoreReport()
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory(dir=where.instance) as tmp:
        work = Path(tmp)
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        except (KeyError, AttributeError, ValueError):
            raise BackupError("Berkas ini bukan cadangan PTSP-el (manifest.json tidak ada).") from None
        if manifest.get("format") != FORMAT:
            raise BackupError("Format cadangan tidak dikenal.")
        members = manifest["members"]
        seen = set()
        for info in tar:
            if info.name == "manifest.json":
                continue
            if info.name.startswith("/") or ".." in Path(info.name).parts:
                raise BackupError(f"Nama {info.name} dalam cadangan tidak diizinkan.")
            _checked_member(tar, info, members.get(info.name), work / info.name)
            seen.add(info.name)
        if seen != set(members):
            raise BackupError(f"Cadangan tidak lengkap: {len(set(members) - seen)} bagian hilang.")
        secrets_tar = None
        if manifest.get("secrets"):
            if not backup_key:
                raise BackupError(
                    "Cadangan ini memuat PKI dan kunci rahasia: atur PTSP_BACKUP_KEY untuk memulihkannya."
                )
            secrets_tar = open_secrets((work / "secrets.enc").read_bytes(), backup_key)
        # Every member checked: now write.
        report.database = _restore_database(work / manifest["database"], where, engine)
        stored = work / "files"
        if stored.is_dir():
            for path in sorted(stored.rglob("*")):
                if path.is_file():
                    where.store.write_archived(path.name, path.read_bytes())
                    path.unlink()
                    report.files += 1
        if secrets_tar is not None:
            _restore_secrets(secrets_tar, where)
            report.secrets = True
    session = session_factory()
    try:
        report.problems = [f"{p.problem} {p.sha256}" for p in check_archive(session, where.store)]
    finally:
        session.close()
    return report


def _restore_database(snapshot: Path, where: Installation, engine) -> str:
    engine.dispose()
    if where.sqlite:
        if snapshot.name != "database.sqlite":
            raise BackupError("Cadangan ini dari PostgreSQL; pulihkan dengan DATABASE_URL PostgreSQL.")
        target = Path(where.url.database)
        # A stale write-ahead log beside the restored file would be replayed into it: corrupt.
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{target}{extra}").unlink(missing_ok=True)
        with sqlite3.connect(snapshot) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        target.chmod(0o600)
        return "sqlite"
    if snapshot.name != "database.pgdump":
        raise BackupError("Cadangan ini dari SQLite; pulihkan ke SQLite (tanpa DATABASE_URL PostgreSQL).")
    if not shutil.which("pg_restore"):
        raise BackupError("pg_restore tidak tersedia: pasang klien PostgreSQL (postgresql-client).")
    dsn, env = _dsn(where.url)
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--clean", "--if-exists", "-d", dsn, str(snapshot)],
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore gagal: {done.stderr.decode(errors='replace')[-300:]}")
    return "postgresql"


def _restore_secrets(data: bytes, where: Installation) -> None:
    stamp = utcnow().strftime("%Y%m%d%H%M%S")
    if where.pki_dir.exists():
        # A PKI made when this (empty) installation first started has signed nothing: set aside.
        where.pki_dir.rename(where.pki_dir.with_name(f"{where.pki_dir.name}.diganti-{stamp}"))
    where.pki_dir.mkdir(mode=0o700, parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
        for info in tar:
            folder, _, name = info.name.partition("/")
            if not info.isfile() or "/" in name or not name:
                continue
            target = where.pki_dir if folder == "pki" else where.instance if folder == "instance" else None
            if target is None or (folder == "instance" and name not in SECRET_FILES):
                continue
            path = _private(target / name)
            path.write_bytes(tar.extractfile(info).read())
