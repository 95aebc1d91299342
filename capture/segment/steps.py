"""Steps: what the person did, one action from the native vocabulary at a time.

The vocabulary and the JSON keys of a step are a contract (see "Steps" in the
design notes): new keys may be added, none renamed or removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from capture.events import MODIFIERS

FrameId = int | str

BUTTONS = ("left", "right", "middle")
OUTCOMES = ("success", "partial", "failure", "unknown")
TAGS = ("mistake", "recovery", "redundant", "injected_fault", "replayed")
# The default list of error types for steps tagged ``mistake``; settings may extend it.
ERROR_TYPES = (
    "wrong_target",
    "wrong_input",
    "unexpected_dialog",
    "permission_error",
    "ambiguous_instruction",
    "slow_environment",
    "other",
)
DECISION_REASONS = ("first", "marked", "pause", "screen_change", "manual")

# type -> its fields, in the order they are written.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "click": ("x", "y", "button", "modifiers"),
    "double_click": ("x", "y", "button", "modifiers"),
    "triple_click": ("x", "y", "button", "modifiers"),
    "drag": ("path", "button", "modifiers"),
    "scroll": ("x", "y", "dx", "dy"),
    "type": ("text",),
    "key": ("keys", "repeat"),
    "hotkey": ("keys",),
    "move": ("x", "y"),
    "wait": ("seconds",),
}


class StepFormatError(ValueError):
    """A step or action read from JSON does not follow the contract."""


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StepFormatError(f"{name} must be an integer, got {value!r}")
    return value


def _field(name: str, value: Any) -> Any:
    """Check one action field and return it in its stored (immutable) form."""
    if name in ("x", "y", "dx", "dy"):
        return _int(name, value)
    if name == "repeat":
        if _int(name, value) < 1:
            raise StepFormatError(f"repeat must be at least 1, got {value!r}")
        return value
    if name == "button":
        if value not in BUTTONS:
            raise StepFormatError(f"button must be one of {', '.join(BUTTONS)}, got {value!r}")
        return value
    if name == "modifiers":
        mods = tuple(value)
        if any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
            raise StepFormatError(f"modifiers must be distinct names from {MODIFIERS}: {value!r}")
        return mods
    if name == "keys":
        keys = tuple(value)
        if not keys or not all(isinstance(k, str) and k for k in keys):
            raise StepFormatError(f"keys must be a non-empty list of key names, got {value!r}")
        return keys
    if name == "path":
        path = tuple((_int("path x", p[0]), _int("path y", p[1])) for p in value)
        if len(path) < 2 or any(len(p) != 2 for p in value):
            raise StepFormatError(f"path must hold at least two [x, y] points, got {value!r}")
        return path
    if name == "text":
        if not isinstance(value, str):
            raise StepFormatError(f"text must be a string, got {value!r}")
        return value
    if name == "seconds":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise StepFormatError(f"seconds must be a non-negative number, got {value!r}")
        return float(value)
    raise StepFormatError(f"unknown action field {name!r}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Action:
    """One action of the vocabulary: ``type`` and exactly that type's fields."""

    type: str
    values: tuple[Any, ...]

    @classmethod
    def make(cls, type: str, **fields: Any) -> Action:
        names = VOCABULARY.get(type)
        if names is None:
            raise StepFormatError(f"unknown action type {type!r}")
        if set(fields) != set(names):
            missing = sorted(set(names) - set(fields))
            extra = sorted(set(fields) - set(names))
            raise StepFormatError(
                f"{type} action needs fields {list(names)}; missing {missing}, unknown {extra}"
            )
        return cls(type, tuple(_field(n, fields[n]) for n in names))

    @property
    def fields(self) -> dict[str, Any]:
        return dict(zip(VOCABULARY[self.type], self.values, strict=True))

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    def with_fields(self, **changes: Any) -> Action:
        return Action.make(self.type, **{**self.fields, **changes})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        for name, value in self.fields.items():
            if name == "path":
                out[name] = [list(p) for p in value]
            elif isinstance(value, tuple):
                out[name] = list(value)
            else:
                out[name] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Action:
        if not isinstance(data, Mapping) or "type" not in data:
            raise StepFormatError(f"an action is an object with a type, got {data!r}")
        fields = {k: v for k, v in data.items() if k != "type"}
        return cls.make(data["type"], **fields)


def click(x: int, y: int, button: str = "left", modifiers: tuple[str, ...] = ()) -> Action:
    return Action.make("click", x=x, y=y, button=button, modifiers=modifiers)


def type_text(text: str) -> Action:
    return Action.make("type", text=text)


def key(*keys: str, repeat: int = 1) -> Action:
    return Action.make("key", keys=keys, repeat=repeat)


def hotkey(*keys: str) -> Action:
    return Action.make("hotkey", keys=keys)


@dataclass(frozen=True, slots=True)
class Window:
    title: str
    app: str

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "app": self.app}


# Keys of ``Step.to_json()``; ``first_seq``/``last_seq`` are added on request.
STEP_KEYS = (
    "index",
    "action",
    "t_start",
    "t_end",
    "before_frame",
    "after_frame",
    "window",
    "decision_point",
    "decision_reason",
    "note",
    "draft_note",
    "outcome",
    "tags",
    "comments",
)
EVENT_KEYS = ("first_seq", "last_seq")
# Keys added after the first release of the step JSON: written always, optional when read.
LATER_KEYS = ("outcome_suggested", "outcome_reason", "error_type", "element", "fault")


@dataclass(frozen=True, slots=True)
class Step:
    """One action with its observations, window, raw event range and annotation.

    ``first_seq``/``last_seq`` bound the raw events the step was made from
    (None for a ``wait``, which no event makes). ``note`` is the person's own
    reasoning; ``draft_note`` holds model-drafted text and is never merged into
    ``note``.
    """

    index: int
    action: Action
    t_start: int
    t_end: int
    first_seq: int | None = None
    last_seq: int | None = None
    before_frame: FrameId | None = None
    after_frame: FrameId | None = None
    window: Window | None = None
    decision_point: bool = False
    decision_reason: str | None = None
    note: str = ""
    draft_note: str = ""
    outcome: str = "unknown"
    tags: tuple[str, ...] = ()
    comments: tuple[str, ...] = field(default=())
    # Suggested from what the screen did after the step; never the person's label.
    outcome_suggested: str | None = None
    outcome_reason: str = ""
    error_type: str | None = None
    # The accessible element the action landed on: {role, name, states, bbox, path}.
    element: Mapping[str, Any] | None = None
    # An injected fault: {"kind": ..., plus its parameters}.
    fault: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise StepFormatError(f"outcome must be one of {', '.join(OUTCOMES)}")
        if self.outcome_suggested is not None and self.outcome_suggested not in OUTCOMES:
            raise StepFormatError(f"outcome_suggested must be one of {', '.join(OUTCOMES)}")
        if self.error_type is not None and (
            not isinstance(self.error_type, str) or not self.error_type
        ):
            raise StepFormatError(f"error_type must be a non-empty name, got {self.error_type!r}")
        if any(t not in TAGS for t in self.tags):
            raise StepFormatError(f"tags must be among {', '.join(TAGS)}, got {self.tags!r}")
        if self.decision_reason is not None and self.decision_reason not in DECISION_REASONS:
            raise StepFormatError(f"unknown decision reason {self.decision_reason!r}")
        if self.t_end < self.t_start:
            raise StepFormatError(f"step ends ({self.t_end}) before it starts ({self.t_start})")

    def evolve(self, **changes: Any) -> Step:
        return replace(self, **changes)

    def to_json(self, *, with_events: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "action": self.action.to_json(),
            "t_start": self.t_start,
            "t_end": self.t_end,
            "before_frame": self.before_frame,
            "after_frame": self.after_frame,
            "window": None if self.window is None else self.window.to_json(),
            "decision_point": self.decision_point,
            "decision_reason": self.decision_reason,
            "note": self.note,
            "draft_note": self.draft_note,
            "outcome": self.outcome,
            "tags": list(self.tags),
            "comments": list(self.comments),
            "outcome_suggested": self.outcome_suggested,
            "outcome_reason": self.outcome_reason,
            "error_type": self.error_type,
            "element": None if self.element is None else dict(self.element),
            "fault": None if self.fault is None else dict(self.fault),
        }
        if with_events:
            out["first_seq"] = self.first_seq
            out["last_seq"] = self.last_seq
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Step:
        keys = set(data)
        missing = sorted(set(STEP_KEYS) - keys)
        extra = sorted(keys - set(STEP_KEYS) - set(EVENT_KEYS) - set(LATER_KEYS))
        if missing or extra or (keys & set(EVENT_KEYS) not in (set(), set(EVENT_KEYS))):
            raise StepFormatError(f"step keys do not match: missing {missing}, unknown {extra}")
        for name in ("element", "fault"):
            if data.get(name) is not None and not isinstance(data[name], Mapping):
                raise StepFormatError(f"{name} must be an object or null, got {data[name]!r}")
        if not isinstance(data.get("outcome_reason", ""), str):
            raise StepFormatError("outcome_reason must be a string")
        window = data["window"]
        if window is not None and set(window) != {"title", "app"}:
            raise StepFormatError(f"window must have exactly title and app, got {window!r}")
        return cls(
            index=_int("index", data["index"]),
            action=Action.from_json(data["action"]),
            t_start=_int("t_start", data["t_start"]),
            t_end=_int("t_end", data["t_end"]),
            first_seq=data.get("first_seq"),
            last_seq=data.get("last_seq"),
            before_frame=data["before_frame"],
            after_frame=data["after_frame"],
            window=None if window is None else Window(window["title"], window["app"]),
            decision_point=bool(data["decision_point"]),
            decision_reason=data["decision_reason"],
            note=data["note"],
            draft_note=data["draft_note"],
            outcome=data["outcome"],
            tags=tuple(data["tags"]),
            comments=tuple(data["comments"]),
            outcome_suggested=data.get("outcome_suggested"),
            outcome_reason=data.get("outcome_reason", ""),
            error_type=data.get("error_type"),
            element=data.get("element"),
            fault=data.get("fault"),
        )
