"""The sessions list as a Qt item model, used without a window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from capture.store.sessions import SessionSummary
from desktop.session_model import COLUMNS, SessionTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def summary(session_id: str, task: str = "", duration_s: float = 1.25, **kw: Any) -> SessionSummary:
    values: dict[str, Any] = {
        "id": session_id,
        "task": task,
        "status": "finished",
        "created_at": "2026-11-25T10:00:00.123456+00:00",
        "duration_s": duration_s,
        "events": 12,
        "frames": 3,
        "screen_changes": 5,
        "markers": 0,
        "windows": 1,
        "screen": {},
        "scale": 1.0,
        "double_click_ms": 400,
        "double_click_px": 5,
        "fps": 10.0,
        "platform": "test",
        "app_version": "0",
        "stop_reason": "",
        "frame_bytes": None,
        **kw,
    }
    return SessionSummary(**values)


def row(model: SessionTableModel, r: int) -> list[str]:
    return [model.data(model.index(r, c)) for c in range(model.columnCount())]


def test_rows_are_newest_first_in_the_words_of_the_columns(qapp: Any) -> None:
    stored = [
        summary("a" * 32, "fill the form"),
        summary("b" * 32, duration_s=61.04, status="interrupted"),
    ]
    model = SessionTableModel(lambda: stored)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 0  # nothing read until refreshed
    model.refresh()

    assert model.rowCount() == 2 and model.columnCount() == len(COLUMNS)
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(7)]
    assert headers == ["Session", "Task", "Recorded", "Duration", "Events", "Frames", "Status"]
    assert row(model, 0) == [
        "b" * 12,
        "—",
        "2026-11-25 10:00:00",
        "61.0 s",
        "12",
        "3",
        "interrupted",
    ]
    assert row(model, 1)[:2] == ["a" * 12, "fill the form"]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "b" * 32
    assert model.session_at(1).id == "a" * 32


def test_refresh_reads_again_and_nothing_hangs_below_a_row(qapp: Any) -> None:
    stored = [summary("a" * 32)]
    model = SessionTableModel(lambda: list(stored))
    model.refresh()
    stored.append(summary("c" * 32))
    assert model.rowCount() == 1
    model.refresh()
    assert [model.session_at(r).id[0] for r in range(model.rowCount())] == ["c", "a"]
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    assert model.headerData(0, Qt.Orientation.Vertical, DISPLAY) is None
