"""Faults to inject into a replay: what happens at step K instead of what the person did.

Pure: ``plan_fault(step, fault)`` says which actions to send in place of the
step (none for ``skip`` and ``dialog``) and what to record about the fault.
``demotrace inject`` runs the plan (replay/faults_run.py).

- ``skip``: the step is not performed.
- ``offset``: a pointer step lands ``(dx, dy)`` pixels off (a drag's whole path).
- ``typo``: typed text loses (``drop``), repeats (``double``) or swaps
  (``swap``) one character, in the middle of the text.
- ``wrong-key``: ``key`` (e.g. ``Escape`` or ``ctrl+w``) is sent instead of the
  step; without ``key``, a key or hotkey step gets a near miss (see ``near_miss``).
- ``dialog``: an unexpected modal error box with ``dialog_text`` appears over
  the app instead of the step; the person must deal with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from capture.errors import DemotraceError
from capture.events import MODIFIERS
from capture.segment.steps import Action, Step

FAULT_KINDS = ("skip", "offset", "typo", "wrong-key", "dialog")
TYPOS = ("drop", "double", "swap")
DEFAULT_OFFSET = (40, 40)
DEFAULT_TYPO = "swap"
DEFAULT_DIALOG_TEXT = "Permission denied"
# Messages the unexpected dialog may show; any text is allowed.
DIALOG_EXAMPLES = (
    "Permission denied",
    "Network error: the server did not answer",
    "Your session has expired. Please sign in again.",
)
POINTER = ("click", "double_click", "triple_click", "drag", "scroll", "move")
# The wrong key for a key the person pressed; other keys get Tab.
NEAR_MISS = {"Return": "Escape", "Escape": "Return", "Tab": "Return", "KP_Enter": "Escape"}


class FaultError(DemotraceError):
    """A fault that cannot be applied to the chosen step."""


@dataclass(frozen=True)
class Fault:
    kind: str
    offset: tuple[int, int] = DEFAULT_OFFSET
    typo: str = DEFAULT_TYPO
    key: str | None = None
    dialog_text: str = DEFAULT_DIALOG_TEXT

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise FaultError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.typo not in TYPOS:
            raise FaultError(f"unknown typo {self.typo!r}; one of {', '.join(TYPOS)}")


@dataclass(frozen=True)
class FaultPlan:
    """What to do at step K: send ``actions``, show a dialog with ``dialog_text`` if set."""

    actions: tuple[Action, ...]
    dialog_text: str | None
    # Stored with the session and on the fault step: kind plus its parameters.
    record: dict[str, Any]


def keys_action(combo: str) -> Action:
    """``"ctrl+w"`` -> hotkey, ``"Escape"`` -> key."""
    keys = tuple(k for k in combo.split("+") if k)
    if not keys:
        raise FaultError(f"no key in {combo!r}")
    if len(keys) > 1 and any(k in MODIFIERS for k in keys[:-1]):
        return Action.make("hotkey", keys=keys)
    if len(keys) > 1:
        raise FaultError(f"{combo!r}: only ctrl, alt, shift or super may come before '+'")
    return Action.make("key", keys=keys, repeat=1)


def near_miss(action: Action) -> Action:
    """A plausible wrong key for a key or hotkey step (the last key changed)."""
    keys = list(action["keys"])
    last = keys[-1]
    if last in NEAR_MISS:
        keys[-1] = NEAR_MISS[last]
    elif len(last) == 1 and last.isalpha():
        keys[-1] = "a" if last.lower() == "z" else chr(ord(last.lower()) + 1)
    else:
        keys[-1] = "Tab" if last != "Tab" else "Return"
    return action.with_fields(keys=tuple(keys))


def typo(text: str, how: str) -> tuple[str, int]:
    """``text`` with one slip in the middle, and where it is."""
    if how == "swap":
        if len(text) < 2:
            raise FaultError(f"cannot swap characters in {text!r}: it has fewer than two")
        at = max(0, len(text) // 2 - 1)
        while at + 1 < len(text) and text[at] == text[at + 1]:
            at += 1  # swapping two equal characters would change nothing
        if at + 1 >= len(text):
            raise FaultError(f"cannot swap characters in {text!r}: they are all the same")
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :], at
    if not text:
        raise FaultError("cannot make a typo in empty text")
    at = len(text) // 2
    if how == "drop":
        return text[:at] + text[at + 1 :], at
    return text[:at] + text[at] + text[at:], at


def plan_fault(step: Step, fault: Fault) -> FaultPlan:
    action = step.action
    record: dict[str, Any] = {"kind": fault.kind, "at": step.index, "action": action.to_json()}
    if fault.kind == "skip":
        return FaultPlan((), None, record)
    if fault.kind == "dialog":
        return FaultPlan((), fault.dialog_text, {**record, "text": fault.dialog_text})
    if fault.kind == "offset":
        if action.type not in POINTER:
            raise FaultError(f"offset needs a pointer step; step {step.index} is {action.type}")
        dx, dy = fault.offset
        if action.type == "drag":
            moved = action.with_fields(path=tuple((x + dx, y + dy) for x, y in action["path"]))
        else:
            moved = action.with_fields(x=action["x"] + dx, y=action["y"] + dy)
        return FaultPlan((moved,), None, {**record, "dx": dx, "dy": dy})
    if fault.kind == "typo":
        if action.type != "type":
            raise FaultError(f"typo needs a typing step; step {step.index} is {action.type}")
        typed, at = typo(action["text"], fault.typo)
        sent = (Action.make("type", text=typed),) if typed else ()
        return FaultPlan(sent, None, {**record, "typo": fault.typo, "position": at, "typed": typed})
    # wrong-key
    if fault.key is not None:
        wrong = keys_action(fault.key)
    elif action.type in ("key", "hotkey"):
        wrong = near_miss(action)
    else:
        raise FaultError(
            f"wrong-key without --key needs a key or hotkey step; step {step.index} is "
            f"{action.type}"
        )
    return FaultPlan((wrong,), None, {**record, "key": "+".join(wrong["keys"])})
