"""The control hotkeys: the one table the recorder, segmentation, ``record --help``
and the app read. They control the recording and never become steps."""

from __future__ import annotations

from dataclasses import dataclass

from capture.events import EventKind, RawEvent
from capture.privacy.secret import SECRET_PLACEHOLDER


@dataclass(frozen=True, slots=True)
class ControlHotkey:
    name: str  # what the recorder does: mark | pause | stop | secret
    keys: str  # xdotool spelling, e.g. "ctrl+alt+m"
    description: str  # what it does, in the words of the help text

    @property
    def label(self) -> str:
        """``Ctrl+Alt+M``, as a person reads it on screen."""
        return "+".join(k.upper() if len(k) == 1 else k.capitalize() for k in self.keys.split("+"))


CONTROL_HOTKEYS: tuple[ControlHotkey, ...] = (
    ControlHotkey("mark", "ctrl+alt+m", "mark a decision point"),
    ControlHotkey("pause", "ctrl+alt+p", "pause or resume"),
    ControlHotkey("stop", "ctrl+alt+s", "stop and save"),
    ControlHotkey(
        "secret", "ctrl+alt+h", f"secret mode on or off (typing kept as {SECRET_PLACEHOLDER})"
    ),
)


def parse_hotkey(spec: str) -> frozenset[str]:
    """``"ctrl+alt+s"`` -> the set of keys held; letters compare case-insensitively."""
    keys = [k.strip() for k in spec.split("+") if k.strip()]
    if not keys:
        raise ValueError(f"empty hotkey {spec!r}")
    return frozenset(k.lower() if len(k) == 1 else k for k in keys)


def hotkey(name: str, table: tuple[ControlHotkey, ...] = CONTROL_HOTKEYS) -> ControlHotkey:
    for entry in table:
        if entry.name == name:
            return entry
    raise KeyError(name)


class Hotkeys:
    """Recognises the control hotkeys among raw events."""

    def __init__(self, table: tuple[ControlHotkey, ...] = CONTROL_HOTKEYS) -> None:
        self._keys = {parse_hotkey(h.keys): h.name for h in table}

    def command(self, event: RawEvent) -> str | None:
        """The name of the hotkey ``event`` completes, if it is a key press that completes one."""
        if event.kind is not EventKind.KEY_DOWN or not event.key or not event.modifiers:
            return None
        pressed = event.modifiers | {event.key.lower() if len(event.key) == 1 else event.key}
        return self._keys.get(pressed)
