"""Where a SQLite store and its frames live on disk (no database code: cheap to import)."""

from __future__ import annotations

from pathlib import Path


def default_store_path() -> Path:
    """Where recordings go unless told otherwise: the user's data directory."""
    from platformdirs import user_data_path

    return Path(user_data_path("demotrace")) / "demotrace.db"


def frames_dir(db_path: Path) -> Path:
    """Where a SQLite store keeps its frames: ``x.db`` -> ``x.frames/`` beside it."""
    return db_path.with_suffix(".frames")
