"""The real app on a disk that fills while it records: it stops, says so, and keeps running."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

from capture.store.database import open_database, sqlite_url
from capture.store.recording import load_recording
from tests.appsession import start_app
from tests.xsession import XServer, demotrace, start_form


def test_the_app_stops_a_recording_on_a_full_disk_and_keeps_running(
    xserver: XServer, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        raise AssertionError("this test mounts a small tmpfs and needs root (as CI runs)")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1600k", "tmpfs", str(mount)], check=True)
    form = start_form(xserver, tmp_path / "form.jsonl", geometry="0,120,1000,800")
    app = None
    try:
        url = sqlite_url(mount / "full.db")
        app = start_app(xserver, url, str(tmp_path / "home"))
        app.click(app.wait_for("shown")["widgets"]["record"])
        session_id = app.wait_for("recording")["session"]
        toggle = form.center("toggle")
        xserver.xdotool("mousemove", *map(str, toggle))
        time.sleep(0.5)
        with (mount / "filler").open("wb") as fh, contextlib.suppress(OSError):
            fh.write(b"\0" * (1600 * 1024))
        deadline = time.monotonic() + 30
        failed = None
        while failed is None and time.monotonic() < deadline:
            # Each click changes the screen and asks for a new frame on the full disk.
            xserver.xdotool("click", "1", "key", "a", "mousemove_relative", "1", "0")
            with contextlib.suppress(TimeoutError):
                failed = app.wait_for("recording failed", timeout=0.3)
        assert failed is not None, f"the app kept recording on a full disk: {app.other}"
        assert failed["message"].startswith("disk full"), failed
        # Back to the main window, still running, no traceback.
        app.wait_for("stopped")
        app.drain(1.0)
        assert app.proc.poll() is None
        assert not [line for line in app.other if "Traceback" in line], app.other
        (mount / "filler").unlink()
        db = open_database(url)
        try:
            assert load_recording(db, session_id).events, "what was committed is kept"
        finally:
            db.close()
        shown = demotrace("show", session_id, "--db", url)
        assert shown.returncode == 0, shown.stderr
        assert app.terminate() == 0
    finally:
        if app is not None:
            app.close()
        form.close()
        subprocess.run(["umount", "-l", str(mount)], check=True)
