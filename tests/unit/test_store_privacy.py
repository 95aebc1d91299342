"""Redaction rules in the store, the store's size and its budget."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from capture.errors import DemotraceError, SessionNotFoundError
from capture.events import WindowChange
from capture.privacy.redact import Redaction
from capture.screen import Rect
from capture.store.database import Database, open_database, sqlite_url
from capture.store.redactions import add_redaction, redactions_for, remove_redaction
from capture.store.sessions import blob_store_for
from capture.store.usage import (
    LOW_DISK_BYTES,
    BudgetWatch,
    StoreUsage,
    budget_from,
    format_size,
    parse_size,
    store_usage,
)
from tests.unit.test_recorder import Hands, Screen, recorder


def test_redactions_for_a_session_include_the_global_rules(db: Database) -> None:
    rec = recorder(db, Screen(), Hands())
    sid = rec.start()
    rec.stop()
    everywhere = add_redaction(db, Redaction("window_class", pattern="Thunderbird"))
    mine = add_redaction(db, Redaction("rect", rect=Rect(1, 2, 30, 40), session_id=sid))
    assert everywhere.id is not None and mine.id is not None
    assert redactions_for(db, sid) == [everywhere, mine]
    assert redactions_for(db, None) == [everywhere]
    assert mine.rect == Rect(1, 2, 30, 40) and mine.describe() == "rect 1,2,30,40"
    remove_redaction(db, mine.id)
    assert redactions_for(db, sid) == [everywhere]
    with pytest.raises(DemotraceError, match="no redaction"):
        remove_redaction(db, mine.id)
    with pytest.raises(SessionNotFoundError):
        add_redaction(db, Redaction("rect", rect=Rect(0, 0, 1, 1), session_id="nope"))


def test_store_usage_counts_database_wal_and_frames(db: Database) -> None:
    rec = recorder(db, Screen(), Hands())
    rec.start()
    rec.stop()
    usage = store_usage(db, blob_store_for(db))
    path = db.sqlite_path
    assert path is not None
    assert usage.database_bytes is not None and usage.database_bytes >= path.stat().st_size
    assert usage.frame_bytes is not None and usage.frame_bytes > 0
    assert usage.total_bytes == usage.database_bytes + usage.frame_bytes
    assert usage.free_bytes is not None and usage.free_bytes > 0
    assert rec.store_usage() == store_usage(db, blob_store_for(db))


@pytest.mark.parametrize(
    ("text", "value"),
    [("500M", 500 << 20), ("2G", 2 << 30), ("1.5GiB", 3 << 29), ("1024", 1024), ("4 kb", 4096)],
)
def test_sizes_parse(text: str, value: int) -> None:
    assert parse_size(text) == value


@pytest.mark.parametrize("text", ["", "lots", "-1G", "0", "5Q"])
def test_bad_sizes_are_one_clear_error(text: str) -> None:
    with pytest.raises(DemotraceError, match=r"size|budget"):
        parse_size(text)


def test_budget_from_flag_or_environment() -> None:
    assert budget_from("1G", {"DEMOTRACE_BUDGET": "5G"}) == 1 << 30
    assert budget_from(None, {"DEMOTRACE_BUDGET": "5G"}) == 5 << 30
    assert budget_from(None, {}) is None


def test_budget_watch_warns_once_per_reason() -> None:
    usage = StoreUsage(database_bytes=10 << 20, frame_bytes=80 << 20, free_bytes=50 << 30)
    watch = BudgetWatch(lambda: usage, budget=100 << 20, every_s=10)
    assert watch.poll(0.0) == "the store holds 90.0 MiB of its 100.0 MiB budget"
    assert watch.poll(5.0) is None  # not time to look yet
    assert watch.poll(10.0) is None  # said already
    usage = StoreUsage(10 << 20, 80 << 20, LOW_DISK_BYTES - 1)
    assert (
        watch.poll(20.0)
        == f"only {format_size(LOW_DISK_BYTES - 1)} left on the disk holding the store"
    )
    relaxed = BudgetWatch(lambda: StoreUsage(1, 1, 50 << 30), budget=None)
    assert relaxed.poll(0.0) is None


def test_an_existing_store_open_to_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    open_database(sqlite_url(path)).close()
    os.chmod(path, 0o644)
    open_database(sqlite_url(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_session_redactor_blurs_by_rect_and_by_the_window_active_at_the_frame(
    db: Database,
) -> None:
    import numpy as np

    from capture.store.redactions import SessionRedactor
    from tests.unit.test_recorder_privacy import Windows, with_windows

    windows = Windows(first=("Inbox", "Thunderbird"))
    rec = with_windows(db, Screen(), Hands(), windows)
    sid = rec.start()
    threading_wait(0.1)
    windows.focus("notes", "editor")
    rec.stop()
    image = np.zeros((20, 40, 3), np.uint8)
    image[:, ::2] = 255
    assert SessionRedactor.for_session(db, sid)(image, 0) is image  # no rules yet
    add_redaction(db, Redaction("window_class", pattern="thunderbird"))
    add_redaction(db, Redaction("rect", rect=Rect(100, 0, 10, 10), session_id=sid))
    redactor = SessionRedactor.for_session(db, sid)
    first, second = (w.t_ns for w in load_windows(db, sid))
    whole = redactor(image, first + 1)
    assert int(whole.max()) - int(whole.min()) < 40  # the mail window: all of it
    part = redactor(image, second + 1, origin=(95, 0))
    assert not np.array_equal(part[:10, 5:15], image[:10, 5:15])
    np.testing.assert_array_equal(part[10:], image[10:])
    window = redactor.window_at(second + 1)
    assert window is not None and window.app == "editor"


def threading_wait(seconds: float) -> None:
    import threading

    threading.Event().wait(seconds)


def load_windows(db: Database, sid: str) -> list[WindowChange]:
    from capture.store.recording import load_recording

    return load_recording(db, sid).windows


def test_a_crash_while_creating_a_store_leaves_no_half_made_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import inspect

    from capture.store import database

    class PowerCut(Exception):
        pass

    real_text = database.text

    def cut_before_the_version(sql: str) -> object:
        if "alembic_version" in sql:
            raise PowerCut
        return real_text(sql)

    monkeypatch.setattr(database, "text", cut_before_the_version)
    url = sqlite_url(tmp_path / "new.db")
    with pytest.raises(PowerCut):
        open_database(url)
    monkeypatch.undo()
    db = open_database(url)  # not "demotrace tables but no schema version"
    with db.engine.connect() as conn:
        assert "sessions" in inspect(conn).get_table_names()
    db.close()
