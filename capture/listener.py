"""Input listeners (pynput). Callbacks only stamp, translate and enqueue; they never block."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from capture.clock import SessionClock
from capture.events import EventKind, RawEvent
from capture.keys import NOT_TYPED, is_modifier, key_name, keysym_name

BUTTON_NAMES = {"left": "left", "right": "right", "middle": "middle"}


# How long after demotrace stops injecting its input still counts as injected. The
# listener hears XRecord's copy of an event a little after it was sent (more on a
# busy machine), so a span that closed the instant the last event went out would
# leave that event's release marked as the person's.
INJECTION_GRACE_S = 0.3


class InjectionLog:
    """Marks spans of time during which demotrace itself injects input.

    Whatever the listeners see while a span is open, or within
    ``INJECTION_GRACE_S`` after the last one closed, is flagged ``synthetic``;
    the replay executor and fault injection open spans around what they send.
    """

    def __init__(
        self, grace_s: float = INJECTION_GRACE_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._depth = 0
        self._lock = threading.Lock()
        self._grace_s = grace_s
        self._clock = clock
        self._until = float("-inf")

    @contextmanager
    def injecting(self) -> Iterator[None]:
        with self._lock:
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    self._until = self._clock() + self._grace_s

    @property
    def injecting_now(self) -> bool:
        """A span is open (what the injector itself asks: is it sending input?)."""
        return self._depth > 0

    @property
    def active(self) -> bool:
        """Input heard now counts as injected: a span is open or closed a moment ago."""
        return self._depth > 0 or self._clock() < self._until


class ModifierState:
    """Which modifiers are held, counting left and right keys separately."""

    def __init__(self) -> None:
        self._held: dict[str, int] = {}
        self.current: frozenset[str] = frozenset()

    def apply(self, name: str, down: bool, raw: str) -> None:
        if not is_modifier(name):
            return
        if down:
            self._held[raw] = 1
        else:
            self._held.pop(raw, None)
        self.current = frozenset(key_name(k) for k in self._held)


def translate_key(key: Any) -> tuple[str, str, str | None]:
    """(name, raw keysym name, char) of a pynput key on X11."""
    code = getattr(key, "value", key)  # Key enum members wrap a KeyCode
    vk = getattr(code, "vk", None)
    char = getattr(code, "char", None)
    if vk:
        raw = keysym_name(vk)
    elif char:
        raw = keysym_name(ord(char) if ord(char) < 0x100 else 0x01000000 | ord(char))
    else:
        raw = "unknown"
    if raw == "space":
        char = " "
    if raw in NOT_TYPED or (char is not None and not char.isprintable()):
        char = None
    return key_name(raw), raw, char


class InputListener:
    """pynput mouse and keyboard listeners feeding ``sink`` with RawEvents."""

    def __init__(
        self,
        clock: SessionClock,
        sink: Callable[[RawEvent], None],
        injections: InjectionLog,
    ) -> None:
        self._clock = clock
        self._sink = sink
        self._injections = injections
        self._mods = ModifierState()
        self._mouse: Any = None
        self._keyboard: Any = None

    def start(self) -> None:
        from pynput import keyboard, mouse

        self._mouse = mouse.Listener(
            on_move=self._on_move, on_click=self._on_click, on_scroll=self._on_scroll
        )
        self._keyboard = keyboard.Listener(on_press=self._on_press, on_release=self._on_release)
        self._mouse.start()
        self._keyboard.start()
        self._mouse.wait()
        self._keyboard.wait()

    def stop(self) -> None:
        listeners = [x for x in (self._mouse, self._keyboard) if x is not None]
        for listener in listeners:
            with contextlib.suppress(Exception):  # the X server may be gone already
                listener.stop()
            _end_record_context(listener)
        for listener in listeners:
            listener.join(timeout=2)

    def _synthetic(self, injected: bool) -> bool:
        return bool(injected) or self._injections.active

    def _on_move(self, x: int, y: int, injected: bool = False) -> None:
        t = self._clock.now()
        self._sink(
            RawEvent(
                t,
                EventKind.MOVE,
                x=int(x),
                y=int(y),
                modifiers=self._mods.current,
                synthetic=self._synthetic(injected),
            )
        )

    def _on_click(self, x: int, y: int, button: Any, pressed: bool, injected: bool = False) -> None:
        t = self._clock.now()
        name = getattr(button, "name", str(button))
        self._sink(
            RawEvent(
                t,
                EventKind.PRESS if pressed else EventKind.RELEASE,
                x=int(x),
                y=int(y),
                button=BUTTON_NAMES.get(name, name),
                modifiers=self._mods.current,
                synthetic=self._synthetic(injected),
            )
        )

    def _on_scroll(self, x: int, y: int, dx: int, dy: int, injected: bool = False) -> None:
        t = self._clock.now()
        # pynput: dy > 0 is wheel up. The action vocabulary: dy > 0 scrolls down.
        self._sink(
            RawEvent(
                t,
                EventKind.SCROLL,
                x=int(x),
                y=int(y),
                dx=int(dx),
                dy=-int(dy),
                modifiers=self._mods.current,
                synthetic=self._synthetic(injected),
            )
        )

    def _on_key(self, key: Any, down: bool, injected: bool) -> None:
        t = self._clock.now()
        if key is None:
            return
        try:
            name, raw, char = translate_key(key)
        except Exception:  # noqa: BLE001 - a key we cannot name is still recorded
            name, raw, char = "unknown", "unknown", None
        held = self._mods.current
        self._mods.apply(name, down, raw)
        self._sink(
            RawEvent(
                t,
                EventKind.KEY_DOWN if down else EventKind.KEY_UP,
                key=name,
                char=char if down else None,
                modifiers=held - {name},
                synthetic=self._synthetic(injected),
            )
        )

    def _on_press(self, key: Any, injected: bool = False) -> None:
        self._on_key(key, True, injected)

    def _on_release(self, key: Any, injected: bool = False) -> None:
        self._on_key(key, False, injected)


def _end_record_context(listener: Any) -> None:
    """Make a stopped X11 listener's thread return now, not at the next input event.

    pynput disables the RECORD context on the data connection, which its own
    thread is blocked reading, so the request waits there until some input
    arrives. The RECORD spec wants it on the control connection; send it there.
    """
    control = getattr(listener, "_display_stop", None)
    context = getattr(listener, "_context", None)
    if control is None or context is None:
        return
    with contextlib.suppress(Exception):  # the thread may have closed it already
        control.record_disable_context(context)
        control.flush()
