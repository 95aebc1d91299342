"""The files of a bundle, from a directory or a zip, read defensively.

A zip is checked whole when opened: entry names (no absolute paths, ``..`` or
backslashes), no symbolic links, per-entry and total uncompressed sizes, and
the compression ratio; reads then stop at the declared size even if the
archive lies about it. A directory bundle may hold no symbolic link.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from replay.bundle.errors import BundleError

MAX_ENTRY_BYTES = 256 << 20
MAX_TOTAL_BYTES = 64 << 30
MAX_RATIO = 200
RATIO_FROM_BYTES = 1 << 20
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
        total = 0
        for info in self._zip.infolist():
            name = info.filename
            parts = PurePosixPath(name).parts
            if name.startswith("/") or "\\" in name or ".." in parts or ":" in name:
                raise BundleError(f"zip entry {name!r:.80} points outside the bundle")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise BundleError(f"zip entry {name!r:.80} is a symbolic link")
            if info.file_size > MAX_ENTRY_BYTES:
                raise BundleError(
                    f"zip entry {name!r:.80} is {info.file_size} bytes uncompressed, "
                    f"over the {MAX_ENTRY_BYTES >> 20} MiB limit"
                )
            if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
                1, info.compress_size
            ):
                raise BundleError(
                    f"zip entry {name!r:.80} expands more than {MAX_RATIO}:1 (a zip bomb?)"
                )
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise BundleError(f"zip expands to more than {MAX_TOTAL_BYTES >> 30} GiB")
            if name in self._entries:
                raise BundleError(f"zip entry {name!r:.80} appears twice")
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

    def read(self, name: str) -> bytes:
        """The whole file, refused past ``MAX_ENTRY_BYTES`` whatever its header claims."""
        if not self.exists(name):
            raise BundleError(f"{name} is missing")
        try:
            if self._zip is None:
                if self.size(name) > MAX_ENTRY_BYTES:
                    raise BundleError(f"{name} is over the {MAX_ENTRY_BYTES >> 20} MiB limit")
                return (self.path / name).read_bytes()
            info = self._entries[name]
            parts, got = [], 0
            with self._zip.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    got += len(chunk)
                    if got > info.file_size or got > MAX_ENTRY_BYTES:
                        raise BundleError(f"zip entry {name} is larger than it declares")
                    parts.append(chunk)
            return b"".join(parts)
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise BundleError(f"cannot read {name}: {exc}") from None
