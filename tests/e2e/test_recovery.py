"""A killed recorder's session is recovered by the next command, and can be continued at once."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from capture.store.database import sqlite_url
from tests.xsession import FormApp, XServer, demotrace, start_recorder


def test_a_killed_recording_is_interrupted_with_every_step_and_continues_at_once(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    rec = start_recorder(xserver, sqlite_url(path))
    xserver.xdotool("mousemove", *map(str, form.center("toggle")), "click", "1")
    time.sleep(0.4)
    xserver.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
    time.sleep(0.4)
    xserver.xdotool("type", "--delay", "40", "hello")
    xserver.xdotool("key", "Return")
    time.sleep(1.0)  # committed (the writer commits every 0.2 s), not all final as live steps
    rec.proc.send_signal(signal.SIGKILL)
    rec.proc.communicate()

    shown = demotrace("show", rec.session_id, "--db", str(path), "--json")
    assert shown.returncode == 0, shown.stderr
    summary = json.loads(shown.stdout)
    assert summary["status"] == "interrupted"
    assert "is gone" in summary["stop_reason"]
    steps = json.loads(demotrace("steps", rec.session_id, "--db", str(path), "--json").stdout)
    assert [s["action"]["type"] for s in steps] == ["click", "click", "type", "key"]

    again = demotrace(
        "record", "--db", str(path), "--session", rec.session_id, "--duration", "1", env=xserver.env
    )
    assert again.returncode == 0, again.stderr
    listed = json.loads(demotrace("sessions", "--db", str(path), "--json").stdout)
    assert [(s["id"], s["status"]) for s in listed] == [(rec.session_id, "finished")]
