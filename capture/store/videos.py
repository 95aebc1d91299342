"""A context video kept with a session: its bytes as blobs, its header on the session.

An imported bundle's ``context.mp4`` is kept as it came, so a later export can
write it back unchanged. Its bytes go to the store's blob storage in chunks of
``CHUNK`` bytes, each a blob named by its SHA-256, so neither import nor export
ever holds more than one chunk in memory (a database blob store cannot stream
one value). The session's ``context_video`` column holds the bundle's header,
the chunks in order, and the whole file's size and SHA-256, checked on the way out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from capture.errors import StoreError
from capture.store.blobs import BlobStore
from capture.store.database import Database
from capture.store.models import SessionRow

CHUNK = 4 << 20  # bytes read, stored and written back at a time


@dataclass(frozen=True)
class StoredVideo:
    header: Mapping[str, Any]  # the bundle's ``context_video``, as it came
    size: int
    sha256: str
    chunks: tuple[str, ...]  # blob digests, in file order

    def to_json(self) -> dict[str, Any]:
        return {
            "header": dict(self.header),
            "size": self.size,
            "sha256": self.sha256,
            "chunks": list(self.chunks),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoredVideo:
        chunks = tuple(str(c) for c in data["chunks"])
        return cls(dict(data["header"]), int(data["size"]), str(data["sha256"]), chunks)


def store_video(
    blobs: BlobStore,
    s: Session,
    header: Mapping[str, Any],
    chunks: Iterable[bytes],
    added: list[str],
) -> StoredVideo:
    """Put ``chunks`` (the file's bytes, in order) into ``blobs`` inside ``s``'s transaction.

    Each blob this call adds is appended to ``added`` before it is written, so
    the caller can remove them again if the transaction fails.
    """
    whole = hashlib.sha256()
    names: list[str] = []
    size = 0
    for data in chunks:
        if not data:
            continue
        whole.update(data)
        size += len(data)
        digest = hashlib.sha256(data).hexdigest()
        if digest not in added and not blobs.has(digest, s):
            added.append(digest)  # first: a failure anywhere removes it
            blobs.put(digest, data, s)
        names.append(digest)
    return StoredVideo(dict(header), size, whole.hexdigest(), tuple(names))


def stored_video(db: Database, session_id: str) -> StoredVideo | None:
    """The video kept with ``session_id``; None when it has none."""
    with db.session() as s:
        data = s.scalar(select(SessionRow.context_video).where(SessionRow.id == session_id))
    return None if not data else StoredVideo.from_json(data)


def copy_video(db: Database, blobs: BlobStore, video: StoredVideo, out: IO[bytes]) -> None:
    """Write the kept file to ``out`` a chunk at a time, checking its size and SHA-256."""
    whole = hashlib.sha256()
    size = 0
    with db.session() as s:
        for digest in video.chunks:
            data = blobs.get(digest, s)
            whole.update(data)
            size += len(data)
            out.write(data)
    if size != video.size or whole.hexdigest() != video.sha256:
        raise StoreError("the kept context video is damaged: its bytes no longer match their hash")
