"""The viewer window: the screen played back, the timeline, the steps, the notes, the grading form.

``ViewerWindow(source, save_review=...)`` opens any ``TrajectorySource`` (a
stored session or a bundle). Keys: Space play/pause, Right/Left next/previous
step, Home/End first/last step, +/- speed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from html import escape
from typing import Any

import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from capture.store.reviews import STAGE_OF_VERDICT
from desktop.viewer.controller import PlaybackController
from desktop.viewer.grading import GradingForm, SaveReview
from desktop.viewer.models import StepListModel
from desktop.viewer.widgets import ImageView, StepStrip, TimelineBar, to_qimage
from replay.agreement import agreement
from replay.describe import describe_action
from replay.drawing import Projection, draw_action
from replay.review import comments_by_step, rubric_line
from replay.timeline import Playback, PointerTrack, Scene, Timeline, pointer_track
from replay.trajectory import Review, Trajectory, TrajectorySource

# Longest edge of the before / action / after pictures.
THUMBNAIL_EDGE = 480


class ViewerWindow(QMainWindow):
    def __init__(
        self,
        source: TrajectorySource,
        save_review: SaveReview | None = None,
        reviewer: str | None = None,
        pointer: PointerTrack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``pointer``: the pointer's track when the caller has a quicker way to it than
        reading every raw event of ``source``."""
        super().__init__(parent)
        self.source = source
        traj = source.trajectory
        self._pointer = pointer if pointer is not None else pointer_track(source.events())
        self.timeline = Timeline(traj, self._pointer)
        self.scene = Scene(self.timeline, source.frames)
        self.controller = PlaybackController(Playback(self.timeline))
        self.steps = StepListModel(self.timeline)

        self.screen_view = ImageView()
        self.bar = TimelineBar(self.timeline)
        self.play_button = QPushButton("Play")
        self.prev_button = QPushButton("◀ Step")
        self.next_button = QPushButton("Step ▶")
        self.speed_label = QLabel()
        self.time_label = QLabel()
        self.strip = StepStrip()
        self.table = QTableView()
        self.table.setModel(self.steps)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Widths fitted once, from the first rows: refitting on every change would read
        # every row of a long session on each step.
        header.setResizeContentsPrecision(100)
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(3, min(180, self.table.columnWidth(3)))
        self.table.setColumnWidth(5, 150)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.details = QTextBrowser()
        self.reviews_view = QTextBrowser()
        self.form = GradingForm((s.index for s in traj.steps), save_review, reviewer)
        self._strip_timer = QTimer(self)
        self._strip_timer.setSingleShot(True)
        self._strip_timer.setInterval(0)
        self._strip_timer.timeout.connect(self._show_strip)
        self._build()
        self._connect()
        self.resize(1500, 900)
        self._show_row(self.controller.row)
        self._show_position(self.controller.playback.position)
        self._show_reviews()
        self._show_state()

    # -- layout

    def _build(self) -> None:
        controls = QHBoxLayout()
        for w in (self.prev_button, self.play_button, self.next_button):
            controls.addWidget(w)
        controls.addWidget(self.speed_label)
        controls.addStretch(1)
        controls.addWidget(self.time_label)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(6, 6, 6, 6)
        lv.addWidget(self.screen_view, 5)
        lv.addWidget(self.bar)
        lv.addLayout(controls)
        lv.addWidget(self.strip, 2)

        steps_tab = QSplitter(Qt.Orientation.Vertical)
        steps_tab.addWidget(self.table)
        steps_tab.addWidget(self.details)
        steps_tab.setSizes([500, 260])
        self.tabs = QTabWidget()
        self.tabs.addTab(steps_tab, "Steps")
        self.tabs.addTab(self.form, "Grade")
        self.tabs.addTab(self.reviews_view, "Reviews")

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setSizes([1000, 500])
        self.setCentralWidget(split)

    def _connect(self) -> None:
        c = self.controller
        c.position_changed.connect(self._show_position)
        c.row_changed.connect(self._show_row)
        c.state_changed.connect(self._show_state)
        self.bar.seek_requested.connect(c.seek)
        self.play_button.clicked.connect(c.toggle)
        self.prev_button.clicked.connect(c.previous_step)
        self.next_button.clicked.connect(c.next_step)
        self.table.selectionModel().currentRowChanged.connect(self._row_picked)
        self.form.saved.connect(self._review_saved)
        keys = [
            (Qt.Key.Key_Space, c.toggle),
            (Qt.Key.Key_Right, c.next_step),
            (Qt.Key.Key_Left, c.previous_step),
            (Qt.Key.Key_Home, lambda: c.seek_row(0)),
            (Qt.Key.Key_End, lambda: c.seek_row(len(self.timeline.steps) - 1)),
            (Qt.Key.Key_Plus, c.faster),
            (Qt.Key.Key_Equal, c.faster),
            (Qt.Key.Key_Minus, c.slower),
        ]
        for key, slot in keys:
            QShortcut(QKeySequence(key), self, slot)

    # -- keeping everything on the same moment

    def _row_picked(self, current: object, _previous: object) -> None:
        row = self.table.currentIndex().row()
        if row >= 0 and row != self.controller.row:
            self.controller.seek_row(row)

    def _show_position(self, t_ns: int) -> None:
        view = self.screen_view
        longest = round(max(view.width(), view.height()) * view.devicePixelRatioF())
        rgb = self.scene.render(t_ns, longest)
        self.screen_view.set_image(None if rgb is None else to_qimage(rgb))
        self.bar.set_position(t_ns)
        end = self.timeline.duration_ns / 1e9
        self.time_label.setText(f"{t_ns / 1e9:6.2f} s / {end:.2f} s")

    def _show_row(self, row: int) -> None:
        if not self.timeline.steps:
            self.setWindowTitle("demotrace viewer — no steps")
            return
        step = self.timeline.steps[row]
        self.steps.set_current(row)
        if self.table.currentIndex().row() != row:
            self.table.selectionModel().setCurrentIndex(
                self.steps.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.table.scrollTo(self.steps.index(row, 0))
        self.form.set_step(step.index)
        self.details.setHtml(self._details_html(row))
        self._strip_timer.start()  # after the screen is painted; one refresh for many seeks
        n = len(self.timeline.steps)
        task = self.timeline.trajectory.task.instruction or self.timeline.trajectory.session_id
        self.setWindowTitle(f"demotrace viewer — {task} — step {step.index} ({row + 1}/{n})")

    def _show_strip(self) -> None:
        if not self.timeline.steps:
            return
        row = self.controller.row
        step = self.timeline.steps[row]
        self.strip.show_images(
            {
                "before": lambda: self._frame(step.before_frame),
                "action": lambda: self._action_picture(row),
                "after": lambda: self._frame(step.after_frame),
            }
        )

    def _show_state(self) -> None:
        p = self.controller.playback
        self.play_button.setText("Pause" if p.playing else "Play")
        self.speed_label.setText(f"speed x{p.speed:g}")

    # -- pictures and text of the current step

    def _frame(self, ref: object) -> np.ndarray | None:
        info = self.timeline.trajectory.frame(ref)
        return None if info is None else self.scene.pixels(info.hash, THUMBNAIL_EDGE, sharp=True)

    def _action_picture(self, row: int) -> np.ndarray | None:
        step = self.timeline.steps[row]
        info = self.timeline.trajectory.frame(step.before_frame)
        if info is None:
            return None
        img = self.scene.pixels(info.hash, THUMBNAIL_EDGE, sharp=True).copy()
        return draw_action(
            img, step.action, Projection.of(info.left, info.top, info.width, info.height, img)
        )

    def _details_html(self, row: int) -> str:
        step = self.timeline.steps[row]
        traj = self.timeline.trajectory
        parts = [
            f"<h3>Step {step.index}: {escape(step.action.type.replace('_', ' '))} "
            f"{escape(describe_action(step.action.to_json()))}</h3>"
        ]
        if step.window is not None:
            parts.append(
                f"<p><b>Window:</b> {escape(step.window.title)} ({escape(step.window.app)})</p>"
            )
        if step.element:
            parts.append(_element_html(step.element))
        if step.decision_point:
            parts.append(f"<p><b>Decision point</b> ({escape(step.decision_reason or '')})</p>")
        note = escape(step.note) if step.note else "<i>no note</i>"
        parts.append(f"<p><b>Note:</b> {note}</p>")
        if step.draft_note:
            parts.append(f"<p><b>Drafted:</b> <i>{escape(step.draft_note)}</i></p>")
        outcome = escape(step.outcome)
        if step.outcome_suggested and step.outcome_suggested != step.outcome:
            outcome += f" (suggested: {escape(step.outcome_suggested)})"
        parts.append(f"<p><b>Outcome:</b> {outcome}</p>")
        if step.tags:
            parts.append(f"<p><b>Tags:</b> {escape(', '.join(step.tags))}</p>")
        for review, comment in comments_by_step(traj.reviews).get(step.index, []):
            parts.append(
                "<p style='background:#fff7ed;border-left:3px solid #f59e0b;padding:4px'>"
                f"<b>{escape(review.reviewer)}</b> ({escape(review.verdict.replace('_', ' '))}): "
                f"{escape(comment.text)}</p>"
            )
        return "".join(parts)

    def _show_reviews(self) -> None:
        traj = self.timeline.trajectory
        if not traj.reviews:
            self.reviews_view.setHtml(f"<p>Stage: {escape(traj.stage)}. Not reviewed yet.</p>")
            return
        rows = [f"<p>Stage: <b>{escape(traj.stage.replace('_', ' '))}</b></p>"]
        for r in traj.reviews:
            rows.append(
                f"<p><b>{escape(r.reviewer)}</b> — {escape(r.verdict.replace('_', ' '))} "
                f"<br>{escape(rubric_line(r))} <br><i>{escape(r.reason)}</i>"
                f"<br><small>{escape(r.created_at[:19].replace('T', ' '))}</small></p>"
            )
        agreed = agreement(traj.reviews)
        if agreed.reviewers >= 2 and agreed.verdict_agreement is not None:
            rows.append(
                f"<p>{agreed.reviewers} reviewers; verdicts agree on "
                f"{agreed.verdict_agreement:.0%} of pairs.</p>"
            )
        self.reviews_view.setHtml("".join(rows))

    def _review_saved(self, review: Review) -> None:
        traj: Trajectory = self.timeline.trajectory
        updated = replace(
            traj, reviews=(*traj.reviews, review), stage=STAGE_OF_VERDICT[review.verdict]
        )
        position = self.controller.playback.position
        self.timeline = Timeline(updated, self._pointer)
        self.scene.timeline = self.timeline
        self.bar.set_timeline(self.timeline)
        self.steps.set_timeline(self.timeline)
        self.controller.playback.timeline = self.timeline
        self.controller.seek(position)
        self._show_row(self.controller.row)
        self._show_reviews()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.pause()
        super().closeEvent(event)


def _element_html(element: Mapping[str, Any]) -> str:
    """The accessible element the action landed on: name, role, box and path; or why none."""
    if "role" not in element:
        return f"<p><b>Element:</b> <i>none ({escape(str(element.get('reason', '')))})</i></p>"
    name = f"“{escape(element['name'])}” " if element.get("name") else ""
    x, y, w, h = element["bbox"]
    path = " &gt; ".join(
        escape(f"{p['role']} “{p['name']}”" if p.get("name") else p["role"])
        for p in element.get("path", [])
    )
    return (
        f"<p><b>Element:</b> {name}({escape(element['role'])}), {w}x{h} at ({x}, {y})"
        + (f"<br><small>{path}</small>" if path else "")
        + "</p>"
    )
