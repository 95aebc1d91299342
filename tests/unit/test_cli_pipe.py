"""A reader that goes away (``demotrace steps ... | head``) ends the command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from capture.store.database import Database
from scripted.cli import ROOT
from tests.stored import stored_session
from tests.unit.factories import Script


def test_a_closed_pipe_is_no_traceback(db: Database, tmp_path: Path) -> None:
    script = Script()
    for i in range(400):  # enough steps that their JSON outgrows a pipe's buffer
        script.click(10 + i % 300, 10 + i % 180, gap_ms=500)
    made = stored_session(db, script)
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "steps", made.id, "--json", "--db", db.url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"["
    proc.stdout.close()  # like head, after the first line
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert err == ""
