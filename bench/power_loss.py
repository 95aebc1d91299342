"""Power-loss soak: SIGKILL ``demotrace record`` at random moments, many times, on one store.

    python -m bench.power_loss [--kills 200] [--max-after 3.0] [--seed 1]

Each kill hits the recorder's whole process group; after each, the store must
pass ``PRAGMA integrity_check``, every frame row must have its blob, and the
input lost (the pointer moves at 100 Hz all the time) is the time between the
last stored event and the kill. Prints the figures beside the writer's commit
interval, the floor any loss sits on.
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import tempfile
import time
from pathlib import Path

from capture.writer import StoreWriter
from tests.powerloss import run
from tests.xsession import XServer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--max-after", type=float, default=3.0, help="latest kill, s after start")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    commit_s = inspect.signature(StoreWriter).parameters["commit_interval"].default
    x = XServer()
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(x, Path(tmp) / "soak.db", args.kills, args.max_after, args.seed)
    finally:
        x.close()
    losses = [k.lost_s for k in result.kills if k.lost_s is not None]
    bad = [r for r in result.integrity if r != "ok"]
    print(f"kills                 {len(result.kills)} in {time.monotonic() - started:.0f} s")
    print(f"during recording      {len(losses)} (the rest hit start-up)")
    print(f"integrity_check ok    {len(result.integrity) - len(bad)}/{len(result.integrity)}")
    print(f"frame rows w/o blob   {result.dangling_frames}")
    if losses:
        print(f"input lost, median    {statistics.median(losses) * 1000:.0f} ms")
        p95 = sorted(losses)[int(0.95 * (len(losses) - 1))]
        print(f"input lost, p95       {p95 * 1000:.0f} ms")
        print(f"input lost, worst     {max(losses) * 1000:.0f} ms (target <= 500 ms)")
    print(f"baseline: commit interval {commit_s * 1000:.0f} ms")
    return 0 if not bad and result.dangling_frames == 0 and max(losses, default=0) <= 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
