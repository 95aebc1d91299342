"""What the main window does with a session besides editing it: review, export, a sample.

Kept apart from ``main_window`` so the window stays a layout; each action is
the same logic the CLI runs (``view``, ``export``, ``import``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from capture.errors import DemotraceError
from capture.store.database import Database
from desktop.inject_dialog import InjectRun

# The sample trajectory shipped beside the code (samples/record_sample.py re-records it).
SAMPLE_BUNDLE = Path(__file__).resolve().parents[1] / "samples" / "fill-the-form"


def sample_bundle() -> Path | None:
    """The sample bundle, when this installation has it (a source checkout does)."""
    return SAMPLE_BUNDLE if (SAMPLE_BUNDLE / "trajectory.json").is_file() else None


def bundle_paths(mime: QMimeData) -> list[Path]:
    """The bundles among dropped files: directories, ``.zip`` files, a ``trajectory.json``."""
    out = []
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.name == "trajectory.json":
            path = path.parent
        if path.is_dir() or path.suffix.lower() == ".zip":
            out.append(path)
    return out


class SessionActions:
    def __init__(
        self,
        db: Database,
        parent: QWidget,
        who: Callable[[], str],
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._parent = parent
        self._who = who
        self._changed = changed  # the store gained a session: the window refreshes
        self.windows: list[QWidget] = []  # open viewers, kept alive while shown
        self.injection: InjectRun | None = None

    def review(self, session_id: str) -> QWidget | None:
        """The replay viewer with its grading form, on one stored session."""
        from desktop.viewer.open import session_viewer

        try:
            window = session_viewer(self._db, session_id, self._who())
        except DemotraceError as exc:
            QMessageBox.warning(self._parent, "Cannot open the session", str(exc))
            return None
        self.windows = [w for w in self.windows if w.isVisible()]
        self.windows.append(window)
        window.show()
        return window

    def view_bundle(self, path: Path) -> QWidget | None:
        """A bundle in the viewer; a review saved there imports the bundle first, then is stored."""
        from desktop.viewer.open import store_saver
        from desktop.viewer.window import ViewerWindow
        from replay.bundle.importing import import_bundle
        from replay.bundle.reader import open_bundle
        from replay.trajectory import Review

        try:
            bundle = open_bundle(path)
        except DemotraceError as exc:
            QMessageBox.warning(self._parent, "Cannot open the bundle", str(exc))
            return None

        def save(review: Review) -> None:
            result = import_bundle(self._db, path)
            store_saver(self._db, result.session_id)(review)

        window = ViewerWindow(bundle, save_review=save, reviewer=self._who())
        self.windows = [w for w in self.windows if w.isVisible()]
        self.windows.append(window)
        window.show()
        return window

    def open_bundle(self) -> None:
        """Choose a bundle (its .zip, or the trajectory.json of a directory) and view it."""
        name, _ = QFileDialog.getOpenFileName(
            self._parent, "Open a trajectory bundle", "", "Bundles (*.zip trajectory.json)"
        )
        if name:
            path = Path(name)
            self.view_bundle(path.parent if path.name == "trajectory.json" else path)

    def export(self, session_id: str | None) -> None:
        """The export dialog; the export itself as ``demotrace export`` runs it."""
        from desktop.commands.export import export_sessions
        from desktop.export_dialog import ExportDialog

        dialog = ExportDialog(session_id, self._parent)
        if not dialog.exec():
            return
        request = dialog.request()
        if request is None:
            return
        progress = QProgressDialog("Exporting…", "", 0, 100, self._parent)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def step(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            QApplication.processEvents()

        notes: list[str] = []
        try:
            count = export_sessions(self._db, request, step, notes.append)
        except DemotraceError as exc:
            QMessageBox.warning(self._parent, "Export failed", str(exc))
            return
        finally:
            progress.close()
        said = "".join(f"\n\n{n[0].upper()}{n[1:]}" for n in notes)
        QMessageBox.information(
            self._parent,
            "Exported",
            f"Exported {count} session(s) as {request.format} to {request.out}.{said}",
        )

    def inject(self, session_id: str, current: int | None = None) -> InjectRun | None:
        """Choose a step and a fault; replay up to it, apply it, record the recovery."""
        from capture.store.steps import current_steps
        from desktop.inject_dialog import InjectDialog

        if self.injection is not None:
            return None
        indices = [s.index for s in current_steps(self._db, session_id)]
        if not indices:
            QMessageBox.warning(self._parent, "Cannot inject", "The session has no steps.")
            return None
        dialog = InjectDialog(session_id, self._db.url, indices, current, self._parent)
        if not dialog.exec() or dialog.result_request is None:
            return None
        return self.start_injection(dialog.result_request.argv())

    def start_injection(self, argv: list[str]) -> InjectRun:
        """Run ``demotrace inject`` with the app out of the way of the replay."""
        from desktop.applog import announce
        from desktop.inject_dialog import InjectRun

        run = InjectRun(argv, self._parent)
        self.injection = run
        self._parent.hide()  # the replay waits for the recorded screens: nothing of ours on top

        def taken_over(session_id: str) -> None:
            announce("inject recording", session=session_id)

        def finished(ok: bool, message: str) -> None:
            self.injection = None
            self._parent.show()
            self._changed()
            announce("inject finished", ok=ok, session=run.session_id, message=message)
            if not ok:
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    "Fault injection stopped",
                    message,
                    parent=self._parent,
                )
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()

        run.taken_over.connect(taken_over)
        run.finished.connect(finished)
        run.start()
        return run

    def stats(self) -> QWidget:
        """The store's statistics: categories, outcomes, faults and recoveries, mistakes."""
        from capture.store.stats import collect_stats
        from desktop.stats_view import StatsDialog

        dialog = StatsDialog(lambda: collect_stats(self._db), self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_sample(self) -> str | None:
        """Import the sample trajectory (once) and open it in the viewer; its session id."""
        from replay.bundle.importing import import_bundle

        bundle = sample_bundle()
        if bundle is None:
            return None
        try:
            result = import_bundle(self._db, bundle, lambda _done, _total: None)
        except DemotraceError as exc:
            QMessageBox.warning(self._parent, "Cannot open the sample", str(exc))
            return None
        self.review(result.session_id)
        return result.session_id
