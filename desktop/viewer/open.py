"""Opening the viewer on a stored session, with reviews saved back to the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capture.store.database import Database
from capture.store.playback import pointer_track
from replay.review import store_review
from replay.store_source import StoreTrajectory
from replay.trajectory import Review

if TYPE_CHECKING:
    from desktop.viewer.grading import SaveReview
    from desktop.viewer.window import ViewerWindow


def store_saver(db: Database, session_id: str) -> SaveReview:
    """Writes a review the form has validated into the store."""

    def save(review: Review) -> None:
        store_review(db, session_id, review)

    return save


def session_viewer(db: Database, session_id: str, reviewer: str | None = None) -> ViewerWindow:
    """A viewer on one stored session (the main window opens it this way too)."""
    from desktop.viewer.window import ViewerWindow

    return ViewerWindow(
        StoreTrajectory(db, session_id),
        save_review=store_saver(db, session_id),
        reviewer=reviewer,
        pointer=pointer_track(db, session_id),
    )
