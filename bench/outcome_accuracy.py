"""Accuracy of the suggested step outcome on labelled cases recorded on real Qt apps.

    python -m bench.outcome_accuracy

Starts Xvfb and, in turn, the outcomes app (scripted/apps/outcomes.py) and the
test form (scripted/apps/form.py), each recorded with ``demotrace record``
while xdotool plays the cases of scripted/outcome_cases.py, and compares each
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
from scripted.outcome_cases import (
    Result,
    Timing,
    all_cases,
    form_cases,
    record_cases,
    time_suggestions,
)
from scripted.xserver import XServer


def main() -> int:
    results: list[Result] = []
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory() as tmp:
        x = XServer()
        try:
            for app, cases in (("outcomes", all_cases()), ("form", form_cases())):
                url = sqlite_url(Path(tmp) / f"{app}.db")
                session_id, found = record_cases(x, url, cases, Path(tmp), app)
                timings.append(time_suggestions(url, session_id))
                right = sum(r.right for r in found)
                print(f"{app}: {right}/{len(found)} right")
                results += found
        finally:
            x.close()
    for r in results:
        mark = "ok " if r.right else "BAD"
        print(
            f"{mark} {r.case.expected:8} {r.suggested or '-':8} {r.pixels_only or '-':8}"
            f" {r.case.name}: {r.reason}"
        )
    labels = Counter(r.case.expected for r in results)
    right = sum(r.right for r in results)
    blind = sum(r.pixels_only == r.case.expected for r in results)
    majority, count = labels.most_common(1)[0]
    print(f"\ncases: {len(results)}  ({dict(labels)})")
    print(f"accuracy: {right / len(results):.3f}  ({right}/{len(results)})")
    print(f"accuracy, pixels only (no window titles): {blind / len(results):.3f}")
    print(f"baseline (always {majority!r}): {count / len(results):.3f}")
    steps = sum(t.steps for t in timings)
    suggest = sum(t.suggest_s for t in timings)
    segment = sum(t.segment_s for t in timings)
    print(
        f"\ncost on the first read: {steps} steps; suggesting outcomes {suggest:.2f} s"
        f" ({suggest / steps * 1000:.0f} ms/step), beside cutting the same"
        f" recordings into steps {segment:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
