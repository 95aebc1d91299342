"""Frame work spread over a few threads, results in order, a bounded number in flight.

PNG and zstd coding, hashing and numpy release the GIL, so two threads use two
cores; holding at most ``AHEAD`` frames keeps memory flat however long the
session. Used by the bundle writer and reader and by the store's import.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKERS = 2
AHEAD = 4


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], workers: int = WORKERS, ahead: int = AHEAD
) -> Generator[R, None, None]:
    """``fn`` over ``items`` on ``workers`` threads, yielded in order.

    An error, or closing the generator, stops the rest: items not started are
    dropped, those running finish before it returns, and ``items`` is closed
    too when it is a generator (an earlier stage's, say).
    """
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
            close = getattr(items, "close", None)
            if callable(close):
                close()
