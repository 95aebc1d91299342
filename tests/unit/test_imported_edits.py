"""Editing an imported session starts from what was imported, and exports it faithfully."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete

from capture.segment import Step
from capture.store.baseline import same_steps
from capture.store.database import Database, open_database, sqlite_url
from capture.store.models import StepEditRow
from capture.store.recording import load_recording
from capture.store.steps import (
    current_steps,
    edits,
    imported_baseline,
    resegment,
    unchecked_import,
)
from desktop.cli import main
from desktop.trajectory import Trajectory
from replay.bundle import open_bundle
from replay.store_source import StoreTrajectory
from tests.unit.test_bundle import FIXTURE_V2

# The sample trajectory as it shipped in format 1, before bundles carried the edit trail.
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample-v1"


def annotation(step: Step) -> tuple[Any, ...]:
    """Everything an edit could lose about a step, frames included."""
    data = step.to_json(with_events=True)
    for key in ("index", "outcome_suggested", "outcome_reason"):
        data.pop(key)
    return tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in data.items()))


def session_of(bundle: Path) -> str:
    with open_bundle(bundle) as b:
        return b.trajectory.session_id


def bundle_steps(bundle: Path) -> list[Step]:
    with open_bundle(bundle) as b:
        return list(b.trajectory.steps)


def run(*args: str) -> None:
    assert main(list(args)) == 0


def imported(tmp_path: Path, bundle: Path, name: str) -> tuple[str, Database]:
    url = sqlite_url(tmp_path / f"{name}.db")
    run("import", str(bundle), "--db", url)
    return url, open_database(url)


def in_steps(db: Database, sid: str) -> list[Step]:
    """The steps as the store holds them, frames named by content hash (as in a bundle)."""
    return list(StoreTrajectory(db, sid).trajectory.steps)


def assert_round_trip_is_faithful(db: Database, url: str, sid: str, tmp_path: Path) -> None:
    """Export, import into another store, export again: the same session both times."""
    first, second = tmp_path / "first", tmp_path / "second"
    run("export", sid, "--format", "bundle", "--out", str(first), "--db", url)
    other_url, other = imported(tmp_path, first, "other")
    try:
        run("export", sid, "--format", "bundle", "--out", str(second), "--db", other_url)
        doc = json.loads((first / "trajectory.json").read_text())
        again = json.loads((second / "trajectory.json").read_text())
        assert again == doc
        assert (second / "events.jsonl").read_text() == (first / "events.jsonl").read_text()
        here, there = StoreTrajectory(db, sid).trajectory, StoreTrajectory(other, sid).trajectory
        for f in dataclasses.fields(here):
            assert getattr(there, f.name) == getattr(here, f.name), f.name
        # The copy's trail recomputes to the same steps: editing there starts from them too.
        assert [annotation(s) for s in in_steps(other, sid)] == [annotation(s) for s in here.steps]
        resegment(other, sid)
        assert [annotation(s) for s in in_steps(other, sid)] == [annotation(s) for s in here.steps]
        assert len(edits(other, sid)) == len(edits(db, sid))  # no second baseline
    finally:
        other.close()


def test_the_sample_bundle_keeps_its_annotation_through_edits(tmp_path: Path) -> None:
    """A version-1 bundle has no trail: an edit must not segment its notes away."""
    sid = session_of(SAMPLE)
    original = bundle_steps(SAMPLE)
    assert sum(bool(s.note) for s in original) >= 5
    url, db = imported(tmp_path, SAMPLE, "store")
    try:
        assert [annotation(s) for s in in_steps(db, sid)] == [annotation(s) for s in original]
        trail = edits(db, sid)
        assert [(e.who, e.op) for e in trail] == [("import", "baseline")]

        run("annotate", sid, "--step", "3", "--note", "I fix the e-mail", "--db", url)
        six = ["--step", "6", "--outcome", "partial", "--tag", "mistake"]
        run("annotate", sid, *six, "--db", url)
        steps = in_steps(db, sid)
        assert (steps[3].note, steps[6].outcome, steps[6].tags) == (
            "I fix the e-mail",
            "partial",
            ("mistake",),
        )
        for i in set(range(len(original))) - {3, 6}:
            assert annotation(steps[i]) == annotation(original[i]), i

        # Two scrolls into one: the steps after it move up a place, nothing else changes.
        assert (original[8].action.type, original[9].action.type) == ("scroll", "scroll")
        run("edit", sid, "merge", "8", "--db", url)
        steps = in_steps(db, sid)
        assert len(steps) == len(original) - 1
        assert steps[8].note == f"{original[8].note}\n{original[9].note}"
        for i in range(8):
            if i not in (3, 6):
                assert annotation(steps[i]) == annotation(original[i]), i
        for i in range(9, len(steps)):
            assert annotation(steps[i]) == annotation(original[i + 1]), i

        resegment(db, sid)  # as after a rule change: still the imported steps, edited
        assert [annotation(s) for s in in_steps(db, sid)] == [annotation(s) for s in steps]
        assert_round_trip_is_faithful(db, url, sid, tmp_path)
    finally:
        db.close()


def test_a_version_2_bundle_keeps_its_marks_windows_and_screen_changes(tmp_path: Path) -> None:
    """The fixture's session had a Mark before its scroll and a spoken note: segmenting it
    again gives the same steps, so its own trail is kept and edits replay it."""
    sid = session_of(FIXTURE_V2)
    original = bundle_steps(FIXTURE_V2)
    assert (original[2].decision_reason, original[2].note) == ("marked", "the list is long")
    url, db = imported(tmp_path, FIXTURE_V2, "store")
    try:
        with open_bundle(FIXTURE_V2) as b:
            bundled = b.trajectory
        got = StoreTrajectory(db, sid).trajectory
        assert got.markers == bundled.markers and [m.kind for m in got.markers] == [
            "mark",
            "note",
        ]
        assert got.windows == bundled.windows and len(got.windows) == 2
        assert got.screen_changes == bundled.screen_changes and len(got.screen_changes) == 6
        assert got.edits == bundled.edits  # reproduced: no baseline needed

        run("annotate", sid, "--step", "4", "--note", "save it", "--db", url)
        # The typing ("helo", a backspace, "lo world") into two steps at the space.
        typing = original[1]
        assert typing.first_seq is not None
        with open_bundle(FIXTURE_V2) as b:
            downs = [
                e.seq
                for e in b.events()
                if e.kind == "key_down" and typing.first_seq <= e.seq <= (typing.last_seq or 0)
            ]
        run("edit", sid, "split", "1", "--at-seq", str(downs[7]), "--db", url)
        steps = in_steps(db, sid)
        assert len(steps) == len(original) + 1
        assert steps[1].tags == ("mistake",) and steps[2].action.type == "type"
        assert annotation(steps[0]) == annotation(original[0])
        assert (steps[3].decision_point, steps[3].decision_reason) == (True, "marked")
        assert steps[3].note == "the list is long"
        assert steps[3].window == original[2].window
        assert annotation(steps[5]) == annotation(original[4].evolve(note="save it"))
        for new, old in ((3, 2), (4, 3), (6, 5)):
            assert annotation(steps[new]) == annotation(original[old]), new
        assert_round_trip_is_faithful(db, url, sid, tmp_path)
    finally:
        db.close()


def _tamper(bundle: Path) -> None:
    """Another producer's bundle: a note with no edit in the trail to explain it."""
    path = bundle / "trajectory.json"
    doc = json.loads(path.read_text())
    doc["steps"][3]["note"] = "written elsewhere"
    path.write_text(json.dumps(doc))


def test_steps_the_trail_does_not_explain_become_the_baseline(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(FIXTURE_V2, bundle)
    _tamper(bundle)
    sid = session_of(bundle)
    url, db = imported(tmp_path, bundle, "store")
    try:
        trail = edits(db, sid)
        assert [e.op for e in trail] == ["relabel", "relabel", "baseline"]
        run("annotate", sid, "--step", "0", "--outcome", "failure", "--db", url)
        steps = current_steps(db, sid)
        assert steps[3].note == "written elsewhere" and steps[0].outcome == "failure"

        out = tmp_path / "out"
        run("export", sid, "--format", "bundle", "--out", str(out), "--db", url)
        doc = json.loads((out / "trajectory.json").read_text())
        base = doc["edits"][2]
        assert (base["who"], base["op"], list(base["args"])) == ("import", "baseline", ["steps"])
        # Written as steps[] are: times in seconds, frames by content hash.
        assert base["args"]["steps"][3]["note"] == "written elsewhere"
        assert base["args"]["steps"][3]["t_start"] == doc["steps"][3]["t_start"]
        frames = {f["hash"] for f in doc["frames"]}
        assert {s["before_frame"] for s in base["args"]["steps"]} <= frames
        assert_round_trip_is_faithful(db, url, sid, tmp_path / "again")
    finally:
        db.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["markers"][0].update(kind="shout"), r"markers\[0\]\.kind must be one of"),
        (lambda d: d["markers"].reverse(), r"markers\[1\].t is earlier"),
        (lambda d: d["windows"][1].pop("window_id"), "missing field 'window_id' in windows"),
        (lambda d: d["screen_changes"][0].update(changed=1.5), "must be 0..1"),
        (lambda d: d["screen_changes"].append({"t": 0.0, "changed": 0.1}), "is earlier"),
        (
            lambda d: d["edits"].append(
                {
                    "who": "x",
                    "when": "2026-01-02T04:00:00+00:00",
                    "op": "baseline",
                    "args": {"steps": [{**d["steps"][0], "before_frame": "0" * 32}]},
                }
            ),
            r"edits\[2\]\.args\.steps\[0\]\.before_frame names frame",
        ),
        (
            lambda d: d["edits"].append(
                {
                    "who": "x",
                    "when": "2026-01-02T04:00:00+00:00",
                    "op": "baseline",
                    "args": {"steps": d["steps"], "index": 0},
                }
            ),
            r"unknown field 'index' in edits\[2\]\.args",
        ),
    ],
)
def test_malformed_timeline_and_baseline_are_one_clear_error(
    tmp_path: Path, change: Any, message: str
) -> None:
    from replay.bundle import BundleError
    from tests.unit.test_bundle import copy_fixture, edit_json

    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    edit_json(bundle, change)
    with pytest.raises(BundleError, match=message) as info:
        open_bundle(bundle)
    assert "\n" not in str(info.value)


def _imported_before_baselines(db: Database, sid: str) -> None:
    """The store as an earlier demotrace left a version-1 import: no baseline in its trail."""
    with db.session() as s:
        s.execute(delete(StepEditRow).where(StepEditRow.session_id == sid))
        s.commit()
    assert edits(db, sid) == []


def _tag(bundle: Path, tags: dict[int, list[str]]) -> None:
    path = bundle / "trajectory.json"
    doc = json.loads(path.read_text())
    for index, names in tags.items():
        doc["steps"][index]["tags"] = names
    path.write_text(json.dumps(doc))


def _kept_but(db: Database, sid: str, original: list[Step], changed: set[int]) -> None:
    steps = in_steps(db, sid)
    assert len(steps) == len(original)
    for i in set(range(len(original))) - changed:
        assert annotation(steps[i]) == annotation(original[i]), i


@pytest.mark.parametrize("how", ["cli", "editor", "resegment"])
def test_a_session_imported_before_baselines_gets_one_before_its_first_edit(
    tmp_path: Path, how: str
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(SAMPLE, bundle)
    _tag(bundle, {5: ["mistake"], 9: ["recovery"]})
    sid = session_of(bundle)
    original = bundle_steps(bundle)
    assert {s.outcome for s in original} == {"success", "unknown"}
    url, db = imported(tmp_path, bundle, "store")
    try:
        _imported_before_baselines(db, sid)
        seq = None
        if how == "cli":
            run("annotate", sid, "--step", "3", "--note", "I fix the e-mail", "--db", url)
        elif how == "editor":  # the step editor and the walkthrough: computed in memory
            trajectory = Trajectory(db, sid, "ann")
            record, steps = trajectory.compute(
                "relabel", index=3, fields={"note": "I fix the e-mail"}
            )
            seq = trajectory.commit(record, steps)
        else:
            resegment(db, sid)
        changed = set() if how == "resegment" else {3}
        _kept_but(db, sid, original, changed)

        # Later edits and a resegment start from the imported steps.
        run("annotate", sid, "--step", "6", "--outcome", "partial", "--db", url)
        resegment(db, sid)
        _kept_but(db, sid, original, changed | {6})
        steps = in_steps(db, sid)
        assert steps[6].outcome == "partial"
        if changed:
            assert steps[3].note == "I fix the e-mail"
        # One baseline, made by the import, before the first edit.
        trail = [(e.who, e.op) for e in edits(db, sid)]
        assert trail[0] == ("import", "baseline")
        assert [op for _, op in trail].count("baseline") == 1
        if seq is not None:
            assert trail[seq] == ("ann", "relabel")
    finally:
        db.close()


def test_an_imported_session_that_reproduces_gets_no_baseline(tmp_path: Path) -> None:
    sid = session_of(FIXTURE_V2)
    url, db = imported(tmp_path, FIXTURE_V2, "store")
    try:
        before = edits(db, sid)
        assert "baseline" not in [e.op for e in before]
        assert unchecked_import(db, sid)  # checked at each edit, found to reproduce
        base, steps = imported_baseline(db, sid, load_recording(db, sid), before)
        assert base == [] and same_steps(steps, current_steps(db, sid))
        run("annotate", sid, "--step", "4", "--note", "save it", "--db", url)
        Trajectory(db, sid, "ann").annotate(0, outcome="success")
        resegment(db, sid)
        assert [e.op for e in edits(db, sid)] == [*(e.op for e in before), "relabel", "relabel"]
    finally:
        db.close()


def test_a_read_only_store_is_not_given_a_baseline(tmp_path: Path) -> None:
    sid = session_of(SAMPLE)
    url, db = imported(tmp_path, SAMPLE, "store")
    try:
        _imported_before_baselines(db, sid)
        assert unchecked_import(db, sid)
    finally:
        db.close()
    reader = open_database(url, readonly=True)
    try:
        assert not unchecked_import(reader, sid)
        base, _ = imported_baseline(reader, sid, load_recording(reader, sid), [])
        assert base == [] and edits(reader, sid) == []
    finally:
        reader.close()
