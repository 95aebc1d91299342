"""The viewer's time axis and play head, and the scene drawn at a moment (no Qt)."""

from __future__ import annotations

import numpy as np

from capture.store.database import Database
from capture.store.reviews import add_review
from replay.drawing import DRAG
from replay.store_source import StoreTrajectory
from replay.timeline import RESTART_NS, Playback, Scene, Timeline, pointer_track
from tests.stored import stored_session


def timeline(db: Database) -> tuple[Timeline, StoreTrajectory]:
    sid = stored_session(db).id
    add_review(db, sid, reviewer="rita", verdict="needs_changes", comments=[(3, "too long")])
    source = StoreTrajectory(db, sid)
    return Timeline(source.trajectory, pointer_track(source.events())), source


def test_rows_frames_and_pointer_at_any_moment(db: Database) -> None:
    tl, _ = timeline(db)
    steps = tl.steps
    assert [s.action.type for s in steps] == ["click", "type", "scroll", "drag", "hotkey", "key"]
    assert tl.row_at(0) == 0
    assert tl.row_at(steps[2].t_start) == 2
    assert tl.row_at(steps[2].t_start - 1) == 1
    assert tl.row_at(tl.duration_ns) == 5
    # The screen shown at a step's start is its before frame.
    for step in steps:
        frame = tl.frame_at(step.t_start)
        assert frame is not None and frame.hash == step.before_frame
    drag = steps[3].action["path"]
    mid = (steps[3].t_start + steps[3].t_end) // 2
    x, y = tl.pointer_at(mid) or (0, 0)
    assert drag[0][0] < x < drag[-1][0] and drag[0][1] < y < drag[-1][1]
    kinds = {(m.kind, m.row) for m in tl.markers}
    assert ("decision", 0) in kinds and ("comment", 3) in kinds


def test_playback_steps_seeks_and_never_skips_a_step(db: Database) -> None:
    tl, _ = timeline(db)
    p = Playback(tl)
    assert p.row == 0
    p.next_step()
    p.next_step()
    assert p.row == 2 and p.position == tl.start(2)
    p.previous_step()
    assert p.row == 1
    p.seek(tl.start(1) + RESTART_NS + 1)
    p.previous_step()  # well into a step: back to its start first
    assert p.position == tl.start(1)
    p.seek_row(99)
    assert p.row == 5
    p.seek(-5)
    assert p.position == 0
    p.speed = 8.0
    p.play()
    seen = [p.row]  # what is on screen when play starts
    for _ in range(1000):
        p.advance(10_000_000_000)  # ten seconds per tick at x8: far more than the whole session
        seen.append(p.row)
        if not p.playing:
            break
    assert sorted(set(seen)) == list(range(6))  # every step shown at least once
    assert not p.playing and p.position == tl.duration_ns
    p.faster()
    assert p.speed == 8.0
    p.slower()
    assert p.speed == 4.0


def test_scene_draws_the_drag_so_far_and_the_pointer(db: Database) -> None:
    tl, source = timeline(db)
    scene = Scene(tl, source.frames)
    drag = tl.steps[3]
    early = scene.render(drag.t_start + (drag.t_end - drag.t_start) // 4)
    late = scene.render(drag.t_end)
    assert early is not None and late is not None

    def blue(img: np.ndarray) -> int:
        return int((np.abs(img.astype(int) - np.array(DRAG)).sum(axis=2) < 60).sum())

    assert 0 < blue(early) < blue(late)
    # Rendering never changes the decoded frame it draws on.
    info = tl.frame_at(drag.t_end)
    assert info is not None
    assert (scene.pixels(info.hash) == source.frames.rgb(info.hash)).all()


def test_the_stores_pointer_track_and_frames_match_the_raw_events(db: Database) -> None:
    from capture.store.playback import pointer_track as stored_track
    from capture.store.playback import stored_frames
    from capture.store.recording import load_recording

    sid = stored_session(db).id
    recording = load_recording(db, sid)
    t, xy = stored_track(db, sid)
    t2, xy2 = pointer_track(recording.raw_events)
    assert len(t) > 20 and (t == t2).all() and (xy == xy2).all()
    assert stored_frames(db, sid) == sorted(recording.frames, key=lambda f: (f.t_ns, f.id))


def test_playback_shortens_long_idle_stretches(db: Database) -> None:
    from replay.player import DEFAULT_IDLE_LIMIT
    from tests.unit.factories import Script

    script = Script().glide(0, 0, 40, 30).click(40, 30).wait(9000).click(80, 60).wait(300)
    source = StoreTrajectory(db, stored_session(db, script).id)
    tl = Timeline(source.trajectory, pointer_track(source.events()))
    p = Playback(tl)
    p.play()
    limit_ns = int(DEFAULT_IDLE_LIMIT * 1e9)
    first_end = tl.steps[0].t_end
    played = 0
    while p.row == 0:
        p.advance(100_000_000)
        played += 100_000_000
    assert p.position == tl.start(1)
    # Played the step and at most the idle limit of the 9 s pause (plus one tick).
    assert played <= first_end - tl.start(0) + limit_ns + 100_000_000
