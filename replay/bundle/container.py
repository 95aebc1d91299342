"""The files of a bundle, from a directory or a zip, read in place and defensively.

A zip is checked whole when opened, by the same rules ``replay/safezip.py``
applies when it unpacks one (``safe_name``, ``ZipLimits``): entry names (no
absolute paths, ``..``, drive letters or backslashes, none twice), only plain
files (no symbolic links or special files, nothing encrypted), the number of
entries, per-entry and total uncompressed sizes and the compression ratio.
Reads then stop at the declared size even if the archive lies about it. A
directory bundle may hold no symbolic link.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path
from typing import IO

from replay.bundle.errors import BundleError
from replay.safezip import UnsafeArchiveError, ZipLimits, safe_name

LIMITS = ZipLimits()
RATIO_FROM_BYTES = 1 << 20  # as safezip: small entries may compress as well as they like
CHUNK = 1 << 20


class Container:
    """Read-only access to a bundle's files by their names inside the bundle."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._entries: dict[str, zipfile.ZipInfo] = {}
        if path.is_symlink():
            raise BundleError(f"{path} is a symbolic link")
        if path.is_dir():
            self._check_directory()
        elif path.is_file():
            self._open_zip()
        else:
            raise BundleError(f"{path}: no such bundle")

    def _check_directory(self) -> None:
        for p in self.path.rglob("*"):
            if p.is_symlink():
                raise BundleError(f"{p.relative_to(self.path)} is a symbolic link")

    def _open_zip(self) -> None:
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise BundleError(f"not a bundle directory or zip file ({exc})") from None
        infos = self._zip.infolist()
        if len(infos) > LIMITS.max_entries:
            raise BundleError(f"zip has {len(infos)} entries; at most {LIMITS.max_entries}")
        total, seen = 0, set()
        for info in infos:
            name = info.filename
            try:
                key = safe_name(name).as_posix().rstrip("/").casefold()
            except UnsafeArchiveError as exc:
                raise BundleError(
                    f"zip entry {name!r:.80} points outside the bundle ({exc})"
                ) from None
            if key in seen:
                raise BundleError(f"zip entry {name!r:.80} appears twice")
            seen.add(key)
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind == stat.S_IFLNK:
                raise BundleError(f"zip entry {name!r:.80} is a symbolic link")
            if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
                raise BundleError(f"zip entry {name!r:.80} is a special file")
            if info.flag_bits & 0x1:
                raise BundleError(f"zip entry {name!r:.80} is encrypted")
            if info.file_size > LIMITS.max_entry_bytes:
                raise BundleError(
                    f"zip entry {name!r:.80} is {info.file_size} bytes uncompressed, "
                    f"over the {LIMITS.max_entry_bytes >> 20} MiB limit"
                )
            if info.file_size > RATIO_FROM_BYTES and info.file_size > LIMITS.max_ratio * max(
                1, info.compress_size
            ):
                raise BundleError(
                    f"zip entry {name!r:.80} expands more than {LIMITS.max_ratio}:1 (a zip bomb?)"
                )
            total += info.file_size
            if total > LIMITS.max_total_bytes:
                raise BundleError(f"zip expands to more than {LIMITS.max_total_bytes >> 30} GiB")
            if not info.is_dir():
                self._entries[name] = info

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def exists(self, name: str) -> bool:
        if self._zip is not None:
            return name in self._entries
        return (self.path / name).is_file()

    def size(self, name: str) -> int:
        if self._zip is not None:
            return self._entries[name].file_size
        return (self.path / name).stat().st_size

    def head(self, name: str, n: int) -> bytes:
        """The first ``n`` bytes of a file (a PNG's header, without reading the rest)."""
        if not self.exists(name):
            raise BundleError(f"{name} is missing")
        try:
            if self._zip is None:
                with (self.path / name).open("rb") as fh:
                    return fh.read(n)
            with self._zip.open(self._entries[name]) as zf:
                return zf.read(n)
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise BundleError(f"cannot read {name}: {exc}") from None

    def open_file(self, name: str) -> IO[bytes]:
        """A seekable binary file object (for PyAV, which reads the video in place)."""
        if not self.exists(name):
            raise BundleError(f"{name} is missing")
        try:
            if self._zip is None:
                return (self.path / name).open("rb")
            return self._zip.open(self._entries[name])
        except (OSError, zipfile.BadZipFile) as exc:
            raise BundleError(f"cannot read {name}: {exc}") from None

    def read(self, name: str) -> bytes:
        """The whole file, refused past ``LIMITS.max_entry_bytes`` whatever its header claims."""
        if not self.exists(name):
            raise BundleError(f"{name} is missing")
        try:
            if self._zip is None:
                if self.size(name) > LIMITS.max_entry_bytes:
                    raise BundleError(
                        f"{name} is over the {LIMITS.max_entry_bytes >> 20} MiB limit"
                    )
                return (self.path / name).read_bytes()
            info = self._entries[name]
            parts, got = [], 0
            with self._zip.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    got += len(chunk)
                    if got > info.file_size or got > LIMITS.max_entry_bytes:
                        raise BundleError(f"zip entry {name} is larger than it declares")
                    parts.append(chunk)
            return b"".join(parts)
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise BundleError(f"cannot read {name}: {exc}") from None
