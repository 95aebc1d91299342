"""The main window's session actions: review in the viewer, the sample for an empty store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from capture.errors import DemotraceError
from capture.store.database import Database
from capture.store.sessions import has_sessions, list_sessions, session_record
from capture.store.steps import current_steps
from desktop.main_window import MainWindow
from desktop.session_actions import sample_bundle
from tests.stored import stored_session

pytestmark = pytest.mark.gui


def _no_recorder(*_: Any) -> Any:
    raise DemotraceError("no recording in this test")


def _window(qtbot: Any, db: Database, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, _no_recorder, settings, who=lambda: "rita")
    qtbot.addWidget(window)
    return window


def test_an_empty_store_offers_the_sample_and_opens_it_for_review(
    qapp: Any, qtbot: Any, db: Database, tmp_path: Path
) -> None:
    assert sample_bundle() is not None, "the sample bundle ships in the source tree"
    window = _window(qtbot, db, tmp_path)
    window.show()
    assert window.sample_button.isVisible()
    qtbot.mouseClick(window.sample_button, Qt.MouseButton.LeftButton)
    assert has_sessions(db)
    [summary] = list_sessions(db)
    assert len(current_steps(db, summary.id)) == 12  # the sample's twelve steps
    assert session_record(db, summary.id)["origin"] == "imported"
    viewers = [w for w in window.session_actions.windows if w.isVisible()]
    assert len(viewers) == 1
    assert viewers[0].source.trajectory.session_id == summary.id
    assert "step 0" in viewers[0].windowTitle()
    assert not window.sample_button.isVisible()
    for w in viewers:
        w.close()


def test_a_store_with_sessions_does_not_offer_the_sample_and_reviews_the_chosen_one(
    qapp: Any, qtbot: Any, db: Database, tmp_path: Path
) -> None:
    made = stored_session(db, task="Save the letter")
    window = _window(qtbot, db, tmp_path)
    window.show()
    assert not window.sample_button.isVisible()
    # No session chosen: Review does nothing.
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    assert window.session_actions.windows == []
    for row in range(window.tasks.rowCount()):
        window.select_task(window.tasks.task_at(row))
        if window.takes.rowCount():
            break
    window.take_table.selectRow(0)
    assert window._selected_session() == made.id
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    [viewer] = window.session_actions.windows
    assert viewer.isVisible()
    viewer.close()


def test_statistics_open_from_the_main_window_with_the_store_s_numbers(
    qapp: Any, qtbot: Any, db: Database, tmp_path: Path
) -> None:
    from desktop.stats_view import StatsDialog

    stored_session(db)
    stored_session(db)
    window = _window(qtbot, db, tmp_path)
    dialog = window.session_actions.stats()
    assert isinstance(dialog, StatsDialog) and dialog.isVisible()
    rows = dialog.view.rows()
    assert any("uncategorised" in " ".join(row) and "2" in row for row in rows), rows
    dialog.close()


def test_a_bundle_dropped_on_the_main_window_opens_and_its_review_lands_in_the_store(
    qapp: Any, qtbot: Any, db: Database, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent

    from capture.store.reviews import reviews_of
    from desktop.viewer.grading import VERDICTS

    bundle = sample_bundle()
    assert bundle is not None
    window = _window(qtbot, db, tmp_path)
    mime = QMimeData()
    mime.setUrls(
        [QUrl.fromLocalFile(str(bundle / "trajectory.json")), QUrl("https://example.org/x")]
    )
    drop = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(drop)
    [viewer] = window.session_actions.windows
    assert viewer.isVisible()
    sid = viewer.source.trajectory.session_id
    assert not has_sessions(db)  # viewing a bundle writes nothing
    form = viewer.form
    form.verdict.setCurrentIndex(1 + VERDICTS.index("reject"))
    form.reason.setText("the wrong form")
    assert form.submit(), form.errors.text()
    [review] = reviews_of(db, sid)
    assert (review["reviewer"], review["verdict"]) == ("rita", "reject")
    viewer.close()


def test_the_inject_dialog_asks_for_what_the_cli_takes(qapp: Any, qtbot: Any) -> None:
    import sys

    from desktop.inject_dialog import InjectDialog

    dialog = InjectDialog("ab" * 16, "sqlite:////tmp/s.db", [0, 1, 2, 3], current=2)
    qtbot.addWidget(dialog)
    assert (dialog.step.minimum(), dialog.step.maximum(), dialog.step.value()) == (0, 3, 2)
    base = [sys.executable, "-m", "desktop.cli", "inject", "ab" * 16, "--db",
            "sqlite:////tmp/s.db", "--at", "2"]  # fmt: skip
    dialog.kind.setCurrentText("offset")
    dialog.dx.setValue(-30)
    assert dialog.request().argv() == [*base, "--fault", "offset", "--offset", "-30,40"]
    dialog.kind.setCurrentText("typo")
    dialog.typo.setCurrentText("drop")
    assert dialog.request().argv() == [*base, "--fault", "typo", "--typo", "drop"]
    dialog.kind.setCurrentText("dialog")
    dialog.dialog_text.setCurrentText("Network error")
    assert dialog.request().argv() == [*base, "--fault", "dialog", "--dialog-text", "Network error"]
    dialog.kind.setCurrentText("skip")
    assert dialog.request().argv() == [*base, "--fault", "skip"]


def test_an_injection_hides_the_app_until_the_recovery_is_stopped(
    qapp: Any, qtbot: Any, db: Database, tmp_path: Path
) -> None:
    import sys

    window = _window(qtbot, db, tmp_path)
    window.show()
    taken = "c" * 32
    # Stands in for `demotrace inject`: takes over, records a moment, stops cleanly.
    script = f"import time; print('recording session {taken}', flush=True); time.sleep(0.3)"
    run = window.session_actions.start_injection([sys.executable, "-c", script])
    assert not window.isVisible()  # out of the replay's way
    with qtbot.waitSignal(run.finished, timeout=20000) as done:
        pass
    assert done.args == [True, ""]
    assert run.session_id == taken
    assert window.isVisible() and window.session_actions.injection is None
    failing = "import sys; print('demotrace: error: step 3 never showed', file=sys.stderr); " \
        "sys.exit(1)"  # fmt: skip
    run = window.session_actions.start_injection([sys.executable, "-c", failing])
    with qtbot.waitSignal(run.finished, timeout=20000) as done:
        pass
    assert done.args == [False, "demotrace: error: step 3 never showed"]
    assert window.isVisible()
