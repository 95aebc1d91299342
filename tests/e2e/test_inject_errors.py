"""``demotrace inject`` refuses what it cannot do with one line, before recording anything."""

from __future__ import annotations

import json
from pathlib import Path

from capture.store.database import Database
from tests.stored import stored_session
from tests.xsession import XServer, demotrace

# The fault plans' refusals are unit-tested (tests/unit/test_faults.py); these check the CLI.
MISFITS = [
    (["--at", "99", "--fault", "skip"], "--at 99: session"),
    (["--at", "0", "--fault", "typo"], "typo needs a typing step; step 0 is click"),
    (["--at", "0", "--fault", "wrong-key", "--key", "a+b"], "only ctrl, alt, shift"),
]


def test_faults_that_do_not_fit(xserver: XServer, db: Database) -> None:
    sid = stored_session(db).id
    for args, message in MISFITS:
        done = demotrace("inject", sid, "--db", db.url, *args, env=xserver.env)
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("demotrace: error: "), done.stderr
        assert message in lines[0]
    sessions = json.loads(demotrace("sessions", "--db", db.url, "--json").stdout)
    assert [s["id"] for s in sessions] == [sid]  # nothing new was recorded


def test_unknown_session_and_a_file(xserver: XServer, db: Database, tmp_path: Path) -> None:
    done = demotrace("inject", "nosuch", "--db", db.url, "--at", "0", "--fault", "skip",
                     env=xserver.env)  # fmt: skip
    assert done.returncode != 0 and "no session nosuch" in done.stderr
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(b"")
    done = demotrace("inject", str(bundle), "--db", db.url, "--at", "0", "--fault", "skip",
                     env=xserver.env)  # fmt: skip
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0 and len(lines) == 1 and str(bundle) in lines[0], done.stderr
