"""The annotator's edits to a segmentation, kept as an audit trail.

Edits never touch raw events or the computed steps: ``apply_edits`` replays the
trail over the steps that ``segment`` computed, and dropping the trail gives
the original segmentation back. Step indices in an edit refer to the steps as
they were just before that edit (after the edits before it).

- ``merge``   {index, action?}: step ``index`` and the one after it become one.
  Without ``action`` the two must combine naturally (typing + typing, scroll +
  scroll at one burst, the same key repeated, clicks of one button into a
  double or triple click, drags into one path, waits added up; a ``move`` is
  absorbed by its neighbour); otherwise give the merged ``action`` as JSON.
- ``split``   {index, at_seq}: the raw events from ``at_seq`` on become a new
  step. Each part is segmented again on its own and must make exactly one
  action. The first part keeps the annotation.
- ``delete``  {index}
- ``reorder`` {index, to}: the step moves to position ``to``.
- ``relabel`` {index, fields}: new values for ``action`` (a whole action, or
  some of its fields without ``type``), ``note``, ``draft_note``, ``outcome``,
  ``tags``, ``comments``, ``decision_point``, ``decision_reason``, ``error_type``.
  Setting ``decision_point`` without a reason gives ``manual`` (added by the
  person) or none (removed).
- ``baseline`` {steps}: the steps become exactly ``steps`` (each a step's JSON,
  ``Step.to_json(with_events=True)``), whatever came before. An import adds
  one, after the imported trail, when segmenting the imported raw events and
  replaying that trail does not give the steps the bundle had (a bundle with
  no trail, or from another producer): later edits then start from what was
  imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from capture.events import RawEvent
from capture.segment.context import SegmentContext
from capture.segment.live import segment
from capture.segment.rules import SegmentationRules
from capture.segment.steps import Action, FrameId, Step, StepFormatError

OPS = ("merge", "split", "delete", "reorder", "relabel", "baseline")
RELABEL_FIELDS = frozenset(
    {
        "action",
        "note",
        "draft_note",
        "outcome",
        "tags",
        "comments",
        "decision_point",
        "decision_reason",
        "error_type",
    }
)
CLICKS = ("click", "double_click", "triple_click")


class EditError(ValueError):
    """An edit that cannot be applied to the steps as they are."""


@dataclass(frozen=True, slots=True)
class EditRecord:
    who: str
    op: str
    args: Mapping[str, Any]
    when: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise EditError(f"unknown edit {self.op!r}; one of {', '.join(OPS)}")
        if self.when.tzinfo is None:
            raise EditError("an edit's time must carry a time zone")

    def to_json(self) -> dict[str, Any]:
        return {
            "who": self.who,
            "when": self.when.isoformat(),
            "op": self.op,
            "args": dict(self.args),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EditRecord:
        if set(data) != {"who", "when", "op", "args"}:
            raise EditError(f"an edit has exactly who, when, op, args; got {sorted(data)}")
        return cls(
            data["who"], data["op"], dict(data["args"]), datetime.fromisoformat(data["when"])
        )


def apply_edits(
    steps: Sequence[Step],
    edits: Iterable[EditRecord],
    *,
    events: Sequence[RawEvent] = (),
    frames: Iterable[tuple[FrameId, int]] = (),
    rules: SegmentationRules | None = None,
) -> list[Step]:
    """The steps after every edit, renumbered. ``events``/``frames`` are needed by splits."""
    out = list(steps)
    timeline = SegmentContext()
    timeline.add_frames(frames)
    for n, edit in enumerate(edits):
        try:
            out = _apply(out, edit, events, timeline, rules)
        except (StepFormatError, KeyError, TypeError) as exc:
            raise EditError(f"edit {n} ({edit.op}): {exc}") from exc
        out = [s.evolve(index=i) if s.index != i else s for i, s in enumerate(out)]
    return out


def _index(steps: list[Step], args: Mapping[str, Any], name: str = "index") -> int:
    i = args[name]
    if not isinstance(i, int) or not 0 <= i < len(steps):
        raise EditError(f"{name} {i!r} is not a step (there are {len(steps)})")
    return i


def _apply(
    steps: list[Step],
    edit: EditRecord,
    events: Sequence[RawEvent],
    timeline: SegmentContext,
    rules: SegmentationRules | None,
) -> list[Step]:
    args = edit.args
    if edit.op == "baseline":
        return baseline_steps(args)
    i = _index(steps, args)
    if edit.op == "delete":
        return steps[:i] + steps[i + 1 :]
    if edit.op == "reorder":
        to = args["to"]
        if not isinstance(to, int) or not 0 <= to < len(steps):
            raise EditError(f"to {to!r} is not a position (there are {len(steps)} steps)")
        moved = steps[:i] + steps[i + 1 :]
        moved.insert(to, steps[i])
        return moved
    if edit.op == "relabel":
        return [*steps[:i], _relabel(steps[i], args["fields"]), *steps[i + 1 :]]
    if edit.op == "merge":
        if i + 1 >= len(steps):
            raise EditError(f"step {i} is the last one: nothing to merge it with")
        action = args.get("action")
        merged = _merge(
            steps[i], steps[i + 1], None if action is None else Action.from_json(action)
        )
        return [*steps[:i], merged, *steps[i + 2 :]]
    first, second = _split(steps[i], args["at_seq"], events, timeline, rules)
    return [*steps[:i], first, second, *steps[i + 1 :]]


def baseline_edit(steps: Sequence[Step], who: str, when: datetime | None = None) -> EditRecord:
    """The edit that makes the steps ``steps``, whatever the trail before it gave."""
    args = {"steps": [step.to_json(with_events=True) for step in steps]}
    if when is None:
        return EditRecord(who, "baseline", args)
    return EditRecord(who, "baseline", args, when)


def baseline_steps(args: Mapping[str, Any]) -> list[Step]:
    """The steps a ``baseline`` edit sets (renumbered in order)."""
    steps = args["steps"]
    if not isinstance(steps, list):
        raise EditError("a baseline's steps must be a list")
    return [Step.from_json(data).evolve(index=i) for i, data in enumerate(steps)]


def _relabel(step: Step, fields: Mapping[str, Any]) -> Step:
    unknown = set(fields) - RELABEL_FIELDS
    if unknown:
        raise EditError(f"cannot relabel {sorted(unknown)}; only {sorted(RELABEL_FIELDS)}")
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "action":
            if "type" in value:
                changes["action"] = Action.from_json(value)
            else:
                changes["action"] = step.action.with_fields(**value)
        elif name in ("tags", "comments"):
            changes[name] = tuple(value)
        else:
            changes[name] = value
    if "decision_point" in changes and "decision_reason" not in changes:
        changes["decision_reason"] = "manual" if changes["decision_point"] else None
    if changes.get("decision_point") is False:
        changes["decision_reason"] = None
    return step.evolve(**changes)


def _combined(a: Action, b: Action) -> Action | None:
    fa, fb = a.fields, b.fields
    if a.type == "move":
        return b
    if b.type == "move":
        return a
    if a.type == b.type == "type":
        return Action.make("type", text=fa["text"] + fb["text"])
    if a.type == b.type == "scroll":
        return a.with_fields(dx=fa["dx"] + fb["dx"], dy=fa["dy"] + fb["dy"])
    if a.type == b.type == "key" and fa["keys"] == fb["keys"]:
        return a.with_fields(repeat=fa["repeat"] + fb["repeat"])
    if a.type == b.type == "wait":
        return Action.make("wait", seconds=round(fa["seconds"] + fb["seconds"], 3))
    if a.type == b.type == "drag" and fa["button"] == fb["button"]:
        return a.with_fields(path=fa["path"] + fb["path"])
    if (
        a.type in CLICKS
        and b.type in CLICKS
        and (fa["button"], fa["modifiers"])
        == (
            fb["button"],
            fb["modifiers"],
        )
    ):
        count = CLICKS.index(a.type) + CLICKS.index(b.type) + 2
        if count <= 3:
            return Action.make(CLICKS[count - 1], **fa)
    return None


def _seq_bound(values: list[int | None], pick: Any) -> int | None:
    known = [v for v in values if v is not None]
    return pick(known) if known else None


def _merge(a: Step, b: Step, action: Action | None) -> Step:
    if action is None:
        action = _combined(a.action, b.action)
        if action is None:
            raise EditError(
                f"a {a.action.type} step and a {b.action.type} step do not combine; "
                "give the merged action"
            )
    return a.evolve(
        action=action,
        t_start=min(a.t_start, b.t_start),
        t_end=max(a.t_end, b.t_end),
        first_seq=_seq_bound([a.first_seq, b.first_seq], min),
        last_seq=_seq_bound([a.last_seq, b.last_seq], max),
        after_frame=b.after_frame,
        decision_point=a.decision_point or b.decision_point,
        decision_reason=a.decision_reason if a.decision_point else b.decision_reason,
        note="\n".join(n for n in (a.note, b.note) if n),
        draft_note="\n".join(n for n in (a.draft_note, b.draft_note) if n),
        outcome=b.outcome if b.outcome != "unknown" else a.outcome,
        tags=tuple(dict.fromkeys(a.tags + b.tags)),
        comments=a.comments + b.comments,
    )


def _split(
    step: Step,
    at_seq: Any,
    events: Sequence[RawEvent],
    timeline: SegmentContext,
    rules: SegmentationRules | None,
) -> tuple[Step, Step]:
    if step.first_seq is None or step.last_seq is None:
        raise EditError(f"a {step.action.type} step has no raw events to split")
    if not isinstance(at_seq, int) or not step.first_seq < at_seq <= step.last_seq:
        raise EditError(
            f"at_seq {at_seq!r} is not inside the step's events "
            f"({step.first_seq + 1}..{step.last_seq})"
        )
    own = [e for e in events if step.first_seq <= e.seq <= step.last_seq]
    if not own:
        raise EditError("the step's raw events were not given; a split needs them")
    parts = []
    for part in ([e for e in own if e.seq < at_seq], [e for e in own if e.seq >= at_seq]):
        made = segment(part, rules=rules)
        if len(made) != 1:
            raise EditError(
                f"splitting at seq {at_seq} leaves a part that is {len(made)} actions, not one"
            )
        parts.append(made[0])
    a, b = parts
    middle = timeline.frame_before(b.t_start)
    first = step.evolve(action=a.action, t_end=a.t_end, last_seq=a.last_seq, after_frame=middle)
    second = Step(
        index=step.index + 1,
        action=b.action,
        t_start=b.t_start,
        t_end=b.t_end,
        first_seq=b.first_seq,
        last_seq=b.last_seq,
        before_frame=middle,
        after_frame=step.after_frame,
        window=step.window,
    )
    return first, second
