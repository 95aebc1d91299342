"""``demotrace tasks``: list, add and import the tasks annotators demonstrate."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from capture.tasks import CATEGORIES, DEFAULT_REASONING_MODE, REASONING_MODES
from desktop.commands.common import add_db, table


def register(sub: argparse._SubParsersAction) -> None:
    tasks = sub.add_parser("tasks", help="list, add or import tasks")
    add_db(tasks)
    tasks.add_argument("--json", action="store_true", help="print JSON")
    tasks.set_defaults(handler=run_list)
    verbs = tasks.add_subparsers(dest="verb")

    add = verbs.add_parser("add", help="add one task")
    add_db(add)
    add.add_argument("instruction", help="what the annotator is asked to do")
    add.add_argument("--category", choices=CATEGORIES, default="trajectory")
    add.add_argument("--setup-notes", default="", help="how the desktop should look first")
    add.add_argument("--expected-outcome", default="", help="what the screen shows when done")
    add.add_argument("--setup-command", default="", help="shell command run before recording")
    add.add_argument("--reset-command", default="", help="shell command run after recording")
    add.add_argument(
        "--reasoning-mode",
        choices=REASONING_MODES,
        default=DEFAULT_REASONING_MODE,
        help=f"how reasoning is asked for (default {DEFAULT_REASONING_MODE})",
    )
    add.add_argument("--json", action="store_true", help="print the new task as JSON")
    add.set_defaults(handler=run_add)

    imp = verbs.add_parser(
        "import", help="add the tasks in a JSON or CSV file (all of them, or none)"
    )
    add_db(imp)
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=run_import)


def run_list(args: argparse.Namespace) -> int:
    from capture.store.sessions import short_id
    from capture.store.stages import takes
    from capture.store.tasks import list_tasks
    from desktop.compose import open_store

    db = open_store(args.db)
    tasks = list_tasks(db)
    counts: dict[str | None, int] = {}
    for take in takes(db, all_tasks=True):
        counts[take.task_id] = counts.get(take.task_id, 0) + 1
    if args.json:
        out = [{**t.to_json(), "sessions": counts.get(t.id, 0)} for t in tasks]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    if not tasks:
        print("no tasks; add one with `demotrace tasks add INSTRUCTION`")
        return 0
    rows = [("TASK", "CATEGORY", "REASONING", "SESSIONS", "INSTRUCTION")]
    for t in tasks:
        rows.append(
            (
                short_id(t.id),
                t.category,
                t.reasoning_mode,
                str(counts.get(t.id, 0)),
                t.instruction[:60],
            )
        )
    table(rows)
    return 0


def run_add(args: argparse.Namespace) -> int:
    from capture.store.tasks import add_tasks
    from capture.tasks import Task
    from desktop.compose import open_store

    task = Task(
        instruction=args.instruction.strip(),
        category=args.category,
        setup_notes=args.setup_notes,
        expected_outcome=args.expected_outcome,
        setup_command=args.setup_command,
        reset_command=args.reset_command,
        reasoning_mode=args.reasoning_mode,
    )
    add_tasks(open_store(args.db), [task])
    print(json.dumps(task.to_json(), indent=2) if args.json else f"task {task.id}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from capture.store.tasks import add_tasks
    from capture.taskfile import TaskFileError, read_task_file
    from desktop.compose import open_store

    try:
        tasks = read_task_file(args.file)
    except TaskFileError as exc:
        for line in exc.problems:
            print(f"demotrace: error: {line}", file=sys.stderr)
        print(f"demotrace: error: nothing imported from {args.file}", file=sys.stderr)
        return exc.exit_code
    add_tasks(open_store(args.db), tasks)
    print(f"imported {len(tasks)} task{'s' if len(tasks) != 1 else ''} from {args.file}")
    return 0
