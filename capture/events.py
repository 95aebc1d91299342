"""Raw input events: what the listeners saw, exactly, before any interpretation.

Coordinates are virtual-desktop physical pixels. Wheel notches follow the
action vocabulary: ``dy > 0`` scrolls down, ``dx > 0`` scrolls right. Key names
are X keysym names as xdotool spells them (``Return``, ``BackSpace``, ``a``,
``exclam``); modifiers are the short names ``ctrl``, ``alt``, ``shift``,
``super``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    MOVE = "move"
    PRESS = "press"
    RELEASE = "release"
    SCROLL = "scroll"
    KEY_DOWN = "key_down"
    KEY_UP = "key_up"


# Events that start an action: the frame on screen just before each of them is
# persisted as the observation the person acted on.
ACTION_STARTS = frozenset({EventKind.PRESS, EventKind.SCROLL, EventKind.KEY_DOWN})

MODIFIERS = ("ctrl", "alt", "shift", "super")


@dataclass(frozen=True, slots=True)
class RawEvent:
    t_ns: int
    kind: EventKind
    x: int | None = None
    y: int | None = None
    button: str | None = None
    dx: int = 0
    dy: int = 0
    key: str | None = None
    char: str | None = None
    # Modifiers held when the event happened, not counting the event's own key.
    modifiers: frozenset[str] = field(default_factory=frozenset)
    # True when demotrace itself injected the event (replay, fault injection).
    synthetic: bool = False
    # Position in the session's event sequence; assigned by the recorder.
    seq: int = -1


@dataclass(frozen=True, slots=True)
class Marker:
    """A point the person (or the recorder) flagged: mark, pause, resume."""

    t_ns: int
    kind: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class WindowChange:
    """The active window became this one at ``t_ns``."""

    t_ns: int
    title: str
    app: str
    window_id: int = 0


@dataclass(frozen=True, slots=True)
class Target:
    """Where the action that started at ``t_ns`` landed (a press or key-down).

    ``window``: {id, title, app, pid, popup} of the top-level window, None when
    none could be read. ``element``: the accessible element's {role, name,
    states, bbox, path}, or {reason} saying why there is none.
    """

    t_ns: int
    window: Mapping[str, Any] | None = None
    element: Mapping[str, Any] | None = None
