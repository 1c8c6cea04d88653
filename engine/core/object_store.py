"""The archive in S3-compatible object storage (SeaweedFS, MinIO, a cloud's), so that several
app servers behind a load balancer share one archive. Same rules as the local folder: a key per
SHA-256, written once; a new object waits under ``.staging/`` until its row commits, then is
copied into place (a rollback deletes it; ``sweep_staging`` finishes what a stopped process left).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.clock import utcnow
from engine.core.files import (
    STAGED_MAX_AGE,
    STAGING,
    Staged,
    _checked,
    _missing,
    _pending,
    _row,
    staged_name,
    staged_parts,
)
from engine.core.models import StoredFile


class ObjectStore:
    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def __repr__(self) -> str:
        return f"ObjectStore(bucket={self.bucket!r}, prefix={self.prefix!r})"

    @classmethod
    def connect(
        cls,
        endpoint_url: str,
        bucket: str,
        access_key: str,
        secret_key: str,
        *,
        region: str = "us-east-1",
        prefix: str = "",
        create: bool = False,
    ) -> ObjectStore:
        import boto3
        from botocore.config import Config

        client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
            config=Config(
                s3={"addressing_style": "path"}, retries={"max_attempts": 3}, connect_timeout=5, read_timeout=30
            ),
        )
        store = cls(client, bucket, prefix)
        if create and not store._bucket_exists():
            client.create_bucket(Bucket=bucket)
        return store

    def _bucket_exists(self) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
            return True
        except ClientError:
            return False

    def key_for(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _staging(self, sha256: str = "") -> str:
        return f"{self.prefix}{STAGING}/{sha256}"

    def _get(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise

    def _has(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise

    def _staged_keys(self, sha256: str = "") -> list[dict]:
        listing = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self._staging(sha256))
        return listing.get("Contents", [])

    def _publish(self, staged_key: str, final_key: str) -> None:
        if not self._has(final_key):
            self.client.copy_object(
                Bucket=self.bucket, Key=final_key, CopySource={"Bucket": self.bucket, "Key": staged_key}
            )
        self.client.delete_object(Bucket=self.bucket, Key=staged_key)

    def put(self, session: Session, content: bytes, mime_type: str) -> StoredFile:
        sha = hashlib.sha256(content).hexdigest()
        final = self.key_for(sha)
        pending = _pending(session)
        if not any(p.sha256 == sha for p in pending) and not self._has(final):
            staged = self._staging(f"{staged_name(sha)}{uuid.uuid4().hex}")
            self.client.put_object(Bucket=self.bucket, Key=staged, Body=content, ContentType=mime_type)
            pending.append(
                Staged(
                    sha,
                    lambda: self._publish(staged, final),
                    lambda: self.client.delete_object(Bucket=self.bucket, Key=staged),
                )
            )
        return _row(session, content, sha, mime_type)

    def write_archived(self, sha256: str, content: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.key_for(sha256), Body=_checked(content, sha256))

    def exists(self, sha256: str) -> bool:
        return self._has(self.key_for(sha256)) or bool(self._staged_keys(sha256 + "."))

    def is_empty(self) -> bool:
        return not self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1).get("Contents")

    def writable(self) -> bool:
        probe = self._staging(f"siap.{uuid.uuid4().hex}")
        try:
            self.client.put_object(Bucket=self.bucket, Key=probe, Body=b"")
            self.client.delete_object(Bucket=self.bucket, Key=probe)
            return True
        except Exception:  # noqa: BLE001 - whatever the client raised: the store does not take files now
            return False

    def read(self, sha256: str) -> bytes:
        content = self._get(self.key_for(sha256))
        if content is None:
            staged = sorted(o["Key"] for o in self._staged_keys(sha256 + "."))
            content = self._get(staged[0]) if staged else None
            if content is None:
                raise _missing(sha256)
        return _checked(content, sha256)

    def sweep_staging(self, session: Session, now: datetime | None = None) -> tuple[int, int]:
        now = now or utcnow()
        moved = deleted = 0
        for item in self._staged_keys():
            name = item["Key"].rsplit("/", 1)[-1]
            if name.startswith("siap."):
                continue
            sha, at = staged_parts(name)
            if session.scalar(select(StoredFile.sha256).where(StoredFile.sha256 == sha)) is not None:
                self._publish(item["Key"], self.key_for(sha))
                moved += 1
            elif now.timestamp() - (at or item["LastModified"].timestamp()) > STAGED_MAX_AGE.total_seconds():
                self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
                deleted += 1
        return moved, deleted
