"""A stored session read as a Trajectory: header, steps with frames by hash, pixels."""

from __future__ import annotations

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
