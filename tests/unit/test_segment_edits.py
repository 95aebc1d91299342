"""Edits over a computed segmentation: merge, split, delete, reorder, relabel."""

from datetime import UTC, datetime

import pytest
from factories import MS, Script

from capture.segment import EditError, EditRecord, apply_edits, segment

WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def edit(op: str, **args: object) -> EditRecord:
    return EditRecord("ana", op, args, WHEN)


def kinds(steps: list) -> list[str]:
    return [s.action.type for s in steps]


@pytest.fixture
def demo():
    s = Script().click(10, 10).type("hello", gap_ms=80).key("Return").scroll(dy=1, notches=2)
    return s.events, segment(s.events)


def test_no_edits_gives_the_computed_steps(demo):
    _, steps = demo
    assert apply_edits(steps, []) == steps


def test_delete_and_renumber(demo):
    _, steps = demo
    out = apply_edits(steps, [edit("delete", index=1)])
    assert kinds(out) == ["click", "key", "scroll"]
    assert [s.index for s in out] == [0, 1, 2]


def test_reorder(demo):
    _, steps = demo
    out = apply_edits(steps, [edit("reorder", index=3, to=0)])
    assert kinds(out) == ["scroll", "click", "type", "key"]


def test_relabel_annotation_and_action_fields(demo):
    _, steps = demo
    out = apply_edits(
        steps,
        [
            edit(
                "relabel",
                index=0,
                fields={
                    "note": "open the form",
                    "outcome": "success",
                    "tags": ["recovery"],
                    "action": {"x": 12},
                },
            ),
            edit(
                "relabel",
                index=1,
                fields={"action": {"type": "type", "text": "hullo"}, "decision_point": True},
            ),
            edit("relabel", index=0, fields={"decision_point": False}),
        ],
    )
    assert out[0].note == "open the form" and out[0].outcome == "success"
    assert out[0].tags == ("recovery",) and out[0].action["x"] == 12
    assert not out[0].decision_point and out[0].decision_reason is None
    assert out[1].action["text"] == "hullo"
    assert (out[1].decision_point, out[1].decision_reason) == (True, "manual")


def test_merge_two_type_steps_and_keep_both_notes():
    s = Script().type("ab").click(5, 5).type("cd")
    steps = apply_edits(segment(s.events), [edit("delete", index=1)])
    steps = [steps[0].evolve(note="first"), steps[1].evolve(note="second", outcome="failure")]
    (merged,) = apply_edits(steps, [edit("merge", index=0)])
    assert merged.action["text"] == "abcd"
    assert merged.note == "first\nsecond" and merged.outcome == "failure"
    assert (merged.first_seq, merged.last_seq) == (steps[0].first_seq, steps[1].last_seq)
    assert (merged.t_start, merged.t_end) == (steps[0].t_start, steps[1].t_end)


def test_merge_two_slow_clicks_into_a_double_click():
    steps = segment(Script().clicks(2, 50, 50, interval_ms=800).events)
    (merged,) = apply_edits(steps, [edit("merge", index=0)])
    assert merged.action.type == "double_click"


def test_merge_of_unlike_steps_needs_an_action(demo):
    _, steps = demo
    with pytest.raises(EditError, match="do not combine"):
        apply_edits(steps, [edit("merge", index=0)])
    out = apply_edits(steps, [edit("merge", index=0, action={"type": "type", "text": "x"})])
    assert kinds(out) == ["type", "key", "scroll"]


def test_split_a_type_step_at_a_raw_event(demo):
    events, steps = demo
    typing = steps[1]
    third = [e for e in events if e.kind == "key_down" and typing.first_seq <= e.seq][2]
    out = apply_edits(
        steps,
        [edit("split", index=1, at_seq=third.seq)],
        events=events,
        frames=[(1, 0), (2, third.t_ns - MS)],
    )
    assert [s.action.to_json() for s in out[1:3]] == [
        {"type": "type", "text": "he"},
        {"type": "type", "text": "llo"},
    ]
    assert out[1].after_frame == out[2].before_frame == 2
    assert out[2].after_frame == typing.after_frame
    assert out[2].first_seq == third.seq and out[1].last_seq < third.seq


def test_split_a_double_click_into_two_clicks():
    s = Script().clicks(2, 50, 50)
    (step,) = segment(s.events)
    out = apply_edits([step], [edit("split", index=0, at_seq=2)], events=s.events)
    assert kinds(out) == ["click", "click"]


def test_split_that_leaves_no_action_is_refused():
    s = Script().drag(0, 0, 100, 100)
    (step,) = segment(s.events)
    with pytest.raises(EditError, match="0 actions"):
        apply_edits([step], [edit("split", index=0, at_seq=5)], events=s.events)


def test_split_outside_the_step_or_without_events_is_refused(demo):
    events, steps = demo
    with pytest.raises(EditError, match="not inside"):
        apply_edits(steps, [edit("split", index=0, at_seq=99)], events=events)
    with pytest.raises(EditError, match="were not given"):
        apply_edits(steps, [edit("split", index=1, at_seq=steps[1].first_seq + 2)])


def test_bad_index_is_refused(demo):
    _, steps = demo
    with pytest.raises(EditError, match="not a step"):
        apply_edits(steps, [edit("delete", index=9)])
    with pytest.raises(EditError, match="nothing to merge"):
        apply_edits(steps, [edit("merge", index=3)])


def test_edits_never_change_the_steps_they_are_given(demo):
    events, steps = demo
    before = list(steps)
    apply_edits(steps, [edit("delete", index=0), edit("relabel", index=0, fields={"note": "x"})])
    assert steps == before == segment(events)


def test_edit_record_json_round_trip_and_audit_fields():
    record = edit("split", index=1, at_seq=7)
    data = record.to_json()
    assert data == {
        "who": "ana",
        "when": "2025-01-02T03:04:05+00:00",
        "op": "split",
        "args": {"index": 1, "at_seq": 7},
    }
    assert EditRecord.from_json(data) == record
    with pytest.raises(EditError, match="unknown edit"):
        EditRecord("ana", "rename", {}, WHEN)
    with pytest.raises(EditError, match="time zone"):
        EditRecord("ana", "delete", {"index": 0}, datetime(2025, 1, 1))


def test_a_baseline_replaces_the_steps_so_far_and_later_edits_apply_to_it(demo):
    from capture.segment.edits import baseline_edit

    events, steps = demo
    imported = [s.evolve(note=f"imported {s.index}") for s in reversed(steps)]
    trail = [
        edit("delete", index=0),
        baseline_edit(imported, "import", WHEN),
        edit("relabel", index=1, fields={"outcome": "failure"}),
    ]
    out = apply_edits(steps, trail, events=events)
    assert kinds(out) == kinds(list(reversed(steps)))
    assert [s.index for s in out] == [0, 1, 2, 3]
    assert [s.note for s in out] == [f"imported {s.index}" for s in imported]
    assert [s.outcome for s in out] == ["unknown", "failure", "unknown", "unknown"]
    assert EditRecord.from_json(trail[1].to_json()) == trail[1]


def test_a_baseline_of_malformed_steps_is_an_edit_error(demo):
    _, steps = demo
    with pytest.raises(EditError, match=r"edit 0 \(baseline\)"):
        apply_edits(steps, [edit("baseline", steps=[{"index": 0}])])
    with pytest.raises(EditError, match="must be a list"):
        apply_edits(steps, [edit("baseline", steps={})])
