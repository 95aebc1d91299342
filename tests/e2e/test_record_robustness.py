"""Bursts, kills, full disks and user mistakes: nothing is lost, every error is one line."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from capture.events import EventKind
from capture.store.database import open_database, sqlite_url
from capture.store.recording import load_recording
from tests.xsession import ROOT, FormApp, XServer, demotrace, start_recorder


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("demotrace: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def test_burst_of_a_thousand_events_loses_none(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "burst.db")
    rec = start_recorder(xserver, url)
    x, y = form.center("notes")
    xserver.xdotool("mousemove", str(x), str(y), "click", "1")
    time.sleep(0.2)
    started = time.monotonic()
    # 250 clicks (500 events) and 250 key strokes (500 events), as fast as xdotool sends them.
    xserver.xdotool("click", "--repeat", "250", "--delay", "1", "1")
    xserver.xdotool("key", "--delay", "1", *(["x"] * 250))
    elapsed = time.monotonic() - started
    time.sleep(0.5)
    assert rec.stop() == 0, rec.stderr_text
    assert elapsed < 3.0  # the burst really was a burst

    db = open_database(url)
    events = [e.event for e in load_recording(db, rec.session_id).events]
    db.close()
    kinds = [e.kind for e in events]
    assert kinds.count(EventKind.PRESS) == 251
    assert kinds.count(EventKind.RELEASE) == 251
    assert [e.key for e in events if e.kind is EventKind.KEY_DOWN] == ["x"] * 250
    assert [e.key for e in events if e.kind is EventKind.KEY_UP] == ["x"] * 250
    assert [e.seq for e in events] == list(range(len(events)))


def test_sigkill_keeps_all_but_the_last_half_second(xserver: XServer, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "crash.db")
    rec = start_recorder(xserver, url)
    # Keep the pointer moving, so there is always something to lose.
    mover = subprocess.Popen(
        [
            "bash",
            "-c",
            "for i in $(seq 400); do xdotool mousemove $((100 + i % 300)) 300; sleep 0.01; done",
        ],
        env=xserver.env,
    )
    time.sleep(2.0)
    killed_at = time.time_ns()
    rec.proc.send_signal(signal.SIGKILL)
    rec.proc.communicate()
    mover.kill()
    mover.wait()

    db = open_database(url)
    timeline = load_recording(db, rec.session_id)
    with db.session() as s:
        from capture.store.models import SessionRow

        row = s.get(SessionRow, rec.session_id)
        assert row is not None
        wall_start = row.wall_start_ns
        assert row.status == "recording"  # nobody closed it: it was killed
    db.close()
    moves = [e.event for e in timeline.events if e.event.kind is EventKind.MOVE]
    assert len(moves) > 20
    last_wall = wall_start + moves[-1].t_ns
    assert killed_at - last_wall <= 500_000_000


def test_full_disk_stops_recording_and_keeps_what_was_committed(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        raise AssertionError("this test mounts a small tmpfs and needs root (as CI runs)")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1600k", "tmpfs", str(mount)], check=True)
    try:
        url = sqlite_url(mount / "full.db")
        rec = start_recorder(xserver, url)
        toggle = form.center("toggle")
        xserver.xdotool("mousemove", *map(str, toggle))
        time.sleep(0.5)
        # Each click changes the screen and asks for a new before-frame; fill the disk with them
        # and with whatever else fits.
        filler = mount / "filler"
        with filler.open("wb") as fh, contextlib.suppress(OSError):
            fh.write(b"\0" * (1600 * 1024))
        deadline = time.monotonic() + 30
        while rec.proc.poll() is None and time.monotonic() < deadline:
            xserver.xdotool("click", "1", "key", "a", "mousemove_relative", "1", "0")
        assert rec.proc.poll() is not None, "the recorder kept going on a full disk"
        _, err = rec.proc.communicate()
        assert rec.proc.returncode == 3
        # A disk this small is warned about first; then the one error line.
        lines = [x for x in err.strip().splitlines() if not x.startswith("demotrace: warning: ")]
        assert "demotrace: warning: only " in err
        assert len(lines) == 1 and lines[0].startswith("demotrace: error: disk full"), err
        filler.unlink()
        db = open_database(url)
        timeline = load_recording(db, rec.session_id)
        db.close()
        assert len(timeline.events) > 0
        shown = demotrace("show", rec.session_id, "--db", url)
        assert shown.returncode == 0, shown.stderr
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture
def live_recorder(xserver: XServer, tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = sqlite_url(tmp_path / "busy.db")
    rec = start_recorder(xserver, url)
    yield url, rec.session_id
    assert rec.stop() == 0


def test_second_recorder_on_a_live_session_is_refused(
    xserver: XServer, live_recorder: tuple[str, str]
) -> None:
    url, session_id = live_recorder
    result = demotrace("record", "--db", url, "--session", session_id[:10], env=xserver.env)
    line = one_line_error(result)
    assert f"session {session_id} is being recorded by" in line


def test_a_stopped_session_can_be_continued(xserver: XServer, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "again.db")
    first = start_recorder(xserver, url)
    xserver.xdotool("mousemove", "10", "10", "click", "1")
    time.sleep(0.3)
    assert first.stop() == 0
    second = start_recorder(xserver, url, "--session", first.session_id)
    assert second.session_id == first.session_id
    xserver.xdotool("mousemove", "20", "20", "click", "1")
    time.sleep(0.3)
    assert second.stop() == 0
    db = open_database(url)
    timeline = load_recording(db, first.session_id)
    db.close()
    presses = [e.event for e in timeline.events if e.event.kind is EventKind.PRESS]
    assert [(p.x, p.y) for p in presses] == [(10, 10), (20, 20)]
    assert presses[0].t_ns < presses[1].t_ns
    assert [m.label for m in timeline.markers if m.kind == "resume"] == ["continued"]


def test_no_display_is_one_clear_line(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")
    }
    env["PYTHONPATH"] = str(ROOT)
    line = one_line_error(demotrace("record", "--db", sqlite_url(tmp_path / "x.db"), env=env))
    assert "no display" in line
    assert not (tmp_path / "x.db").exists()


def test_wayland_without_x_is_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(PYTHONPATH=str(ROOT), WAYLAND_DISPLAY="wayland-0", XDG_SESSION_TYPE="wayland")
    line = one_line_error(demotrace("record", "--db", sqlite_url(tmp_path / "x.db"), env=env))
    assert "Wayland session without X access" in line


def test_unreachable_display_is_one_clear_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DISPLAY": ":4321"}
    line = one_line_error(demotrace("record", "--db", sqlite_url(tmp_path / "x.db"), env=env))
    assert "cannot open display :4321" in line


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////proc/version/demo.db", "cannot create /proc/version"),
        ("nonsense://", "unsupported database URL"),
        ("/proc/version/plain.db", "cannot create /proc/version"),
        ("postgresql+psycopg://nobody:secret@127.0.0.1:9/none", "cannot open database"),
    ],
)
def test_bad_database_is_one_clear_line(xserver: XServer, url: str, expected: str) -> None:
    line = one_line_error(demotrace("record", "--db", url, env=xserver.env))
    assert expected in line
    assert "secret" not in line


def test_database_from_a_newer_schema_is_refused_untouched(
    xserver: XServer, tmp_path: Path
) -> None:
    path = tmp_path / "newer.db"
    open_database(sqlite_url(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")

    def dump() -> list[str]:
        with sqlite3.connect(path) as conn:
            return list(conn.iterdump())

    before = dump()
    for args in (["record"], ["sessions"]):
        line = one_line_error(demotrace(*args, "--db", sqlite_url(path), env=xserver.env))
        assert "database schema 9999 is newer than this demotrace understands" in line
    assert dump() == before


def test_missing_session_is_one_clear_line(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "empty.db")
    open_database(url).close()
    line = one_line_error(demotrace("show", "deadbeef", "--db", url))
    assert "no session deadbeef" in line


def test_losing_the_display_stops_with_one_line_and_keeps_the_recording(tmp_path: Path) -> None:
    doomed = XServer(800, 600)
    try:
        url = sqlite_url(tmp_path / "lost.db")
        rec = start_recorder(doomed, url)
        doomed.xdotool("mousemove", "10", "10", "click", "1")
        time.sleep(0.5)
    finally:
        doomed.close()
    _, err = rec.proc.communicate(timeout=30)
    assert rec.proc.returncode != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("demotrace: error: "), err
    assert "recording stopped" in lines[0]
    db = open_database(url)
    timeline = load_recording(db, rec.session_id)
    with db.session() as s:
        from capture.store.models import SessionRow

        row = s.get(SessionRow, rec.session_id)
        assert row is not None and row.status == "interrupted"
    db.close()
    assert [e.event.kind for e in timeline.events if e.event.kind is not EventKind.MOVE] == [
        EventKind.PRESS,
        EventKind.RELEASE,
    ]
