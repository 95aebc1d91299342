"""Steps of an injected session labelled replayed / injected_fault / recovery by time."""

from __future__ import annotations

from capture.segment.injected import label_injected
from capture.segment.steps import Step, click, type_text

MS = 1_000_000


def steps() -> list[Step]:
    return [
        Step(
            index=0,
            action=click(10, 10),
            t_start=100 * MS,
            t_end=110 * MS,
            after_frame=1,
            tags=("injected_fault",),
        ),
        Step(
            index=1,
            action=type_text("ab"),
            t_start=200 * MS,
            t_end=220 * MS,
            before_frame=2,
            after_frame=3,
            tags=("injected_fault",),
        ),
        Step(index=2, action=click(50, 50), t_start=400 * MS, t_end=410 * MS, before_frame=4),
        Step(index=3, action=type_text("x"), t_start=500 * MS, t_end=510 * MS),
    ]


def test_prefix_fault_and_recovery_by_time() -> None:
    fault = {
        "kind": "offset",
        "at": 1,
        "dx": 40,
        "dy": 0,
        "t_ns": 150 * MS,
        "takeover_ns": 300 * MS,
    }
    out = label_injected(steps(), fault)
    assert [s.tags for s in out] == [
        ("replayed",),
        ("injected_fault",),
        ("recovery",),
        ("recovery",),
    ]
    assert out[1].fault == {"kind": "offset", "at": 1, "dx": 40, "dy": 0}
    assert out[0].fault is None and out[2].fault is None
    assert out[2].decision_point and not out[3].decision_point


def test_a_fault_without_input_gets_a_wait_marker() -> None:
    fault = {"kind": "skip", "at": 1, "t_ns": 150 * MS, "takeover_ns": 160 * MS}
    out = label_injected(steps(), fault)
    assert [s.index for s in out] == [0, 1, 2, 3, 4]
    marker = out[1]
    assert marker.action.to_json() == {"type": "wait", "seconds": 0.0}
    assert marker.tags == ("injected_fault",)
    assert marker.fault == {"kind": "skip", "at": 1}
    assert (marker.before_frame, marker.after_frame) == (1, 2)
    assert [s.tags for s in out[2:]] == [("recovery",)] * 3


def test_stopped_before_the_fault_is_all_replayed() -> None:
    out = label_injected(steps(), {"kind": "typo", "at": 3})
    assert all(s.tags == ("replayed",) for s in out)
