"""Content-addressed blob stores for frames: a directory beside the database, or the database."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from capture.errors import StoreError
from capture.store.database import private_dir
from capture.store.models import BlobRow


class BlobStore(Protocol):
    # True: ``put`` may run on any thread, several at once (``session`` is not used).
    concurrent: bool

    def has(self, digest: str, session: Session) -> bool: ...

    def put(self, digest: str, data: bytes, session: Session) -> None:
        """Store ``data`` under ``digest``; durable once ``session`` commits."""

    def get(self, digest: str, session: Session) -> bytes: ...

    def discard(self, digest: str, session: Session) -> None:
        """Remove a blob this writer just stored, when what was to reference it failed."""

    def size_bytes(self) -> int | None: ...


class DirectoryBlobStore:
    """Blobs as files ``root/ab/abcdef...``, written atomically (temp file, then rename)."""

    concurrent = True

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def has(self, digest: str, session: Session) -> bool:
        return self._path(digest).exists()

    def put(self, digest: str, data: bytes, session: Session) -> None:
        path = self._path(digest)
        if path.exists():
            return
        if not path.parent.is_dir():
            private_dir(path.parent)
        # mkstemp creates the file owner-only (0600).
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, digest: str, session: Session) -> bytes:
        try:
            return self._path(digest).read_bytes()
        except FileNotFoundError:
            raise StoreError(f"frame {digest} is missing from {self.root}") from None

    def discard(self, digest: str, session: Session) -> None:
        self._path(digest).unlink(missing_ok=True)

    def size_bytes(self) -> int | None:
        if not self.root.exists():
            return 0
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())


class DatabaseBlobStore:
    """Blobs in the ``blobs`` table, written in the same transaction as the rows naming them."""

    concurrent = False

    def has(self, digest: str, session: Session) -> bool:
        return session.get(BlobRow, digest) is not None

    def put(self, digest: str, data: bytes, session: Session) -> None:
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            stmt = pg_insert(BlobRow).values(hash=digest, data=data).on_conflict_do_nothing()
            session.execute(stmt)
        elif dialect == "sqlite":
            stmt2 = sqlite_insert(BlobRow).values(hash=digest, data=data).on_conflict_do_nothing()
            session.execute(stmt2)
        elif not self.has(digest, session):
            session.add(BlobRow(hash=digest, data=data))

    def get(self, digest: str, session: Session) -> bytes:
        data = session.scalar(select(BlobRow.data).where(BlobRow.hash == digest))
        if data is None:
            raise StoreError(f"frame {digest} is missing from the database")
        return bytes(data)

    def discard(self, digest: str, session: Session) -> None:
        pass  # rolled back with the transaction that wrote it

    def size_bytes(self) -> int | None:
        return None
