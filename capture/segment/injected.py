"""Steps of a session made by fault injection, labelled by when they happened.

``demotrace inject`` records one session: the executor replays a prefix of a
source session, applies a fault, then the person takes over. The session's
``fault`` holds the fault (``kind``, ``at`` and its parameters) and two times
on the session clock: ``t_ns`` when the fault began and ``takeover_ns`` when
the person took over. From those alone, every time the steps are computed:

- steps before ``t_ns`` are the replayed prefix (``replayed``);
- steps between are the fault (``injected_fault``, ``fault`` set); a fault that
  sends no input (``skip``, ``dialog``, or a typo that leaves nothing to type)
  gets a marker step, a ``wait`` of 0 s;
- steps from ``takeover_ns`` on are the person's ``recovery``; the first is a
  decision point, so the walkthrough asks what they saw and did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from capture.segment.steps import Action, Step

# Keys of a session's fault that are bookkeeping, not the fault's parameters.
TIMES = ("t_ns", "takeover_ns")


def step_fault(fault: Mapping[str, Any]) -> dict[str, Any]:
    """What a fault step carries: kind, the source step and the parameters."""
    return {k: v for k, v in fault.items() if k not in TIMES}


def _retag(step: Step, tag: str, **changes: Any) -> Step:
    tags = tuple(t for t in step.tags if t not in ("replayed", "injected_fault", "recovery"))
    return step.evolve(tags=(*tags, tag), **changes)


def label_injected(steps: Sequence[Step], fault: Mapping[str, Any]) -> list[Step]:
    start = fault.get("t_ns")
    if start is None:  # stopped before the fault: everything was replayed
        return [_retag(s, "replayed") for s in steps]
    takeover = fault.get("takeover_ns")
    takeover = int(takeover) if takeover is not None else None
    marker_fault = step_fault(fault)
    out: list[Step] = []
    faulted = False
    for step in steps:
        if step.t_start < start:
            out.append(_retag(step, "replayed"))
        elif takeover is None or step.t_start < takeover:
            out.append(_retag(step, "injected_fault", fault=marker_fault))
            faulted = True
        else:
            out.append(_retag(step, "recovery"))
    if not faulted:
        at = next((i for i, s in enumerate(out) if s.t_start >= start), len(out))
        previous = out[at - 1] if at > 0 else None
        following = out[at] if at < len(out) else None
        out.insert(
            at,
            Step(
                index=at,
                action=Action.make("wait", seconds=0),
                t_start=int(start),
                t_end=int(start),
                before_frame=previous.after_frame if previous else None,
                after_frame=following.before_frame if following else None,
                window=previous.window if previous else None,
                tags=("injected_fault",),
                fault=marker_fault,
            ),
        )
    first = next((i for i, s in enumerate(out) if "recovery" in s.tags), None)
    if first is not None and not out[first].decision_point:
        out[first] = out[first].evolve(decision_point=True, decision_reason="marked")
    return [s.evolve(index=i) for i, s in enumerate(out)]
