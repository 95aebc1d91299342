"""The trajectory bundle: round trips, the v1 fixture, migrations, and every malformed case."""

from __future__ import annotations

import dataclasses
import json
import shutil
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from capture.store.database import Database
from replay.bundle import BundleError, open_bundle, write_bundle
from replay.bundle.compat import migrate
from replay.bundle.schema import FORMAT_VERSION
from replay.store_source import StoreTrajectory
from tests.stored import RULES, stored_session, with_history

FIXTURE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "bundle-v1"
FIXTURE_V2 = Path(__file__).resolve().parents[1] / "fixtures" / "bundle-v2"


def zip_dir(src: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(src.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(src).as_posix())
    return out


def copy_fixture(tmp_path: Path, fixture: Path = FIXTURE_V1) -> Path:
    out = tmp_path / "bundle"
    shutil.copytree(fixture, out)
    return out


def edit_json(bundle: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = bundle / "trajectory.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("name", ["out", "out.zip"])
def test_round_trip_keeps_every_field_and_pixel(db: Database, tmp_path: Path, name: str) -> None:
    stored = stored_session(db)
    with_history(db, stored.id)
    source = StoreTrajectory(db, stored.id)
    write_bundle(source, tmp_path / name, video=source)
    assert (tmp_path / name).is_dir() == (name == "out")
    with open_bundle(tmp_path / name) as bundle:
        bundle.check()
        assert bundle.video is not None and bundle.video.frames == stored.frames
        original, read = source.trajectory, bundle.trajectory
        assert original.rules == RULES and len(original.edits) == 2 and original.targets
        for f in dataclasses.fields(original):
            assert getattr(read, f.name) == getattr(original, f.name), f.name
        assert list(bundle.events()) == list(source.events())
        assert len(read.frames) == stored.frames
        for digest in read.frames:
            assert np.array_equal(bundle.frames.rgb(digest), source.frames.rgb(digest))


def test_frames_are_plain_png_named_by_content(tmp_path: Path) -> None:
    with open_bundle(FIXTURE_V1) as bundle:
        for digest, info in bundle.trajectory.frames.items():
            img = cv2.imread(str(FIXTURE_V1 / "frames" / f"{digest}.png"), cv2.IMREAD_UNCHANGED)
            assert img.shape == (info.height, info.width, 3)


def test_fixture_v1_loads(tmp_path: Path) -> None:
    with open_bundle(FIXTURE_V1) as bundle:
        bundle.check()
        t = bundle.trajectory
        assert t.session_id == "0123456789abcdef0123456789abcdef"
        assert t.task.id == "task0001" and t.task.expected_outcome == "the form is saved"
        assert [s.action.type for s in t.steps] == [
            "click",
            "type",
            "scroll",
            "drag",
            "hotkey",
            "key",
        ]
        assert t.steps[1].action["text"] == "hello world"
        assert t.steps[0].note.startswith("The form is empty")
        assert t.steps[1].tags == ("mistake", "recovery")
        assert t.steps[1].error_type == "wrong_input"
        assert t.steps[0].outcome_suggested == "success"
        assert t.steps[2].t_start == round(t.steps[2].t_start, -3)  # whole microseconds
        review = t.reviews[0]
        assert (review.verdict, review.goal, review.efficiency) == ("accept", "achieved", 4)
        assert [c.step_index for c in review.comments] == [1, None]
        assert t.extra == {"source": "fixture"}
        assert len(list(bundle.events())) == 60
        # Migrated to the current version: what version 1 did not keep is empty.
        assert bundle.version == 1 and bundle.video is None
        assert (t.rules, t.edits, t.targets) == (None, (), {})


def test_fixture_v2_loads() -> None:
    with open_bundle(FIXTURE_V2) as bundle:
        bundle.check()
        t = bundle.trajectory
        assert bundle.version == 2
        assert t.rules == RULES
        assert [(e.who, e.op, e.args["index"]) for e in t.edits] == [
            ("ann", "relabel", 0),
            ("rita", "relabel", 1),
        ]
        assert t.edits[0].when.isoformat() == "2026-01-02T04:00:00+00:00"
        assert t.steps[0].note == "Start with the name" and t.steps[1].tags == ("mistake",)
        events = {e.seq: e for e in bundle.events()}
        assert t.targets and all(events[seq].kind in ("press", "key_down") for seq in t.targets)
        first = t.targets[min(t.targets)]
        assert first.window is not None and first.window["title"] == "Form - demo"
        assert first.element is not None and first.element["role"] == "push button"
        assert {"reason": "timeout"} in [x.element for x in t.targets.values()]
        assert bundle.video is not None
        assert (bundle.video.codec, bundle.video.width, bundle.video.height) == ("h264", 320, 200)
        assert bundle.video.frames == len(t.frames)
        assert t.reviews[0].verdict == "needs_changes"


def test_fixture_v2_from_a_zip(tmp_path: Path) -> None:
    with open_bundle(zip_dir(FIXTURE_V2, tmp_path / "b.zip")) as bundle:
        bundle.check()
        assert bundle.video is not None and len(bundle.trajectory.edits) == 2


def test_fixture_v1_from_a_zip(tmp_path: Path) -> None:
    with open_bundle(zip_dir(FIXTURE_V1, tmp_path / "b.zip")) as bundle:
        bundle.check()
        assert len(bundle.trajectory.steps) == 6


def test_migration_runs_each_step_in_order() -> None:
    seen: list[int] = []

    def one_to_two(data: dict[str, Any]) -> dict[str, Any]:
        seen.append(data["format_version"])
        old = data.pop("old")
        return {**data, "renamed": old}

    def two_to_three(data: dict[str, Any]) -> dict[str, Any]:
        seen.append(data["format_version"])
        return {**data, "added": True}

    out = migrate(
        {"format_version": 1, "old": "x"}, current=3, converters={1: one_to_two, 2: two_to_three}
    )
    assert seen == [1, 2]
    assert out == {"format_version": 3, "renamed": "x", "added": True}


def test_current_version_needs_no_migration() -> None:
    data = json.loads((FIXTURE_V2 / "trajectory.json").read_text())
    assert migrate(dict(data), FORMAT_VERSION) == data


def test_newer_version_is_refused(tmp_path: Path) -> None:
    bundle = copy_fixture(tmp_path)
    edit_json(bundle, lambda d: d.update(format_version=FORMAT_VERSION + 1))
    with pytest.raises(BundleError, match=r"newer than this demotrace reads.*update demotrace"):
        open_bundle(bundle)


def _png(width: int, height: int, value: int = 7) -> bytes:
    ok, data = cv2.imencode(".png", np.full((height, width, 3), value, np.uint8))
    assert ok
    return data.tobytes()


def _huge_png_header() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _first_frame(bundle: Path) -> Path:
    name = json.loads((bundle / "trajectory.json").read_text())["frames"][0]["hash"]
    return bundle / "frames" / f"{name}.png"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        target[int(last) if last.isdigit() else last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        del target[last]

    return change


JSON_CASES = [
    ("missing header field", _drop("platform"), "missing field 'platform'"),
    ("unknown header field", _set("colour", "red"), "unknown field 'colour'"),
    ("wrong type", _set("steps.2.action.x", "12"), r"steps\[2\]: x must be an integer"),
    ("wrong step type", _set("steps.0.note", 5), r"steps\[0\]\.note must be a string"),
    ("missing step field", _drop("steps.1.outcome_reason"), r"missing field 'outcome_reason'"),
    ("bad outcome", _set("steps.1.outcome", "great"), "outcome must be one of"),
    ("bad time", _set("created_at", "yesterday"), "created_at must be an ISO 8601"),
    ("bad verdict", _set("reviews.0.verdict", "fine"), r"reviews\[0\]\.verdict must be one of"),
    ("bad score", _set("reviews.0.efficiency", 9), "efficiency must be 1..5"),
    ("unlisted frame", _set("steps.0.before_frame", "f" * 32), "which frames does not list"),
    ("traversal in a frame name", _set("frames.0.hash", "../../etc/passwd"), "32 lowercase hex"),
    ("bad session id", _set("session_id", "../x"), "session_id must be"),
    ("index gap", _set("steps.3.index", 7), r"steps\[3\]\.index must be 3"),
    ("frames not a list", _set("frames", {}), "frames must be a list"),
    ("version not a number", _set("format_version", "1"), "format_version must be"),
]


@pytest.mark.parametrize(("case", "change", "message"), JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_malformed_trajectory_json(
    tmp_path: Path, case: str, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    bundle = copy_fixture(tmp_path)
    edit_json(bundle, change)
    with pytest.raises(BundleError, match=message) as err:
        open_bundle(bundle)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith(str(bundle))


V2_CASES = [
    ("unknown edit", _set("edits.0.op", "rename"), r"edits\[0\]\.op must be one of"),
    ("edit time without offset", _set("edits.0.when", "2026-01-02T04:00:00"), "UTC offset"),
    ("edit without index", _drop("edits.0.args.index"), r"'index' in edits\[0\]\.args"),
    ("edit index negative", _set("edits.1.args.index", -1), r"args\.index must be an integer"),
    ("edit argument unknown", _set("edits.0.args.at_seq", 3), "unknown field 'at_seq'"),
    ("relabel unknown", _set("edits.0.args.fields", {"colour": 1}), "cannot be relabelled"),
    ("hotkey missing", _drop("rules.hotkeys.mark"), "missing field 'mark' in rules.hotkeys"),
    ("hotkeys alike", _set("rules.hotkeys.pause", "ctrl+alt+n"), "both the mark and the pause"),
    ("hotkey typable", _set("rules.hotkeys.stop", "q"), "needs ctrl, alt or super"),
    ("pause out of range", _set("rules.decision_pause_ms", 0), "decision pause must be"),
    ("fraction out of range", _set("rules.decision_screen_change", 2), "must be a fraction"),
    ("video field missing", _drop("context_video.fps"), "missing field 'fps' in context_video"),
    ("no edits list", _drop("edits"), "missing field 'edits'"),
]


@pytest.mark.parametrize(("case", "change", "message"), V2_CASES, ids=[c[0] for c in V2_CASES])
def test_malformed_version_2_fields(
    tmp_path: Path, case: str, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    edit_json(bundle, change)
    with pytest.raises(BundleError, match=message) as err:
        open_bundle(bundle)
    assert "\n" not in str(err.value)


def test_an_event_target_must_be_an_object(tmp_path: Path) -> None:
    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    lines = (bundle / "events.jsonl").read_text().splitlines()
    lines[0] = lines[0].replace('"window": null', '"window": "Form"')
    (bundle / "events.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(BundleError, match=r"events.jsonl line 1\.window must be an object"):
        open_bundle(bundle)


def _bad_json(b: Path) -> None:
    (b / "trajectory.json").write_text('{"format_version": 1, ')


def _nan(b: Path) -> None:
    text = (b / "trajectory.json").read_text()
    (b / "trajectory.json").write_text(text.replace('"duration_s": 4.412', '"duration_s": NaN'))


def _huge(b: Path) -> None:
    text = (b / "trajectory.json").read_text()
    (b / "trajectory.json").write_text(text.replace('"width": 320', '"width": 99999999999', 1))


def _no_json(b: Path) -> None:
    (b / "trajectory.json").unlink()


def _bad_event(b: Path) -> None:
    lines = (b / "events.jsonl").read_text().splitlines()
    lines[3] = lines[3].replace('"seq": 3', '"seq": "3"')
    (b / "events.jsonl").write_text("\n".join(lines) + "\n")


def _event_not_json(b: Path) -> None:
    with (b / "events.jsonl").open("a") as fh:
        fh.write("{oops\n")


def _missing_frame(b: Path) -> None:
    _first_frame(b).unlink()


def _not_png(b: Path) -> None:
    _first_frame(b).write_bytes(b"GIF89a" + b"\0" * 40)


def _wrong_size(b: Path) -> None:
    _first_frame(b).write_bytes(_png(10, 10))


def _huge_image(b: Path) -> None:
    _first_frame(b).write_bytes(_huge_png_header())


def _symlink(b: Path) -> None:
    (b / "frames" / "link.png").symlink_to("/etc/passwd")


FILE_CASES = [
    ("bad json", _bad_json, "trajectory.json is not valid JSON"),
    ("no trajectory.json", _no_json, "trajectory.json is missing"),
    ("not a number", _nan, "NaN is not a number JSON allows"),
    ("huge number", _huge, "number 99999999999 is out of range"),
    ("event of the wrong type", _bad_event, "events.jsonl line 4.seq must be an integer"),
    ("event not json", _event_not_json, "events.jsonl line 61 is not valid JSON"),
    ("missing frame", _missing_frame, r"is listed but frames/.*\.png is missing"),
    ("not a png", _not_png, "is not a PNG image"),
    ("wrong size", _wrong_size, "is 10x10, but frames lists it as 320x200"),
    ("huge image", _huge_image, "larger than 67108864 pixels"),
    ("symlink", _symlink, "is a symbolic link"),
]


@pytest.mark.parametrize(("case", "damage", "message"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_malformed_files(
    tmp_path: Path, case: str, damage: Callable[[Path], None], message: str
) -> None:
    bundle = copy_fixture(tmp_path)
    damage(bundle)
    with pytest.raises(BundleError, match=message) as err:
        open_bundle(bundle)
    assert "\n" not in str(err.value)


def test_hash_mismatch_is_found_when_the_frame_is_decoded(tmp_path: Path) -> None:
    bundle = copy_fixture(tmp_path)
    _first_frame(bundle).write_bytes(_png(320, 200))
    with open_bundle(bundle) as b, pytest.raises(BundleError, match="hash mismatch"):
        b.check()


def _zip_with(tmp_path: Path, name: str, data: bytes, attr: int | None = None) -> Path:
    out = zip_dir(FIXTURE_V1, tmp_path / "b.zip")
    with zipfile.ZipFile(out, "a") as zf:
        info = zipfile.ZipInfo(name)
        if attr is not None:
            info.external_attr = attr << 16
        zf.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out


@pytest.mark.parametrize("name", ["../evil.txt", "/abs.txt", "frames/..\\x.png", "c:evil"])
def test_zip_path_traversal_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(BundleError, match="points outside the bundle"):
        open_bundle(_zip_with(tmp_path, name, b"x"))


def test_zip_duplicate_entry_is_refused(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        bundle = _zip_with(tmp_path, "trajectory.json", b"{}")
    with pytest.raises(BundleError, match="appears twice"):
        open_bundle(bundle)


def test_zip_symlink_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="is a symbolic link"):
        open_bundle(_zip_with(tmp_path, "frames/x.png", b"/etc/passwd", stat.S_IFLNK | 0o777))


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="expands more than 200:1"):
        open_bundle(_zip_with(tmp_path, "events.jsonl.bak", b"\0" * (8 << 20)))


def test_zip_entry_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    out = zip_dir(FIXTURE_V1, tmp_path / "b.zip")
    data = bytearray(out.read_bytes())
    # The central directory entry of trajectory.json: declare 100 bytes uncompressed.
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at + 1)
        if data[at + 46 : at + 46 + len(b"trajectory.json")] == b"trajectory.json":
            break
    struct.pack_into("<I", data, at + 24, 100)
    out.write_bytes(bytes(data))
    with pytest.raises(BundleError, match=r"larger than it declares|cannot read trajectory\.json"):
        open_bundle(out)


def test_not_a_bundle(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(BundleError, match="not a bundle directory or zip file"):
        open_bundle(junk)
    with pytest.raises(BundleError, match="no such bundle"):
        open_bundle(tmp_path / "missing")


def test_the_sample_trajectory_is_a_valid_bundle() -> None:
    sample = Path(__file__).resolve().parents[2] / "samples" / "fill-the-form"
    with open_bundle(sample) as bundle:
        bundle.check()
        t = bundle.trajectory
        assert t.task.instruction.startswith("Fill in the form")
        assert {"click", "double_click", "type", "hotkey", "scroll", "drag"} <= {
            s.action.type for s in t.steps
        }
        assert any(s.note for s in t.steps)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))] + [path]
    if isinstance(data, list):
        return [p for i, v in enumerate(data[:2]) for p in _leaves(v, (*path, i))] + [path]
    return [path]


@pytest.mark.parametrize("fixture", [FIXTURE_V1, FIXTURE_V2], ids=["v1", "v2"])
def test_any_wrong_value_anywhere_is_one_clear_error(tmp_path: Path, fixture: Path) -> None:
    """Each field of the fixture (first two of every list) set to each wrong kind of value."""
    bundle = copy_fixture(tmp_path, fixture)
    original = json.loads((bundle / "trajectory.json").read_text())
    bad_values: list[Any] = [None, "x", -1, 2.5, [], {}, True, [[1]]]
    checked = 0
    for path in _leaves(original):
        if not path or path == ("format_version",):
            continue
        for bad in bad_values:
            data = json.loads(json.dumps(original))
            target = data
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = bad
            (bundle / "trajectory.json").write_text(json.dumps(data))
            try:
                open_bundle(bundle).close()
            except BundleError as exc:
                assert "\n" not in str(exc)
            checked += 1
    assert checked > 500
