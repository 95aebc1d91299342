"""context.mp4: written from the kept frames at their times, read back with PyAV, checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from capture.store.database import Database, sqlite_url
from capture.store.playback import stored_frames
from desktop.cli import main
from replay.bundle import BundleError, open_bundle
from replay.bundle.video import frame_at
from tests.stored import stored_session
from tests.unit.test_bundle import FIXTURE_V2, copy_fixture, zip_dir


def _export(db: Database, tmp_path: Path, session: str, name: str = "out") -> Path:
    out = tmp_path / name
    url = sqlite_url(tmp_path / "store.db")
    args = ["export", session, "--format", "bundle", "--out", str(out), "--db", url, "--video"]
    assert main(args) == 0
    return out


def test_video_holds_every_kept_frame_at_its_time(db: Database, tmp_path: Path) -> None:
    stored = stored_session(db)
    kept = stored_frames(db, stored.id)
    out = _export(db, tmp_path, stored.id)
    with open_bundle(out) as bundle:
        bundle.check()
        info = bundle.video
        traj = bundle.trajectory
    assert info is not None and (out / "context.mp4").is_file()
    assert (info.width, info.height, info.codec, info.pix_fmt) == (320, 200, "h264", "yuv420p")
    assert info.frames == len(kept) and info.fps == traj.fps
    with av.open(str(out / "context.mp4")) as container:
        times = [float(f.time) for f in container.decode(container.streams.video[0])]
    # The same clock as trajectory.json, to the millisecond.
    assert times == [round(f.t_ns / 1e9, 3) for f in kept]
    assert info.start_s == times[0] and info.duration_s == pytest.approx(times[-1] - times[0])

    def diff(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())

    with open_bundle(out) as bundle:
        for step in traj.steps:
            shown = frame_at(bundle.open_video, step.t_start / 1e9)
            assert shown is not None and step.before_frame is not None
            before = bundle.frames.rgb(str(step.before_frame))
            others = [bundle.frames.rgb(h) for h in traj.frames if h != step.before_frame]
            # Lossy, but far nearer its own before-frame than to any other frame.
            assert diff(shown, before) < 3
            assert all(diff(shown, o) > 10 * diff(shown, before) for o in others)
        assert frame_at(bundle.open_video, 0.0) is None  # before the first kept frame


def test_odd_screen_sizes_are_padded_to_even(db: Database, tmp_path: Path) -> None:
    stored = stored_session(db, width=321, height=201)
    out = _export(db, tmp_path, stored.id, "odd.zip")
    with open_bundle(out) as bundle:
        bundle.check()
        assert bundle.video is not None
        assert (bundle.video.width, bundle.video.height) == (322, 202)
        shown = frame_at(bundle.open_video, bundle.video.start_s + bundle.video.duration_s)
        assert shown is not None and shown.shape == (202, 322, 3)
        # Black padding: dark in brightness (colour is shared by 2x2 pixels, so some bleeds).
        gray = cv2.cvtColor(shown, cv2.COLOR_RGB2GRAY).astype(float)
        assert gray[:, 321].mean() < gray[:, 319].mean() - 15
        assert gray[201, :].mean() < gray[199, :].mean() - 15


def test_without_video_flag_there_is_no_video(db: Database, tmp_path: Path) -> None:
    stored = stored_session(db)
    url = sqlite_url(tmp_path / "store.db")
    out = tmp_path / "plain"
    assert main(["export", stored.id, "--format", "bundle", "--out", str(out), "--db", url]) == 0
    assert not (out / "context.mp4").exists()
    assert json.loads((out / "trajectory.json").read_text())["context_video"] is None


def test_video_flag_is_for_bundles_only(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = stored_session(db)
    url = sqlite_url(tmp_path / "store.db")
    out = tmp_path / "o"
    args = ["export", stored.id, "--format", "markdown", "--out", str(out), "--db", url]
    assert main([*args, "--video"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--video applies to --format bundle only" in err
    assert not out.exists()


def _truncate(video: Path) -> None:
    data = video.read_bytes()
    video.write_bytes(data[: len(data) * 2 // 3])


def _garbage(video: Path) -> None:
    video.write_bytes(b"\0" * 4096)


def _no_video(video: Path) -> None:
    video.unlink()


DAMAGE = [
    ("truncated", _truncate, "context.mp4"),
    ("not a video", _garbage, "context.mp4 is damaged or truncated"),
    ("missing", _no_video, "context.mp4 is missing"),
]


@pytest.mark.parametrize(("case", "damage", "message"), DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_video_is_refused_in_one_line(
    tmp_path: Path, case: str, damage: object, message: str
) -> None:
    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    damage(bundle / "context.mp4")  # type: ignore[operator]
    with pytest.raises(BundleError, match=message) as err:
        open_bundle(bundle)
    assert "\n" not in str(err.value)


def test_import_of_a_damaged_video_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    _truncate(bundle / "context.mp4")
    url = sqlite_url(tmp_path / "store.db")
    assert main(["import", str(bundle), "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "context.mp4" in err
    assert main(["import", str(copy_fixture(tmp_path / "good", FIXTURE_V2)), "--db", url]) == 0
    assert "its context.mp4 was kept with it" in capsys.readouterr().out


def _edit_video(bundle: Path, **fields: object) -> None:
    path = bundle / "trajectory.json"
    doc = json.loads(path.read_text())
    doc["context_video"].update(fields)
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"frames": 7}, "holds 6 frames, but context_video says 7"),
        ({"width": 640}, "is 320x200, but context_video says 640x200"),
        ({"width": 321}, "both sides must be even"),
        ({"codec": "vp9"}, "is h264, but context_video says vp9"),
        ({"start_s": 0.5}, "spans 0.141-4.312 s"),
        ({"duration_s": 9.0}, "spans 0.141-4.312 s"),
        ({"file": "../x.mp4"}, "context_video.file must be 'context.mp4'"),
    ],
)
def test_header_and_video_must_agree(
    tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    _edit_video(bundle, **fields)
    with pytest.raises(BundleError, match=message) as err:
        open_bundle(bundle)
    assert "\n" not in str(err.value)


def test_an_undescribed_video_is_refused(tmp_path: Path) -> None:
    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    path = bundle / "trajectory.json"
    doc = json.loads(path.read_text())
    doc["context_video"] = None
    path.write_text(json.dumps(doc))
    with pytest.raises(BundleError, match=r"context\.mp4 is present but trajectory\.json has no"):
        open_bundle(bundle)


def test_a_video_in_a_version_1_bundle_is_ignored(tmp_path: Path) -> None:
    bundle = copy_fixture(tmp_path)
    shutil.copy(FIXTURE_V2 / "context.mp4", bundle / "context.mp4")
    with open_bundle(bundle) as b:
        assert b.video is None


def test_video_is_read_in_place_from_a_zip(tmp_path: Path) -> None:
    with open_bundle(zip_dir(FIXTURE_V2, tmp_path / "b.zip")) as bundle:
        bundle.check()
        shown = frame_at(bundle.open_video, 1.0)
        assert shown is not None and shown.shape == (200, 320, 3)


def test_the_video_shows_frames_redacted(db: Database, tmp_path: Path) -> None:
    from capture.privacy.redact import Redaction
    from capture.screen import Rect
    from capture.store.redactions import add_redaction

    stored = stored_session(db)
    # A rectangle over where the first click landed (its dark square at 36..44, 26..34).
    add_redaction(db, Redaction("rect", rect=Rect(24, 16, 32, 32), session_id=stored.id))
    out = _export(db, tmp_path, stored.id)
    with open_bundle(out) as bundle:
        click = bundle.trajectory.steps[0]
        shown = frame_at(bundle.open_video, click.t_start / 1e9)
    assert shown is not None
    gray = cv2.cvtColor(shown, cv2.COLOR_RGB2GRAY)
    # Unredacted, the square is near black (20); blurred into its bright surroundings it is not.
    assert gray[28:33, 38:43].min() > 60


def test_progress_counts_the_frames_then_the_video(db: Database, tmp_path: Path) -> None:
    from replay.bundle import write_bundle
    from replay.store_source import StoreTrajectory

    stored = stored_session(db)
    source = StoreTrajectory(db, stored.id)
    seen: list[tuple[int, int]] = []
    write_bundle(source, tmp_path / "b", lambda done, total: seen.append((done, total)), source)
    total = len(source.trajectory.frames) + len(stored_frames(db, stored.id))
    assert [done for done, _ in seen] == list(range(1, total + 1))
    assert {t for _, t in seen} == {total}
