"""Unpacking a zip nobody vouches for: bundles and task files sent in by others.

``extract_zip`` writes every entry under a fresh directory and only then moves
it to ``target``: a zip it refuses leaves nothing behind, and nothing is ever
written outside ``target``. Refused, each with one clear line
(``UnsafeArchiveError``): a file that is not a zip, absolute paths, ``..``,
drive letters and backslashes in names, names that collide, symbolic links
and other special entries, encrypted entries, more than ``max_entries``
entries, an entry or a total larger than the limits (counted while
decompressing, not taken from the headers), and an entry whose compression
ratio gives it away as a zip bomb.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from capture.errors import DemotraceError

CHUNK = 1 << 16


class UnsafeArchiveError(DemotraceError):
    """The zip is malformed or tries something a bundle never needs."""


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 100_000
    max_entry_bytes: int = 1 << 30  # a 16k screenshot is well under this
    max_total_bytes: int = 8 << 30
    max_ratio: int = 200  # uncompressed / compressed, for entries over 1 MiB


def safe_name(name: str) -> PurePosixPath:
    """The entry's relative path, or UnsafeArchiveError if it could land outside."""
    if not name or "\\" in name or "\x00" in name:
        raise UnsafeArchiveError(f"unsafe name in zip: {name!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        raise UnsafeArchiveError(f"absolute path in zip: {name!r}")
    if any(part in ("..", "") for part in path.parts) or not path.parts:
        raise UnsafeArchiveError(f"path leaving the archive in zip: {name!r}")
    return path


def _kind(info: zipfile.ZipInfo) -> str:
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0: no Unix file type recorded
    if info.is_dir():
        return "dir"
    if kind and kind != stat.S_IFREG:
        return "symlink" if kind == stat.S_IFLNK else "special file"
    return "file"


def extract_zip(source: Path, target: Path, limits: ZipLimits | None = None) -> list[Path]:
    """Unpack ``source`` into ``target`` (which must not exist); returns the files written."""
    limits = limits or ZipLimits()
    if target.exists():
        raise UnsafeArchiveError(f"{target} exists already; not unpacking over it")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        written = _extract(source, staging, limits)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / p.relative_to(staging) for p in written]


def _extract(source: Path, into: Path, limits: ZipLimits) -> list[Path]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeArchiveError(f"{source.name} is not a readable zip file: {exc}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise UnsafeArchiveError(
                f"zip has {len(infos)} entries; at most {limits.max_entries} are accepted"
            )
        seen: set[str] = set()
        total = 0
        written: list[Path] = []
        for info in infos:
            name = safe_name(info.filename)
            key = name.as_posix().rstrip("/").casefold()
            if key in seen:
                raise UnsafeArchiveError(f"zip names {info.filename!r} twice")
            seen.add(key)
            kind = _kind(info)
            if kind not in ("file", "dir"):
                raise UnsafeArchiveError(f"zip entry {info.filename!r} is a {kind}")
            if info.flag_bits & 0x1:
                raise UnsafeArchiveError(f"zip entry {info.filename!r} is encrypted")
            dest = into.joinpath(*name.parts)
            try:
                if kind == "dir":
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                total += _copy_entry(archive, info, dest, limits, total)
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                raise UnsafeArchiveError(
                    f"zip entry {info.filename!r} collides with another entry"
                ) from None
            written.append(dest)
        return written


def _copy_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, limits: ZipLimits, before: int
) -> int:
    size = 0
    try:
        with archive.open(info) as src, dest.open("xb") as out:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > limits.max_entry_bytes:
                    raise UnsafeArchiveError(
                        f"zip entry {info.filename!r} is larger than {limits.max_entry_bytes} bytes"
                    )
                if before + size > limits.max_total_bytes:
                    raise UnsafeArchiveError(
                        f"zip unpacks to more than {limits.max_total_bytes} bytes"
                    )
                if size > 1 << 20 and size > limits.max_ratio * max(info.compress_size, 1):
                    raise UnsafeArchiveError(
                        f"zip entry {info.filename!r} expands more than {limits.max_ratio}x: "
                        "a zip bomb"
                    )
                out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, zlib.error) as exc:
        raise UnsafeArchiveError(f"zip entry {info.filename!r} is damaged: {exc}") from None
    except NotImplementedError as exc:  # e.g. an unsupported compression method
        raise UnsafeArchiveError(f"zip entry {info.filename!r} cannot be read: {exc}") from None
    return size
