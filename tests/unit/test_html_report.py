"""The HTML report: one self-contained file with frames, actions drawn, notes and reviews."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from capture.segment import Action
from capture.store.database import Database
from capture.store.reviews import add_review
from replay.drawing import CLICK, Projection, draw_action, scaled
from replay.export.registry import ExportError, ExportOptions, exporter, write_atomically
from replay.store_source import StoreTrajectory
from tests.stored import stored_session


def images(html: str) -> list[np.ndarray]:
    out = []
    for data in re.findall(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', html):
        raw = np.frombuffer(base64.b64decode(data), np.uint8)
        out.append(cv2.cvtColor(cv2.imdecode(raw, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))
    return out


def test_report_is_self_contained_with_actions_notes_and_reviews(
    db: Database, tmp_path: Path
) -> None:
    sid = stored_session(db, width=640, height=400).id
    add_review(
        db,
        sid,
        reviewer="rita <qa>",
        verdict="needs_changes",
        goal="partly",
        efficiency=2,
        redundant_steps=[2],
        comments=[(0, "why here?"), (None, "<b>redo</b> the drag")],
    )
    out = tmp_path / "report.html"
    write_atomically(
        out,
        False,
        lambda tmp: exporter("html").export(
            [StoreTrajectory(db, sid)], tmp, ExportOptions(max_size=320), lambda d, t: None
        ),
    )
    html = out.read_text()
    # Nothing outside the file: every src and href is inline.
    assert not re.search(r'(src|href)="(?!data:|#)', html)
    assert "rita &lt;qa&gt;" in html and "&lt;b&gt;redo&lt;/b&gt; the drag" in html
    assert "why here?" in html and "flagged redundant" in html
    assert "goal partly, efficiency 2" in html
    assert 'typed "hello world"' not in html  # captions are drawn in the picture, not written
    assert html.count('<article class="step"') == 6
    pictures = images(html)
    assert len(pictures) == 6
    assert max(pictures[0].shape[:2]) == 320  # scaled down to --max-size
    # The click of step 0 at (40, 30) is marked on its picture (half size): the ripple's red.
    x, y = 20, 15
    patch = pictures[0][y - 12 : y + 12, x - 12 : x + 12].reshape(-1, 3).astype(int)
    assert (np.abs(patch - np.array(CLICK)).sum(axis=1) < 90).any()


def test_several_sessions_write_one_file_each(db: Database, tmp_path: Path) -> None:
    ids = [stored_session(db).id, stored_session(db).id]
    out = tmp_path / "reports"
    sources = [StoreTrajectory(db, sid) for sid in ids]
    exporter("html").export(sources, out, ExportOptions(), lambda d, t: None)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{sid}.html" for sid in ids)
    with pytest.raises(ExportError, match="exists"):
        write_atomically(out, False, lambda tmp: None)


def test_drawing_marks_each_kind_of_action() -> None:
    base = np.full((200, 300, 3), 255, np.uint8)
    where = Projection(left=100, top=0, sx=0.5, sy=0.5)  # a half-size frame of a monitor at x=100
    for action in (
        Action.make("click", x=300, y=200, button="left", modifiers=()),
        Action.make("drag", path=[[120, 40], [400, 300]], button="left", modifiers=()),
        Action.make("scroll", x=300, y=100, dx=0, dy=3),
        Action.make("type", text="héllo\n"),
        Action.make("hotkey", keys=["ctrl", "s"]),
    ):
        img = draw_action(base.copy(), action, where)
        assert (img != base).any(), action.type
    clicked = draw_action(
        base.copy(), Action.make("click", x=300, y=200, button="left", modifiers=()), where
    )
    assert tuple(int(v) for v in clicked[100, 100]) == CLICK  # (300-100)/2, 200/2
    half = draw_action(
        base.copy(),
        Action.make("drag", path=[[100, 0], [300, 0], [500, 380]], button="left", modifiers=()),
        Projection(),
        0.3,
    )
    assert (half[150:, 250:] == 255).all()  # a third of the way: the end is not drawn yet
    assert scaled(base, 150).shape == (100, 150, 3)


def test_report_names_the_element_each_action_landed_on(db: Database, tmp_path: Path) -> None:
    from tests.exports import annotated, export

    out = export("html", [annotated(db)], tmp_path / "report.html")
    steps = out.read_text().split('<article class="step"')[1:]
    assert "on “Name” (text)" in steps[0]
    assert all("(text)</span>" not in s for s in steps[1:])  # no element read there
