"""Privacy end to end: the real recorder on a real X server, driven by xdotool."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil
import pytest

from capture.events import EventKind
from capture.grabber import MssScreen
from capture.privacy.secret import SECRET_PLACEHOLDER
from capture.store.database import open_database, sqlite_url
from capture.store.frames import FrameReader
from capture.store.models import SessionRow
from capture.store.recording import Recording, load_recording
from capture.store.sessions import blob_store_for
from capture.store.steps import stored_steps
from tests.storefiles import hits, store_files
from tests.xsession import FormApp, XServer, demotrace, start_form, start_recorder

PASSWORD = "QZ7#WX9%KJ"  # none of its keys occur in anything else the tests type
PASSWORD_KEYS = {"Q", "Z", "7", "numbersign", "W", "X", "9", "percent", "K", "J"}


def window_id(x: XServer, title: str) -> str:
    return x.xdotool("search", "--name", title).split()[0]


def test_secret_mode_keeps_the_password_out_of_every_file(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    db_path = tmp_path / "secret.db"
    url = sqlite_url(db_path)
    rec = start_recorder(xserver, url)
    xserver.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
    xserver.xdotool("type", "--delay", "30", "visible")
    xserver.xdotool("key", "ctrl+alt+h")
    xserver.xdotool("type", "--delay", "30", PASSWORD)
    xserver.xdotool("key", "ctrl+alt+h")
    xserver.xdotool("type", "--delay", "30", " done")
    time.sleep(1.5)  # committed, and the live steps written to the WAL
    during = store_files(db_path)
    assert any(f.name.endswith("-wal") for f in during)
    assert hits(during, "visible"), "the search would find typed text"
    assert hits(during, PASSWORD) == []
    # Nothing leaves the machine: the recorder holds no network connection.
    assert psutil.Process(rec.proc.pid).net_connections(kind="inet") == []
    assert rec.stop() == 0, rec.stderr_text
    assert "secret mode on" in rec.stderr_text

    typed = [line["text"] for line in form.log_lines() if line["event"] == "text"]
    assert typed[-1] == f"visible{PASSWORD} done"  # the password really was typed
    assert hits(store_files(db_path), PASSWORD) == []
    db = open_database(url)
    timeline = load_recording(db, rec.session_id)
    keys = [e.event.key for e in timeline.events if e.event.kind is EventKind.KEY_DOWN]
    assert keys.count(SECRET_PLACEHOLDER) == 1
    assert not PASSWORD_KEYS & set(keys)
    texts = [s.action.to_json().get("text") for s in stored_steps(db, rec.session_id)]
    db.close()
    assert texts.count(SECRET_PLACEHOLDER) == 1
    assert "visible" in texts and PASSWORD not in str(texts)
    shown = demotrace("steps", rec.session_id, "--db", url)
    assert SECRET_PLACEHOLDER in shown.stdout and PASSWORD not in shown.stdout


def in_window(t_ns: int, start: int, end: int) -> bool:
    return start < t_ns < end


@pytest.fixture
def vault(xserver: XServer, tmp_path: Path) -> Iterator[FormApp]:
    app = start_form(xserver, tmp_path / "vault.jsonl", "1000,0,900,700", title="Vault SecretKeep")
    yield app
    app.close()


def test_an_excluded_window_leaves_no_frames_and_no_keys(
    xserver: XServer, form: FormApp, vault: FormApp, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "exclude.db")
    form_id, vault_id = window_id(xserver, "demotrace test form"), window_id(xserver, "SecretKeep")
    xserver.xdotool("windowfocus", "--sync", form_id)
    rec = start_recorder(xserver, url, "--exclude", "*secretkeep*")
    xserver.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
    xserver.xdotool("type", "--delay", "30", "before")
    time.sleep(0.3)
    switched_in = time.time_ns()
    xserver.xdotool("windowfocus", "--sync", vault_id)
    time.sleep(0.5)  # the watcher looks ten times a second
    xserver.xdotool("mousemove", *map(str, vault.center("name")), "click", "1")
    xserver.xdotool("type", "--delay", "30", PASSWORD)
    xserver.xdotool("mousemove", *map(str, vault.center("toggle")), "click", "1")
    time.sleep(0.5)  # the vault's patch turns green: a screen change nobody may keep
    xserver.xdotool("windowfocus", "--sync", form_id)
    switched_out = time.time_ns()
    time.sleep(0.3)
    xserver.xdotool("mousemove", *map(str, form.center("email")), "click", "1")
    xserver.xdotool("type", "--delay", "30", "after")
    time.sleep(0.5)
    assert rec.stop() == 0, rec.stderr_text
    assert "capture paused: " in rec.stderr_text

    vault_text = [line["text"] for line in vault.log_lines() if line["event"] == "text"]
    assert vault_text[-1] == PASSWORD  # the vault really got the input
    db = open_database(url)
    timeline = load_recording(db, rec.session_id)
    with db.session() as s:
        row = s.get(SessionRow, rec.session_id)
        assert row is not None
        start = switched_in - row.wall_start_ns
        end = switched_out - row.wall_start_ns
    steps = stored_steps(db, rec.session_id)
    db.close()
    pauses = [(m.kind, m.t_ns) for m in timeline.markers if m.label == "excluded"]
    assert [k for k, _ in pauses] == ["pause", "resume"]
    assert start < pauses[0][1] < pauses[1][1] <= end + 200_000_000
    assert not [e for e in timeline.events if in_window(e.event.t_ns, pauses[0][1], end)]
    assert not [f for f in timeline.frames if in_window(f.t_ns, pauses[0][1], pauses[1][1])]
    assert not [t for t, _ in timeline.screen_changes if in_window(t, pauses[0][1], pauses[1][1])]
    assert not {e.event.key for e in timeline.events} & (PASSWORD_KEYS - {"X"})
    assert "SecretKeep" not in str([w.title for w in timeline.windows])
    texts = [s.action.to_json().get("text") for s in steps]
    assert "before" in texts and "after" in texts
    assert_no_green(timeline, url)


def assert_no_green(timeline: Recording, url: str) -> None:
    """The vault's toggle patch turned green while excluded: no stored frame shows it."""
    db = open_database(url)
    reader = FrameReader(blob_store_for(db))
    with db.session() as s:
        for frame in timeline.frames:
            bgra = reader.pixels(frame.blob, s)
            green = (bgra[..., 1] > 150) & (bgra[..., 2] < 100) & (bgra[..., 0] < 100)
            assert not green[:, 1000:].any(), f"frame {frame.id} shows the vault's green patch"
    db.close()


def sharpness(image: np.ndarray) -> float:
    """Mean difference between horizontal neighbours: text is sharp, a blur is not."""
    return float(np.abs(np.diff(image[..., :3].astype(int), axis=1)).mean())


def test_redact_at_capture_blurs_the_rectangle_in_the_store(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "redact.db")
    added = demotrace("redact", "--db", url, "--rect", "0,0,480,120")
    assert added.returncode == 0 and "added redaction" in added.stdout, added.stderr
    listed = demotrace("redact", "--db", url)
    assert "every session" in listed.stdout and "rect 0,0,480,120" in listed.stdout
    rec = start_recorder(xserver, url, "--redact-at-capture")
    try:
        time.sleep(0.5)
        grab = MssScreen(xserver.display)
        _, _, width, height, raw = grab.grab()  # the screen as it is
        grab.close()
    finally:
        assert rec.stop() == 0, rec.stderr_text
    screen = np.frombuffer(raw, np.uint8).reshape(height, width, 4)

    db = open_database(url)
    frames = load_recording(db, rec.session_id).frames
    assert frames
    with db.session() as s:
        stored = FrameReader(blob_store_for(db)).pixels(frames[0].blob, s)
    db.close()
    inside, outside = (slice(0, 120), slice(0, 480)), (slice(130, 800), slice(0, 1000))
    assert sharpness(screen[inside]) > 3 * sharpness(stored[inside]) > 0
    np.testing.assert_array_equal(stored[outside][..., :3], screen[outside][..., :3])


def test_a_paused_interval_keeps_no_input_and_no_frames(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "pause.db")
    rec = start_recorder(xserver, url)
    xserver.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
    time.sleep(0.3)
    xserver.xdotool("key", "ctrl+alt+p")
    xserver.xdotool("type", "--delay", "30", PASSWORD)
    xserver.xdotool("mousemove", *map(str, form.center("toggle")), "click", "1")
    time.sleep(0.6)  # the patch turns green while nothing is captured
    xserver.xdotool("key", "ctrl+alt+p")
    time.sleep(0.5)
    assert rec.stop() == 0, rec.stderr_text

    typed = [line["text"] for line in form.log_lines() if line["event"] == "text"]
    assert typed[-1] == PASSWORD  # the input really happened
    db = open_database(url)
    timeline = load_recording(db, rec.session_id)
    db.close()
    pause, resume = (m.t_ns for m in timeline.markers if m.kind in ("pause", "resume"))
    inside = [e.event for e in timeline.events if pause < e.event.t_ns < resume]
    # Only the resume hotkey itself, which is never a step.
    assert {e.key for e in inside} <= {"ctrl", "alt", "p"}
    assert not PASSWORD_KEYS & {e.event.key for e in timeline.events}
    assert not [f for f in timeline.frames if pause < f.t_ns < resume]
    assert not [t for t, _ in timeline.screen_changes if pause < t < resume]


def test_show_prints_the_store_size_and_record_warns_past_its_budget(
    xserver: XServer, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "budget.db")
    rec = start_recorder(xserver, url, "--budget", "4K")
    time.sleep(0.5)
    assert rec.stop() == 0, rec.stderr_text
    assert "demotrace: warning: the store holds " in rec.stderr_text
    assert "of its 4.0 KiB budget" in rec.stderr_text
    shown = demotrace("show", rec.session_id, "--db", url)
    assert shown.returncode == 0, shown.stderr
    store_line = next(line for line in shown.stdout.splitlines() if line.startswith("store"))
    assert "database " in store_line and "frames " in store_line and " free" in store_line
    bad = demotrace("record", "--db", url, "--budget", "lots", env=xserver.env)
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "demotrace: error: not a size: 'lots' (e.g. 500M, 20G)"
    )
