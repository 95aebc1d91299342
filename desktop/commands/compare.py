"""``demotrace compare``: every trajectory of one task side by side."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktop.commands.common import add_db, table

if TYPE_CHECKING:
    from replay.compare import Comparison
    from replay.trajectory import Trajectory


def register(sub: argparse._SubParsersAction) -> None:
    cmp = sub.add_parser(
        "compare",
        help="every trajectory of one task side by side, and where their paths part",
    )
    cmp.add_argument("task", help="a task id (or a unique prefix of one) or its instruction text")
    cmp.add_argument("--json", action="store_true", help="print JSON")
    cmp.add_argument("--window", action="store_true", help="show them side by side in a window")
    add_db(cmp)
    cmp.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from capture.store.task_sessions import sessions_of_task
    from desktop.compose import open_store
    from replay.compare import compare
    from replay.store_source import load_summaries

    db = open_store(args.db, readonly=True)
    try:
        found = sessions_of_task(db, args.task)
        trajectories = load_summaries(db, found.session_ids)
        result = compare(trajectories, found.instruction, found.task_id)
    finally:
        db.close()
    if args.window:
        return _show(result, trajectories)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"task: {result.instruction}" + (f" ({result.task_id})" if result.task_id else ""))
    print(f"{len(result.takes)} trajectories; paths compared with {result.reference[:12]}")
    rows = [("SESSION", "BY", "STAGE", "GOAL", "VERDICTS", "STEPS", "TIME", "PARTS AT", "DETOURS")]
    for t in result.takes:
        rows.append(
            (
                t.session_id[:12] + (" *" if t.session_id == result.reference else ""),
                t.annotator,
                t.stage,
                t.goal or "-",
                " ".join(v["verdict"].replace("_", "-") for v in t.verdicts) or "-",
                str(t.steps),
                f"{t.duration_s:.1f}s",
                "-" if t.parts_at is None else f"step {t.parts_at}",
                ", ".join(
                    f"{d['from']}-{d['to']}" if d["to"] != d["from"] else str(d["from"])
                    for d in t.detours
                )
                or "-",
            )
        )
    table(rows)
    return 0


def _show(result: Comparison, trajectories: list[Trajectory]) -> int:
    import os
    import sys

    from capture.display import require_x_display
    from desktop.compose import keep_singletons_alive

    require_x_display(os.environ)
    keep_singletons_alive()
    from PySide6.QtWidgets import QApplication

    from desktop.viewer.compare_view import CompareWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = CompareWindow(result, trajectories)
    window.show()
    return int(app.exec())
