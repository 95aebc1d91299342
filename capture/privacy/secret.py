"""Secret mode: what is typed while it is on never reaches the store, only that it was typed.

The recorder passes every raw event through a ``SecretFilter`` before it is
queued. While secret mode is on, key events are dropped where they are
received (no queue, no spill, no row ever holds them); the first key of each
run of secret typing becomes one placeholder key-down at that key's time, which
segmentation turns into a ``type`` step whose text is ``SECRET_PLACEHOLDER``.
Keys that end a field and say nothing about its content (Return, Tab, Escape)
are kept as they are. Pointer input and frames are kept: the screen usually
shows dots, and a redaction rule can cover it if not.
"""

from __future__ import annotations

import threading

from capture.events import EventKind, RawEvent
from capture.keys import is_modifier

# The text of a secret: a type step's text, and the key name of the placeholder event.
SECRET_PLACEHOLDER = "<secret>"

# Keys kept in secret mode: they end a field and reveal nothing typed into it.
KEPT_KEYS = frozenset({"Return", "KP_Enter", "Tab", "ISO_Left_Tab", "Escape"})

_KEYS = (EventKind.KEY_DOWN, EventKind.KEY_UP)
_RUN_ENDS = (EventKind.PRESS, EventKind.SCROLL)


def is_secret(event: RawEvent) -> bool:
    """True for the placeholder of a run of secret typing."""
    return event.kind is EventKind.KEY_DOWN and event.key == SECRET_PLACEHOLDER


class SecretFilter:
    """Secret mode on or off, and what it lets through. Thread-safe (two listener threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._on = False
        self._in_run = False  # a placeholder stands for the keys typed since

    @property
    def on(self) -> bool:
        return self._on

    def set(self, on: bool) -> bool:
        """Turn secret mode on or off; True when that changed it."""
        with self._lock:
            changed = self._on != on
            self._on, self._in_run = on, False
            return changed

    def admit(self, event: RawEvent) -> RawEvent | None:
        """``event`` as it may be stored: itself, its placeholder, or None (dropped)."""
        with self._lock:
            if not self._on:
                return event
            if event.kind in _RUN_ENDS:
                self._in_run = False
                return event
            if event.kind not in _KEYS:
                return event
            if event.key in KEPT_KEYS:
                self._in_run = False
                return event
            if event.kind is EventKind.KEY_UP or self._in_run or is_modifier(event.key or ""):
                return None
            self._in_run = True
            return RawEvent(
                event.t_ns, EventKind.KEY_DOWN, key=SECRET_PLACEHOLDER, synthetic=event.synthetic
            )
