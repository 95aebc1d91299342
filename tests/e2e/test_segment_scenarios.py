"""Scripted demonstrations recorded by ``demotrace record`` and segmented into steps.

Each scenario (scripted/scenarios.py) drives a real Qt app on a real X server with
xdotool and writes down the steps a person would name. The steps segmented from
what the store holds are scored against that list, step by step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capture.store.database import open_database
from capture.store.frames import FrameReader
from capture.store.sessions import blob_store_for
from scripted.scenarios import SCENARIOS, Recorded, Scenario, record_with_demotrace
from scripted.stepmatch import score
from tests.xsession import XServer

RED, GREEN = (255, 0, 0), (0, 255, 0)


@pytest.fixture(scope="module")
def recordings(xserver: XServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Recorded]:
    """Every scenario recorded once; the tests below look at them from several sides."""
    out: dict[str, Recorded] = {}
    for scenario in SCENARIOS:
        out[scenario.name] = record_with_demotrace(
            xserver, scenario, tmp_path_factory.mktemp(scenario.name)
        )
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_steps_match_what_the_person_did(
    recordings: dict[str, Recorded], scenario: Scenario
) -> None:
    rec = recordings[scenario.name]
    assert rec.exit_code == 0, rec.stderr
    result = score(rec.truth, rec.actions)
    print(f"{scenario.name}: {result.explain()}")
    assert result.f1 >= 0.98, result.explain()
    if scenario.plain:
        assert result.f1 == 1.0, result.explain()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_step_has_its_observations(
    recordings: dict[str, Recorded], scenario: Scenario
) -> None:
    rec = recordings[scenario.name]
    frame_ids = {f.id for f in rec.timeline.frames}
    assert rec.steps
    for step in rec.steps:
        assert step.before_frame in frame_ids, step
        assert step.after_frame in frame_ids, step
    times = {f.id: f.t_ns for f in rec.timeline.frames}
    for step in rec.steps:
        # The before frame was grabbed strictly before the step's first input,
        # the after frame no earlier than it.
        assert times[step.before_frame] < step.t_start, step  # type: ignore[index]
        assert times[step.after_frame] >= times[step.before_frame], step  # type: ignore[index]


def test_toggle_clicks_show_the_patch_before_and_after(
    recordings: dict[str, Recorded],
) -> None:
    rec = recordings["form_fill"]
    toggle = rec.layout["widgets"]["toggle"]
    px, py = (rec.layout["widgets"]["patch"][i] + rec.layout["widgets"]["patch"][i + 2] // 2
              for i in (0, 1))  # fmt: skip
    clicks = [
        s
        for s in rec.steps
        if s.action.type == "click"
        and toggle[0] <= s.action["x"] < toggle[0] + toggle[2]
        and toggle[1] <= s.action["y"] < toggle[1] + toggle[3]
    ]
    assert len(clicks) == 2, [s.action for s in rec.steps]
    frames = {f.id: f for f in rec.timeline.frames}
    db = open_database(rec.db_url)
    try:
        reader = FrameReader(blob_store_for(db))
        seen: dict[str, list[tuple[int, ...]]] = {"before": [], "after": []}
        with db.session() as s:
            for step in clicks:
                for which in seen:
                    frame = frames[getattr(step, f"{which}_frame")]
                    rgb = reader.rgb(frame.blob, s)
                    seen[which].append(tuple(int(c) for c in rgb[py - frame.top, px - frame.left]))
    finally:
        db.close()
    # The first click turned the red patch green; the second found it green and
    # turned it red again.
    assert seen == {"before": [RED, GREEN], "after": [GREEN, RED]}


def test_the_apps_received_the_input_the_truth_names(recordings: dict[str, Recorded]) -> None:
    """The injection itself worked: the apps saw the clicks and the corrected text."""

    def lines(path: Path | None) -> list[dict[str, object]]:
        assert path is not None
        return [json.loads(x) for x in path.read_text().split("\n") if x.strip()]

    form = lines(recordings["form_fill"].log)
    texts = {e["widget"]: e["text"] for e in form if e["event"] == "text"}
    assert texts == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "notes": "Notes: 1843 (draft)",
    }
    assert [e["clicks"] for e in form if e["event"] == "clicked"] == [1, 2]
    editor = [e for e in lines(recordings["editor_corrections"].log) if e["event"] == "text"]
    assert "Hello world" in str(editor[-1]["text"])
    assert "the slow brown fox jumps" in str(editor[-1]["text"])
