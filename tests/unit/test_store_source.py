"""A stored session read as a Trajectory: header, steps with frames by hash, pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from capture.store.database import Database
from replay.store_source import StoreTrajectory
from tests.stored import HEIGHT, WIDTH, stored_session


def test_a_stored_session_reads_as_a_trajectory(db: Database) -> None:
    made = stored_session(db, task="Save the letter")
    source = StoreTrajectory(db, made.id)
    traj = source.trajectory
    assert traj.session_id == made.id
    assert traj.task.instruction == "Save the letter"
    assert (traj.screen.width, traj.screen.height, traj.screen.scale) == (WIDTH, HEIGHT, 1.0)
    assert traj.annotator == "ann"
    types = [s.action.type for s in traj.steps]
    assert types == ["click", "type", "scroll", "drag", "hotkey", "key"]
    assert traj.steps[1].action["text"] == "hello world"
    for step in traj.steps:
        assert isinstance(step.before_frame, str) and step.before_frame in traj.frames
        info = traj.frames[step.before_frame]
        assert (info.width, info.height) == (WIDTH, HEIGHT)
    click = traj.steps[0]
    pixels = source.frames.rgb(str(click.before_frame))
    assert pixels.shape == (HEIGHT, WIDTH, 3) and pixels.dtype == np.uint8
    # the dark square sits where the click landed
    assert pixels[30, 40].max() == 20 and pixels[0, 0].max() > 20
    assert len(list(source.events())) == len(made.script.events)


def test_a_sessions_redactions_cover_its_frames_wherever_they_are_read(
    db: Database, tmp_path: Path
) -> None:
    from capture.privacy.redact import Redaction
    from capture.screen import Rect
    from capture.store.redactions import add_redaction
    from replay.bundle.reader import open_bundle
    from replay.export.registry import ExportOptions, exporter, write_atomically

    made = stored_session(db)
    click = StoreTrajectory(db, made.id).trajectory.steps[0]
    plain = StoreTrajectory(db, made.id).frames.rgb(str(click.before_frame))
    # A rectangle over where the click landed (its dark square at 36..44, 26..34).
    add_redaction(db, Redaction("rect", rect=Rect(24, 16, 32, 32), session_id=made.id))

    source = StoreTrajectory(db, made.id)
    shown = source.frames.rgb(str(click.before_frame))
    assert not np.array_equal(shown[16:48, 24:56], plain[16:48, 24:56])
    assert shown[30, 40].max() > 20  # the dark square is blurred into its surroundings
    assert np.array_equal(shown[100:, 100:], plain[100:, 100:])  # the rest is untouched
    # The executor compares with the live screen and reads the frame as it was.
    raw = StoreTrajectory(db, made.id, redacted=False).frames.rgb(str(click.before_frame))
    assert np.array_equal(raw, plain)

    out = tmp_path / "redacted-bundle"
    write_atomically(
        out, False, lambda tmp: exporter("bundle").export([source], tmp, ExportOptions(), _quiet)
    )
    bundle = open_bundle(out)
    first = bundle.trajectory.steps[0]
    exported = bundle.frames.rgb(str(first.before_frame))
    assert np.array_equal(exported, shown)


def _quiet(done: int, total: int) -> None:
    return None
