"""Settings kept with QSettings, the task dialog, the tray menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from capture.tasks import Task
from desktop.settings import AppSettings, SettingsDialog
from desktop.task_dialog import TaskDialog

pytestmark = pytest.mark.gui


def test_settings_round_trip_and_bad_values_fall_back(tmp_path: Path, qtbot: QtBot) -> None:
    q = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert AppSettings.load(q) == AppSettings()
    dialog = SettingsDialog(AppSettings.load(q))
    qtbot.addWidget(dialog)
    dialog.fps.setValue(4)
    dialog.mode.setCurrentIndex(dialog.mode.findData("live"))
    dialog.store.setText("/data/team.db")
    dialog.settings().save(q)
    assert AppSettings.load(q) == AppSettings(fps=4.0, reasoning_mode="live", store="/data/team.db")
    q.setValue("capture/fps", "nan")
    q.setValue("reasoning/mode", "sometimes")
    assert AppSettings.load(q) == AppSettings(store="/data/team.db")


def test_hotkeys_and_decision_thresholds_are_settings(tmp_path: Path, qtbot: QtBot) -> None:
    q = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(AppSettings.load(q))
    qtbot.addWidget(dialog)
    dialog.hotkeys["mark"].setText("ctrl+alt+n")
    dialog.pause.setValue(0)  # pauses never make a decision point
    dialog.change.setValue(30)
    dialog.settings().save(q)
    rules = AppSettings.load(q).rules
    assert rules.hotkey("mark").keys == "ctrl+alt+n"
    assert (rules.decision_pause_ms, rules.decision_screen_change) == (None, 0.3)
    # A hotkey that clashes is refused in the dialog, with the reason; nothing is accepted.
    dialog.hotkeys["pause"].setText("ctrl+alt+s")
    dialog._save()
    assert "both the pause and the stop hotkey" in dialog.error.text()
    assert dialog.result() == 0
    # A settings file edited into a clash falls back to the defaults rather than failing.
    q.setValue("hotkeys/pause", "ctrl+alt+s")
    assert AppSettings.load(q).rules == AppSettings().rules


def test_task_dialog_makes_and_edits_tasks(qtbot: QtBot) -> None:
    dialog = TaskDialog()
    qtbot.addWidget(dialog)
    dialog.accept()  # an empty instruction is refused in the dialog, not with a crash
    assert dialog.result_task is None and dialog.error.text() == "instruction is empty"
    dialog.instruction.setPlainText("  Rename the folder ")
    dialog.category.setCurrentIndex(dialog.category.findData("error_recovery"))
    dialog.setup_command.setText("mkdir -p /tmp/x ")
    dialog.accept()
    made = dialog.result_task
    assert made is not None
    assert (made.instruction, made.category, made.setup_command, made.reasoning_mode) == (
        "Rename the folder",
        "error_recovery",
        "mkdir -p /tmp/x",
        "after",
    )
    edit = TaskDialog(Task("Open it", reasoning_mode="think_aloud"))
    qtbot.addWidget(edit)
    assert edit.reasoning.currentData() == "think_aloud"
    edit.expected.setText("it is open")
    edit.accept()
    assert edit.result_task is not None and edit.result_task.expected_outcome == "it is open"
