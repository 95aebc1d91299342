"""The statistics view on a real X server: the numbers of the store, laid out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from capture.store.database import Database
from capture.store.models import SessionRow, StepRow
from capture.store.stats import collect_stats
from capture.store.steps import current_steps
from desktop.stats_view import StatsDialog
from tests.stored import stored_session
from tests.xsession import XServer


def test_stats_view_shows_the_store(
    xserver: XServer, db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", xserver.display)
    source = stored_session(db).id
    injected = stored_session(db).id
    current_steps(db, injected)  # read once: its outcomes are suggested (the last: success)
    with db.session() as s:
        s.execute(
            update(SessionRow)
            .where(SessionRow.id == injected)
            .values(origin="injected", source_session_id=source, fault={"kind": "typo", "at": 1})
        )
        s.execute(
            update(StepRow)
            .where(StepRow.session_id == source, StepRow.index == 1)
            .values(tags=["mistake"], error_type="wrong_target")
        )
        s.commit()
    dialog = StatsDialog(lambda: collect_stats(db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    rows = dialog.view.rows()
    assert ("Trajectories", "2", "") in rows
    assert ("  uncategorised", "2", "") in rows
    assert ("Faults injected", "1", "1") in rows
    assert ("  typo", "1", "1") in rows
    assert ("  wrong_target", "1", "") in rows
    stored_session(db)
    dialog.view.refresh_button.click()
    assert ("Trajectories", "3", "") in dialog.view.rows()
    shots = Path(os.environ.get("DEMOTRACE_SCREENSHOTS", tmp_path))
    out = shots / "stats-view.png"
    assert dialog.grab().save(str(out))
    assert out.stat().st_size > 5_000
