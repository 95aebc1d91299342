"""Re-record the sample trajectory: the test form filled in, on a display of its own.

    python samples/record_sample.py            # writes samples/fill-the-form/

Starts Xvfb at exactly the form's size (so every frame is the form and
nothing else), runs ``demotrace record`` while xdotool plays the scripted
demonstration in scripted/form_demo.py, writes a note on each decision point,
and exports the session as a bundle. Needs Xvfb and xdotool (scripts/setup.sh).

To replay it: start the form with ``python -m scripted.apps.form --geometry
0,0,1000,800`` on a 1000x800 X display,
then ``demotrace replay samples/fill-the-form --execute --verify``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capture.segment.edits import EditRecord  # noqa: E402
from capture.store.database import open_database, sqlite_url  # noqa: E402
from capture.store.steps import current_steps, edit  # noqa: E402
from scripted.cli import demotrace, start_recorder  # noqa: E402
from scripted.form_demo import NEUTRAL, demonstrate  # noqa: E402
from scripted.scenarios import start_app  # noqa: E402
from scripted.xserver import XServer  # noqa: E402

OUT = ROOT / "samples" / "fill-the-form"
TASK = (
    "Fill in the form: name Augusta Lovelace, email ada@example.org, turn the patch on, subscribe"
)

# A note for the first decision point on each widget, as the annotator would write it.
NOTES = {
    "name": "The form is empty and the name field comes first, so I click into it.",
    "email": "The name is right now; the email field is next.",
    "toggle": "The patch is red; the task wants it on, and the Toggle button turns it green.",
    "list": "I check the list of items further down before subscribing.",
    "table": "The table is wider than its box; I scroll right to see the later columns.",
    "canvas": "I sign on the canvas with a stroke.",
    "check": "Everything else is filled in; subscribing is the last thing the task asks.",
}


def widget_at(widgets: dict[str, list[int]], x: int, y: int) -> str | None:
    for name, (left, top, w, h) in widgets.items():
        if left <= x < left + w and top <= y < top + h:
            return name
    return None


def main() -> int:
    x = XServer(1000, 800)
    tmp = Path(tempfile.mkdtemp(prefix="demotrace-sample-"))
    url = sqlite_url(tmp / "sample.db")
    try:
        x.xdotool("mousemove", *map(str, NEUTRAL))
        form = start_app(x.env, "scripted.apps.form", "0,0,1000,800", tmp / "form.jsonl")
        try:
            rec = start_recorder(x, url, "--task", TASK)
            time.sleep(0.5)
            demonstrate(x, form.widgets)
            if rec.stop() != 0:
                print(rec.stderr_text, file=sys.stderr)
                return 1
        finally:
            form.close()
        db = open_database(url)
        try:
            seen: set[str] = set()
            for step in current_steps(db, rec.session_id):
                fields = step.action.fields
                point = fields.get("path", [None])[0] or (fields.get("x"), fields.get("y"))
                name = widget_at(form.widgets, *point) if point[0] is not None else None
                if name is None or name in seen:
                    continue
                seen.add(name)
                note = {"note": NOTES[name], "outcome": "success", "decision_point": True}
                edit(
                    db,
                    rec.session_id,
                    EditRecord("sample", "relabel", {"index": step.index, "fields": note}),
                )
        finally:
            db.close()
        done = demotrace(
            "export",
            rec.session_id,
            "--format",
            "bundle",
            "--out",
            str(OUT),
            "--force",
            "--db",
            url,
        )
        print(done.stdout.strip() or done.stderr.strip())
        return done.returncode
    finally:
        x.close()


if __name__ == "__main__":
    sys.exit(main())
