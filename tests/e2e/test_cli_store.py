"""The CLI as a new user meets it: bad numbers, missing or damaged or read-only stores, help."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from capture.hotkeys import CONTROL_HOTKEYS
from capture.store.database import open_database, sqlite_url
from capture.version import app_version
from tests.unit.factories import Script, damage, session_row
from tests.xsession import ROOT, XServer, demotrace


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("demotrace: error: "), result.stderr
    return lines[0]


def a_store(path: Path, script: Script | None = None) -> Path:
    db = open_database(sqlite_url(path))
    session_row(db, script or Script().click(10, 10).type("hi"), "5e55" + "0" * 28)
    db.close()
    return path


def test_version() -> None:
    result = demotrace("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"demotrace {app_version()}"


def test_record_help_says_how_to_control_stop_and_where_data_goes() -> None:
    text = demotrace("record", "--help").stdout
    for h in CONTROL_HOTKEYS:
        assert f"{h.keys}" in text and h.description in text
    assert "Ctrl-C" in text and "SIGTERM" in text
    assert "demotrace.db" in text and "DEMOTRACE_DB" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--fps", "nan"], "--fps must be a number above 0 and at most 60, not nan"),
        (["--fps", "inf"], "--fps must be a number above 0 and at most 60, not inf"),
        (["--fps", "0"], "--fps must be a number above 0 and at most 60, not 0"),
        (["--duration", "nan"], "--duration must be a positive number of seconds, not nan"),
        (["--duration", "inf"], "--duration must be a positive number of seconds, not inf"),
    ],
)
def test_numbers_that_are_not_finite_are_refused(
    xserver: XServer, tmp_path: Path, args: list[str], words: str
) -> None:
    result = demotrace("record", "--db", str(tmp_path / "x.db"), *args, env=xserver.env)
    assert one_line_error(result).endswith(words)
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("command", [["sessions"], ["show", "5e55"], ["steps", "5e55"]])
def test_readers_never_create_a_store(tmp_path: Path, command: list[str]) -> None:
    where = tmp_path / "no" / "such" / "dir" / "demo.db"
    line = one_line_error(demotrace(*command, "--db", str(where)))
    assert line == f"demotrace: error: there is no demotrace store at {where}"
    assert not (tmp_path / "no").exists()


def test_a_plain_path_names_a_sqlite_store(tmp_path: Path) -> None:
    path = a_store(tmp_path / "demo.db")
    result = demotrace("sessions", "--db", str(path))
    assert result.returncode == 0 and "5e550000" in result.stdout


@pytest.mark.parametrize(
    "command", [["sessions"], ["show", "5e55"], ["steps", "5e55"], ["record", "--duration", "1"]]
)
def test_a_damaged_store_is_one_line_and_left_untouched(
    xserver: XServer, tmp_path: Path, command: list[str]
) -> None:
    path = a_store(tmp_path / "demo.db")
    damage(path)
    before = digest(path)
    line = one_line_error(demotrace(*command, "--db", str(path), env=xserver.env))
    assert f"{path} is damaged" in line and "restore it from a backup" in line
    assert digest(path) == before


def test_steps_say_why_a_step_is_a_decision_and_which_way_it_scrolled(tmp_path: Path) -> None:
    script = Script().click(10, 10).wait(4000).scroll(dy=3, notches=1, x=50, y=60)
    path = a_store(tmp_path / "demo.db", script)
    out = demotrace("steps", "5e55", "--db", str(path)).stdout
    assert "first step" in out and "after a pause" in out
    assert "3 down at (50, 60)" in out
    help_text = demotrace("steps", "--help").stdout
    assert "DECISION says why" in help_text and "dy > 0 is down" in help_text


def test_a_store_on_a_read_only_mount_can_be_listed(tmp_path: Path) -> None:
    """A real read-only bind mount, in a mount namespace of the test's own."""
    store = tmp_path / "store"
    store.mkdir()
    path = a_store(store / "demo.db")
    unshare = shutil.which("unshare")
    assert unshare is not None
    script = (
        f'mount --bind "{store}" "{store}" && mount -o remount,bind,ro "{store}" && '
        f'{sys.executable} -m desktop.cli sessions --db "{path}" && '
        f'{sys.executable} -m desktop.cli steps 5e55 --db "{path}"'
    )
    result = subprocess.run(
        [unshare, "--mount", "sh", "-c", script],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "5e550000" in result.stdout and "click" in result.stdout
