"""``demotrace stats``: what the store holds, by category, outcome, fault and mistake."""

from __future__ import annotations

import argparse
import json

from desktop.commands.common import add_db, table


def register(sub: argparse._SubParsersAction) -> None:
    stats = sub.add_parser(
        "stats", help="trajectories by category, outcomes, faults recovered, mistakes by type"
    )
    add_db(stats)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from capture.store.stats import collect_stats
    from desktop.compose import open_store

    stats = collect_stats(open_store(args.db, readonly=True))
    if args.json:
        print(json.dumps(stats.to_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"trajectories: {stats.trajectories}")
    for title, counts in (
        ("by task category", stats.by_category),
        ("step outcomes (labelled)", stats.step_outcomes),
        ("step outcomes (suggested)", stats.step_outcomes_suggested),
        ("trajectory outcomes", stats.trajectory_outcomes),
        ("mistakes by error type", stats.mistakes),
    ):
        print(f"\n{title}:")
        if counts:
            table([(f"  {name}", str(n)) for name, n in counts.items()])
        else:
            print("  none")
    print("\nfaults injected:")
    if stats.faults:
        rows = [("  KIND", "INJECTED", "RECOVERED")]
        rows += [
            (f"  {kind}", str(c["injected"]), str(c["recovered"]))
            for kind, c in stats.faults.items()
        ]
        table(rows)
    else:
        print("  none")
    return 0
