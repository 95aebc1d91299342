"""Every file a store keeps, and which of them hold a given secret."""

from __future__ import annotations

from pathlib import Path


def store_files(db_path: Path) -> list[Path]:
    """The database, its WAL and shared memory, and every frame blob."""
    files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
    frames = db_path.with_suffix(".frames")
    return [f for f in files if f.exists()] + [f for f in frames.rglob("*") if f.is_file()]


def hits(files: list[Path], secret: str) -> list[Path]:
    """The files that hold ``secret`` as UTF-8, UTF-16 or lower case."""
    needles = [secret.encode(), secret.encode("utf-16-le"), secret.lower().encode()]
    return [f for f in files if any(n in f.read_bytes() for n in needles)]
