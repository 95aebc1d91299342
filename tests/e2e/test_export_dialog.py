"""The export dialog on a real X server: its form gives the same request as the CLI's options."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from capture.store.database import Database
from desktop.commands.export import export_sessions
from desktop.export_dialog import ExportDialog
from tests.stored import stored_session
from tests.xsession import XServer


@pytest.fixture
def on_display(xserver: XServer, monkeypatch: pytest.MonkeyPatch) -> XServer:
    monkeypatch.setenv("DISPLAY", xserver.display)
    return xserver


def shown(dialog: ExportDialog, qtbot: QtBot) -> ExportDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_dialog_asks_for_what_the_cli_takes(
    on_display: XServer, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    sid = stored_session(db).id
    dialog = shown(ExportDialog(sid), qtbot)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no output yet
    dialog.format.setCurrentText("hf")
    dialog.out.setText(str(tmp_path / "one"))
    assert ok.isEnabled() and not dialog.filters.isEnabled()
    one = dialog.request()
    assert one is not None and one.session == sid and one.format == "hf"
    assert one.max_size is None

    dialog.many.setChecked(True)
    assert dialog.filters.isEnabled()
    dialog.task.setText("Fill in the form")
    dialog.verdict.setCurrentText("any")
    dialog.annotator.setText("ann")
    dialog.since.setText("2026-01-02")
    dialog.until.setText("not a date")
    assert not ok.isEnabled()
    dialog.until.setText("2026-01-02")
    dialog.max_size.setValue(160)
    assert ok.isEnabled()
    shots = Path(os.environ.get("DEMOTRACE_SCREENSHOTS", tmp_path))
    assert dialog.grab().save(str(shots / "export-dialog.png"))
    many = dialog.request()
    assert many is not None and many.session is None and many.max_size == 160
    assert many.selection.task == "Fill in the form" and many.selection.verdict == "any"
    assert many.selection.since == datetime(2026, 1, 2, tzinfo=UTC)
    assert many.selection.until == datetime(2026, 1, 3, tzinfo=UTC)

    assert export_sessions(db, many, lambda done, total: None) == 1
    assert (tmp_path / "one" / "data").is_dir()


def test_the_context_video_is_offered_for_bundles_only(
    on_display: XServer, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = shown(ExportDialog(stored_session(db).id), qtbot)
    dialog.format.setCurrentText("bundle")
    dialog.out.setText(str(tmp_path / "bundle"))
    assert dialog.video.isEnabled()
    dialog.video.setChecked(True)
    request = dialog.request()
    assert request is not None and request.video
    dialog.format.setCurrentText("agentnet")  # no place for a video: unticked and greyed
    assert not dialog.video.isEnabled() and not dialog.video.isChecked()
    dialog.format.setCurrentText("bundle")
    dialog.video.setChecked(True)
    request = dialog.request()
    assert request is not None
    assert export_sessions(db, request, lambda done, total: None) == 1
    assert (tmp_path / "bundle" / "context.mp4").stat().st_size > 0
