"""How much room the store takes, and the budget that warns before the disk fills."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from capture.errors import DemotraceError
from capture.store.blobs import BlobStore
from capture.store.database import Database

# Warn when the store reaches this share of its budget...
BUDGET_WARN_SHARE = 0.9
# ...or when the disk that holds it has less than this left, budget or not.
LOW_DISK_BYTES = 1 << 30
BUDGET_ENV = "DEMOTRACE_BUDGET"
CHECK_EVERY_S = 10.0  # how often a recording looks at the store's size

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """``"500M"``, ``"2G"``, ``"1.5TiB"``, ``"1048576"`` -> bytes (binary units)."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*", text.upper())
    if not found:
        raise DemotraceError(f"not a size: {text!r} (e.g. 500M, 20G)")
    value = int(float(found.group(1)) * _UNITS[found.group(2)])
    if value <= 0:
        raise DemotraceError(f"a budget must be more than zero, not {text!r}")
    return value


def format_size(n: int | None) -> str:
    if n is None:
        return "-"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def budget_from(value: str | None, env: Mapping[str, str]) -> int | None:
    """The budget given on the command line, else ``$DEMOTRACE_BUDGET``, else none."""
    text = value if value else env.get(BUDGET_ENV, "")
    return parse_size(text) if text.strip() else None


@dataclass(frozen=True)
class StoreUsage:
    database_bytes: int | None  # the SQLite file with its WAL and shared-memory files
    frame_bytes: int | None  # the frame directory (None: frames live in the database)
    free_bytes: int | None  # left on the disk that holds the store

    @property
    def total_bytes(self) -> int:
        return (self.database_bytes or 0) + (self.frame_bytes or 0)


def store_usage(db: Database, blobs: BlobStore) -> StoreUsage:
    path = db.sqlite_path
    if path is None:
        return StoreUsage(None, blobs.size_bytes(), None)
    files = (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
    size = sum(f.stat().st_size for f in files if f.exists())
    try:
        free: int | None = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    return StoreUsage(size, blobs.size_bytes(), free)


class BudgetWatch:
    """Says once when the store nears its budget, and once when the disk runs low."""

    def __init__(
        self,
        usage: Callable[[], StoreUsage],
        budget: int | None,
        every_s: float = CHECK_EVERY_S,
    ) -> None:
        self._usage = usage
        self.budget = budget
        self._every = every_s
        self._next = 0.0
        self._said: set[str] = set()

    def poll(self, now: float) -> str | None:
        """A new warning, if it is time to look and there is one not said yet."""
        if now < self._next:
            return None
        self._next = now + self._every
        usage = self._usage()
        for kind, message in warnings(usage, self.budget):
            if kind not in self._said:
                self._said.add(kind)
                return message
        return None


def warnings(usage: StoreUsage, budget: int | None) -> list[tuple[str, str]]:
    out = []
    if budget is not None and usage.total_bytes >= budget * BUDGET_WARN_SHARE:
        out.append(
            (
                "budget",
                f"the store holds {format_size(usage.total_bytes)} of its "
                f"{format_size(budget)} budget",
            )
        )
    if usage.free_bytes is not None and usage.free_bytes < LOW_DISK_BYTES:
        out.append(
            ("disk", f"only {format_size(usage.free_bytes)} left on the disk holding the store")
        )
    return out
