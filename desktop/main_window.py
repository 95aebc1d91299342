"""The main window: tasks, each task's sessions, a detail pane; Record; the step editor."""

from __future__ import annotations

import getpass
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from capture.errors import DemotraceError
from capture.store.database import Database
from capture.store.session_frames import SessionFrames
from capture.store.sessions import has_sessions, short_id
from capture.store.stages import takes
from capture.store.tasks import list_tasks, save_task
from capture.tasks import CATEGORY_NAMES, Task
from desktop.applog import announce
from desktop.control_bar import ControlBar, count_text, hotkey_label
from desktop.pictures import Thumbnails
from desktop.prompt import LivePrompt
from desktop.recording import RecorderFactory, RecordingRun
from desktop.session_actions import SessionActions, bundle_paths, sample_bundle
from desktop.settings import AppSettings, SettingsDialog
from desktop.step_editor import StepEditor
from desktop.step_model import THUMBNAIL, StepListModel
from desktop.task_dialog import TaskDialog
from desktop.task_model import TakeTableModel, TaskListModel
from desktop.trajectory import Trajectory
from desktop.walkthrough import Walkthrough, walk_indices


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


class MainWindow(QMainWindow):
    recording_changed = Signal()  # a recording started or stopped

    def __init__(
        self,
        db: Database,
        make_recorder: RecorderFactory,
        settings: QSettings,
        who: Callable[[], str] = _who,
    ) -> None:
        super().__init__()
        self.setWindowTitle("demotrace")
        self.db = db
        self._make_recorder = make_recorder
        self._qsettings = settings
        self.settings = AppSettings.load(settings)
        self._who = who
        self.run: RecordingRun | None = None
        self.control_bar: ControlBar | None = None
        self._closing = False
        self.prompt: LivePrompt | None = None
        self.walkthrough: Walkthrough | None = None
        self.editor: StepEditor | None = None
        self._thumbnails: Thumbnails | None = None

        self.tasks = TaskListModel(lambda: list_tasks(db))
        self.takes = TakeTableModel(lambda task_id: takes(db, task_id))
        self.task_list = QListView()
        self.task_list.setModel(self.tasks)
        self.task_list.setMinimumWidth(260)
        self.take_table = QTableView()
        self.take_table.setModel(self.takes)
        self.take_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.take_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.take_table.verticalHeader().hide()
        self.take_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.take_table.horizontalHeader().setStretchLastSection(True)
        self.take_table.doubleClicked.connect(
            lambda i: self.open_session(self.takes.take_at(i.row()).id)
        )
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMinimumWidth(280)
        self.detail.setTextFormat(Qt.TextFormat.RichText)

        self.record_button = QPushButton("● Record")
        self.record_button.setStyleSheet("font-weight: bold; padding: 6px 18px")
        self.record_button.clicked.connect(self.start_recording)
        self.open_button = QPushButton("Open steps")
        self.open_button.clicked.connect(self._open_selected)
        self.session_actions = SessionActions(db, self, who, changed=lambda: self.refresh())
        self.review_button = QPushButton("Review…")
        self.review_button.setToolTip("Replay the session and grade it")
        self.review_button.clicked.connect(
            lambda: (sid := self._selected_session()) and self.session_actions.review(sid)
        )
        self.inject_button = QPushButton("Inject fault…")
        self.inject_button.setToolTip(
            "Replay the session up to a step, make that step go wrong, record your recovery"
        )
        self.inject_button.clicked.connect(
            lambda: (sid := self._selected_session()) and self.session_actions.inject(sid)
        )
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(
            lambda: self.session_actions.export(self._selected_session())
        )
        # A new reviewer can explore before anyone records: offered while the store is empty.
        self.sample_button = QPushButton("Explore a sample trajectory")
        self.sample_button.clicked.connect(self._open_sample)
        self.sample_button.setVisible(sample_bundle() is not None and not has_sessions(db))
        self.new_task_button = QPushButton("New task…")
        self.new_task_button.clicked.connect(self.new_task)
        self.edit_task_button = QPushButton("Edit task…")
        self.edit_task_button.clicked.connect(self.edit_task)
        open_bundle_button = QPushButton("Open bundle…")
        open_bundle_button.setToolTip("View a trajectory bundle; or drop one on this window")
        open_bundle_button.clicked.connect(self.session_actions.open_bundle)
        self.setAcceptDrops(True)
        stats_button = QPushButton("Statistics…")
        stats_button.clicked.connect(self.session_actions.stats)
        settings_button = QPushButton("Settings…")
        settings_button.clicked.connect(self.edit_settings)
        QShortcut(QKeySequence("Ctrl+R"), self, self.start_recording)

        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Tasks</b>"))
        left.addWidget(self.task_list, 1)
        task_buttons = QHBoxLayout()
        task_buttons.addWidget(self.new_task_button)
        task_buttons.addWidget(self.edit_task_button)
        left.addLayout(task_buttons)
        middle = QVBoxLayout()
        middle.addWidget(QLabel("<b>Sessions of this task</b>"))
        middle.addWidget(self.take_table, 1)
        take_buttons = QHBoxLayout()
        take_buttons.addWidget(self.record_button)
        take_buttons.addWidget(self.open_button)
        take_buttons.addWidget(self.review_button)
        take_buttons.addWidget(self.inject_button)
        take_buttons.addWidget(self.export_button)
        take_buttons.addWidget(self.sample_button)
        take_buttons.addStretch(1)
        take_buttons.addWidget(open_bundle_button)
        take_buttons.addWidget(stats_button)
        take_buttons.addWidget(settings_button)
        middle.addLayout(take_buttons)
        right = QVBoxLayout()
        right.addWidget(self.detail, 1)
        split = QSplitter()
        for layout, stretch in ((left, 0), (middle, 1), (right, 0)):
            w = QWidget()
            w.setLayout(layout)
            split.addWidget(w)
            split.setStretchFactor(split.count() - 1, stretch)
        self.pages = QStackedWidget()
        self.pages.addWidget(split)
        self.setCentralWidget(self.pages)
        self.statusBar().showMessage(f"Store: {db.url}")
        self.resize(1280, 640)

        self.task_list.selectionModel().currentChanged.connect(self._task_changed)
        self.take_table.selectionModel().currentChanged.connect(lambda *_: self._show_detail())
        self.tasks.refresh()
        self.select_task(None if self.tasks.rowCount() == 1 else self.tasks.task_at(0))

    # -- tasks and sessions

    def current_task(self) -> Task | None:
        i = self.task_list.currentIndex()
        return self.tasks.task_at(i.row()) if i.isValid() else None

    def select_task(self, task: Task | None) -> None:
        row = self.tasks.row_of(task.id if task else None)
        self.task_list.setCurrentIndex(self.tasks.index(row))
        self._task_changed(self.tasks.index(row))

    def _task_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        task = self.tasks.task_at(current.row()) if current.isValid() else None
        self.takes.show_task(task.id if task else None)
        self.edit_task_button.setEnabled(task is not None)
        self._show_detail()

    def _show_detail(self) -> None:
        def keys(name: str) -> str:
            return hotkey_label(name, self.settings.rules)

        task = self.current_task()
        if task is None:
            text = "<h3>Sessions without a task</h3><p>Recordings not filed under a task.</p>"
            mode = self.settings.reasoning_mode
        else:
            mode = task.reasoning_mode
            text = (
                f"<h3>{_html(task.instruction)}</h3>"
                f"<p><b>{CATEGORY_NAMES[task.category]}</b> · reasoning: {mode}</p>"
            )
            for title, value in (
                ("Setup", task.setup_notes),
                ("Expected outcome", task.expected_outcome),
                ("Setup command", task.setup_command),
                ("Reset command", task.reset_command),
            ):
                if value:
                    text += f"<p><b>{title}:</b> {_html(value)}</p>"
        i = self.take_table.currentIndex()
        if i.isValid():
            take = self.takes.take_at(i.row())
            text += (
                f"<hr><p><b>Session {short_id(take.id)}</b> · {take.status}<br>"
                f"{count_text(take.steps, 'step')}, "
                f"{count_text(take.decision_points, 'decision point')}, "
                f"{take.unexplained} without a note</p>"
            )
        text += (
            f"<hr><p>Record starts a session of this task. {keys('mark')} marks a "
            f"decision point, {keys('pause')} pauses, {keys('stop')} stops.</p>"
        )
        self.detail.setText(text)

    def _recording_failed(self, message: str) -> None:
        """The recording stopped on its own (a full disk...): say so; the app keeps running."""
        announce("recording failed", message=message)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Recording stopped",
            f"{message}\n\nEverything recorded until then is kept.",
            parent=self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if bundle_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for path in bundle_paths(event.mimeData()):
            self.session_actions.view_bundle(path)
        event.acceptProposedAction()

    def _selected_session(self) -> str | None:
        i = self.take_table.currentIndex()
        return self.takes.take_at(i.row()).id if i.isValid() else None

    def _open_sample(self) -> None:
        if self.session_actions.open_sample() is not None:
            self.sample_button.hide()
            self.refresh()

    def refresh(self) -> None:
        task = self.current_task()
        self.tasks.refresh()
        self.select_task(task)

    def new_task(self) -> None:
        dialog = TaskDialog(parent=self)
        if dialog.exec() and dialog.result_task is not None:
            save_task(self.db, dialog.result_task)
            self.tasks.refresh()
            self.select_task(dialog.result_task)

    def edit_task(self) -> None:
        task = self.current_task()
        if task is None:
            return
        dialog = TaskDialog(task, parent=self)
        if dialog.exec() and dialog.result_task is not None:
            save_task(self.db, dialog.result_task)
            self.refresh()

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.settings = dialog.settings()
            self.settings.save(self._qsettings)

    # -- recording

    def _own_windows(self) -> list[QRect]:
        out = []
        for w in (self, self.control_bar, self.prompt):
            if w is not None and w.isVisible():
                g, ratio = w.frameGeometry(), w.devicePixelRatioF()
                out.append(
                    QRect(
                        round(g.x() * ratio),
                        round(g.y() * ratio),
                        round(g.width() * ratio),
                        round(g.height() * ratio),
                    )
                )
        return out

    def start_recording(self) -> None:
        if self.run is not None:
            return
        run = RecordingRun(
            self.db,
            self._make_recorder,
            self.current_task(),
            self.settings.reasoning_mode,
            own_windows=self._own_windows,
        )
        try:
            session_id = run.start()
        except DemotraceError as exc:
            QMessageBox.warning(self, "Cannot record", str(exc))
            return
        self.run = run
        self.control_bar = ControlBar(run)
        self.prompt = LivePrompt()
        run.ask_reasoning.connect(self._ask)
        self.prompt.answered.connect(self._answered)
        run.stopped.connect(self._stopped)
        run.failed.connect(self._recording_failed)
        # Out of the way: the bar stays, the window goes.
        self.hide()
        self.control_bar.place()
        self.control_bar.show()
        run.update_own_windows()
        announce(
            "recording",
            {
                "mark": self.control_bar.mark,
                "stop": self.control_bar.stop,
                "pause": self.control_bar.pause,
                "think_aloud": self.control_bar.think_aloud,
            },
            session=session_id,
            reasoning_mode=run.reasoning_mode,
        )
        run.changed.connect(self._announce_counts)
        self.recording_changed.emit()

    def _announce_counts(self) -> None:
        run, bar = self.run, self.control_bar
        if run is not None and bar is not None:
            shown = bar.steps.text()
            if shown != getattr(self, "_last_shown", None):
                self._last_shown = shown
                announce("counts", steps=shown, decision_points=bar.decisions.text())
            privacy = bar.privacy.text()
            if privacy != getattr(self, "_last_privacy", ""):
                self._last_privacy = privacy
                announce("privacy", text=privacy)

    def _ask(self) -> None:
        assert self.prompt is not None and self.run is not None
        self.prompt.ask()
        self.prompt.adjustSize()
        self.run.update_own_windows()
        fields = {f"prompt_{k}": f for k, f in self.prompt.fields.items()}
        announce("prompt", {**fields, "resume": self.prompt.resume})

    def _answered(self, note: str) -> None:
        if self.run is not None:
            self.run.answered(note)
            announce("prompt closed", note=note)

    def stop_recording(self) -> None:
        if self.run is not None:
            self.run.stop()

    def _stopped(self, session_id: str) -> None:
        run = self.run
        self.run = None
        if self.prompt is not None:
            self.prompt.hide()
        if self.control_bar is not None:
            self.control_bar.hide()
            self.control_bar.deleteLater()
            self.control_bar = None
        if self._closing:
            return
        self.show()
        self.refresh()
        self.recording_changed.emit()
        announce("stopped", session=session_id, steps=run.steps if run else 0)
        mode = run.reasoning_mode if run else self.settings.reasoning_mode
        trajectory = Trajectory(self.db, session_id, self._who())
        indices = walk_indices(trajectory, mode)
        if not indices:
            self.open_session(session_id)
            return
        self.walkthrough = Walkthrough(
            trajectory, SessionFrames(self.db, session_id), indices, self
        )
        self.walkthrough.finished_walk.connect(self.open_session)
        self.walkthrough.show()
        announce(
            "walkthrough",
            {"note": self.walkthrough.note, "next": self.walkthrough.next},
            decision_points=indices,
        )

    # -- the step editor

    def _open_selected(self) -> None:
        i = self.take_table.currentIndex()
        if i.isValid():
            self.open_session(self.takes.take_at(i.row()).id)

    def open_session(self, session_id: str) -> None:
        self.close_editor()
        self.walkthrough = None
        frames = SessionFrames(self.db, session_id)
        self._thumbnails = Thumbnails(frames, THUMBNAIL)
        model = StepListModel(Trajectory(self.db, session_id, self._who()), self._thumbnails)
        self.editor = StepEditor(model, frames)
        self.editor.closed.connect(self.close_editor)
        self.editor.submitted.connect(self._submitted)
        self.pages.addWidget(self.editor)
        self.pages.setCurrentWidget(self.editor)
        self.editor.list.setFocus()
        # Once laid out: where its controls are is only known then.
        QTimer.singleShot(0, lambda: self._announce_editor(session_id))

    def _announce_editor(self, session_id: str) -> None:
        editor = self.editor
        if editor is None:
            return
        submit = editor.toolbar.widgetForAction(editor.actions_by_name["submit"])
        announce(
            "editor",
            {"list": editor.list, "submit": submit},
            session=session_id,
            steps=editor.model.rowCount(),
        )

    def close_editor(self) -> None:
        if self.editor is None:
            return
        self.pages.setCurrentIndex(0)
        self.pages.removeWidget(self.editor)
        self.editor.deleteLater()
        self.editor = None
        if self._thumbnails is not None:
            self._thumbnails.close()
            self._thumbnails = None
        self.refresh()

    def _submitted(self, session_id: str) -> None:
        announce("submitted", session=session_id)
        self.close_editor()
        self.statusBar().showMessage(f"Submitted session {short_id(session_id)}", 10_000)

    def shutdown(self) -> None:
        """Stop and finalize a recording in progress (closing, SIGTERM), waiting for it."""
        self._closing = True  # nothing more to show: no walkthrough, no editor
        if self.run is not None:
            self.run.stop(wait=True)
        if self.editor is not None:
            self.editor.save_note()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _html(text: str) -> str:
    from html import escape

    return escape(text).replace("\n", "<br>")
