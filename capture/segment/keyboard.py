"""Keys into actions: typing runs, BackSpace inside them, single keys, hotkeys."""

from __future__ import annotations

from collections.abc import Callable

from capture.events import MODIFIERS, RawEvent
from capture.hotkeys import parse_hotkey
from capture.privacy.secret import SECRET_PLACEHOLDER
from capture.segment.context import SegmentContext
from capture.segment.draft import Draft, OrderKey, Span
from capture.segment.rules import MS, SegmentationRules
from capture.segment.steps import Action

# Keys whose keysym has a character that is not typed text.
NOT_TYPED = frozenset(
    {"Return", "KP_Enter", "Tab", "ISO_Left_Tab", "BackSpace", "Escape", "Delete"}
)
STRONG = frozenset({"ctrl", "alt", "super"})


class TypeRun(Span):
    __slots__ = ("text",)

    def __init__(self, e: RawEvent, char: str) -> None:
        super().__init__(e)
        self.text = [char]


class KeyRun(Span):
    __slots__ = ("keys", "repeat")

    def __init__(self, e: RawEvent, keys: tuple[str, ...]) -> None:
        super().__init__(e)
        self.keys = keys
        self.repeat = 1


def hotkey_name(key: str, held: frozenset[str]) -> str:
    """A letter under shift is named as the key on the keyboard: ctrl+shift+s, not S."""
    if "shift" in held and len(key) == 1 and key.isalpha():
        return key.lower()
    return key


class Keyboard:
    def __init__(
        self, rules: SegmentationRules, timeline: SegmentContext, emit: Callable[[Draft], None]
    ) -> None:
        self.rules = rules
        self.timeline = timeline
        self._emit = emit
        self._typing_gap = rules.typing_gap_ms * MS
        self._repeat_gap = rules.key_repeat_gap_ms * MS
        self._controls = frozenset(parse_hotkey(h) for h in rules.control_hotkeys)
        self._pressed: list[str] = []  # modifiers held, in the order pressed
        self.run: TypeRun | KeyRun | None = None
        self._last_press_t: int | None = None  # the last pointer press of the demonstration

    def pointer_pressed(self, t_ns: int) -> None:
        self._last_press_t = t_ns

    @staticmethod
    def is_modifier(e: RawEvent) -> bool:
        return e.key in MODIFIERS

    def modifier_down(self, e: RawEvent) -> None:
        if e.key is not None and e.key not in self._pressed:
            self._pressed.append(e.key)

    def key_up(self, e: RawEvent) -> None:
        if e.key in self._pressed:
            self._pressed.remove(e.key)

    def open_order(self) -> OrderKey | None:
        return None if self.run is None else self.run.order

    def expire(self, now: int) -> None:
        run = self.run
        if run is None:
            return
        gap = self._typing_gap if isinstance(run, TypeRun) else self._repeat_gap
        if run.last_t + gap < now:
            self.close()

    def close(self) -> None:
        run = self.run
        if run is None:
            return
        self.run = None
        if isinstance(run, TypeRun):
            if run.text:  # typed and erased again: nothing happened
                self._emit(run.draft(Action.make("type", text="".join(run.text))))
        else:
            self._emit(run.draft(Action.make("key", keys=run.keys, repeat=run.repeat)))

    def _held(self, held: frozenset[str]) -> tuple[str, ...]:
        """Modifiers held, in the order pressed (any pressed before recording started first)."""
        early = tuple(m for m in MODIFIERS if m in held and m not in self._pressed)
        return early + tuple(m for m in self._pressed if m in held)

    def _ignored(self, e: RawEvent, key: str) -> bool:
        combo = frozenset(e.modifiers) | {key.lower() if len(key) == 1 else key}
        if combo in self._controls:
            return True
        if self.rules.own_apps:
            change = self.timeline.window_change_at(e.t_ns)
            if change is not None and change[1].app in self.rules.own_apps:
                # Typed into demotrace's own window, unless the person has clicked
                # elsewhere since it became active (a click moves the focus; the
                # window watcher may not have seen it yet).
                since, _ = change
                return self._last_press_t is None or self._last_press_t <= since
        return False

    def key_down(self, e: RawEvent) -> bool:
        """A non-modifier key went down; False when it is not part of the demonstration."""
        key = e.key or ""
        if self._ignored(e, key):
            return False
        if key == SECRET_PLACEHOLDER:  # typed in secret mode: one step, text withheld
            self.close()
            self._emit(Span(e).draft(Action.make("type", text=SECRET_PLACEHOLDER)))
            return True
        held = e.modifiers
        if held & STRONG:
            self.close()
            keys = (*self._held(held), hotkey_name(key, held))
            self._emit(Span(e).draft(Action.make("hotkey", keys=keys)))
            return True
        char = e.char
        if char is None and key == "space":
            char = " "
        run = self.run
        if char and char.isprintable() and key not in NOT_TYPED:
            if isinstance(run, TypeRun) and e.t_ns - run.last_t <= self._typing_gap:
                run.text.append(char)
                run.extend(e)
            else:
                self.close()
                self.run = TypeRun(e, char)
            return True
        if (
            key == "BackSpace"
            and isinstance(run, TypeRun)
            and run.text
            and e.t_ns - run.last_t <= self._typing_gap
        ):
            run.text.pop()
            run.extend(e)
            return True
        keys = (*self._held(held), key)
        if (
            self.rules.merge_key_repeats
            and isinstance(run, KeyRun)
            and run.keys == keys
            and e.t_ns - run.last_t <= self._repeat_gap
        ):
            run.repeat += 1
            run.extend(e)
            return True
        self.close()
        self.run = KeyRun(e, keys)
        if not self.rules.merge_key_repeats:
            self.close()
        return True
