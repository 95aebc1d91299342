"""Frame work spread over a few threads, results in order, a bounded number in flight.

PNG and zstd coding, hashing and numpy release the GIL, so two threads use two
cores; holding at most ``AHEAD`` frames keeps memory flat however long the
session. Used by the bundle writer and reader and by the store's import.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKERS = 2
AHEAD = 4


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], workers: int = WORKERS, ahead: int = AHEAD
) -> Iterator[R]:
    """``fn`` over ``items`` on ``workers`` threads, yielded in order; an error stops the rest."""
    with ThreadPoolExecutor(workers, thread_name_prefix="frames") as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
