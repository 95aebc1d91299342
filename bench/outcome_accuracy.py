"""Accuracy of the suggested step outcome on labelled cases recorded on a real Qt app.

    python -m bench.outcome_accuracy

Starts Xvfb, the outcomes app (scripted/apps/outcomes.py) and ``demotrace record``,
plays every case of scripted/outcome_cases.py with xdotool, and compares each
step's ``outcome_suggested`` with the known label. The baseline in the same run
is the majority label (always "success"), which is what a suggestion that only
says "something happened" would score.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capture.store.database import sqlite_url
from scripted.outcome_cases import all_cases, record_cases, time_suggestions
from scripted.xserver import XServer


def main() -> int:
    cases = all_cases()
    with tempfile.TemporaryDirectory() as tmp:
        x = XServer()
        try:
            url = sqlite_url(Path(tmp) / "cases.db")
            session_id, results = record_cases(x, url, cases, Path(tmp))
            timing = time_suggestions(url, session_id)
        finally:
            x.close()
    for r in results:
        mark = "ok " if r.right else "BAD"
        print(
            f"{mark} {r.case.expected:8} {r.suggested or '-':8} {r.pixels_only or '-':8}"
            f" {r.case.name}: {r.reason}"
        )
    right = sum(r.right for r in results)
    majority, count = Counter(c.expected for c in cases).most_common(1)[0]
    print(f"\ncases: {len(results)}  ({dict(Counter(c.expected for c in cases))})")
    print(f"accuracy: {right / len(results):.3f}  ({right}/{len(results)})")
    blind = sum(r.pixels_only == r.case.expected for r in results)
    print(f"accuracy, pixels only (no window titles): {blind / len(results):.3f}")
    print(f"baseline (always {majority!r}): {count / len(cases):.3f}")
    print(
        f"\ncost on the first read: {timing.steps} steps;"
        f" suggesting outcomes {timing.suggest_s:.2f} s"
        f" ({timing.suggest_s / timing.steps * 1000:.0f} ms/step), beside cutting the same"
        f" recording into steps {timing.segment_s:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
