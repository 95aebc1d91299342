"""Raw input scripted in one line: clicks, typing, drags, wheel bursts, hotkeys.

A ``Script`` keeps the session time and the next seq, so a test reads like
what the person did::

    s = Script()
    s.glide(10, 10, 200, 100).click(200, 100).type("hi").key("Return")
    steps = segment(s.events)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capture.events import EventKind, RawEvent

MS = 1_000_000

# Characters typed with shift held on a US layout, and their keysym names.
SHIFTED = dict(zip('!@#$%^&*()_+{}|:"<>?~', "1234567890-=[]\\;',./`", strict=True))
KEYSYMS = {
    " ": "space",
    "!": "exclam",
    "@": "at",
    "#": "numbersign",
    "$": "dollar",
    "%": "percent",
    "^": "asciicircum",
    "&": "ampersand",
    "*": "asterisk",
    "(": "parenleft",
    ")": "parenright",
    "-": "minus",
    "_": "underscore",
    "=": "equal",
    "+": "plus",
    ".": "period",
    ",": "comma",
    "/": "slash",
    "?": "question",
    ":": "colon",
    ";": "semicolon",
    "'": "apostrophe",
    '"': "quotedbl",
}


def keysym(ch: str) -> str:
    return KEYSYMS.get(ch, ch)


@dataclass
class Script:
    """A demonstration being written, event by event. Every method returns the script."""

    t: int = 0
    seq: int = 0
    x: int = 0
    y: int = 0
    held: list[str] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)
    synthetic: bool = False

    def _add(self, kind: EventKind, **kw: object) -> Script:
        mods = frozenset(self.held)
        self.events.append(
            RawEvent(self.t, kind, seq=self.seq, modifiers=mods, synthetic=self.synthetic, **kw)  # type: ignore[arg-type]
        )
        self.seq += 1
        return self

    def wait(self, ms: float) -> Script:
        self.t += int(ms * MS)
        return self

    def at(self, ms: float) -> Script:
        self.t = int(ms * MS)
        return self

    # -- pointer

    def move(self, x: int, y: int, gap_ms: float = 10) -> Script:
        self.wait(gap_ms)
        self.x, self.y = x, y
        return self._add(EventKind.MOVE, x=x, y=y)

    def glide(
        self, x0: int, y0: int, x1: int, y1: int, steps: int = 10, step_ms: float = 12
    ) -> Script:
        """A human-like movement with a slight arc from (x0, y0) to (x1, y1)."""
        for i in range(1, steps + 1):
            f = i / steps
            bow = int(8 * f * (1 - f) * 4)
            self.move(round(x0 + (x1 - x0) * f) + bow, round(y0 + (y1 - y0) * f) - bow, step_ms)
        return self.move(x1, y1, step_ms)

    def press(
        self, x: int | None = None, y: int | None = None, button: str = "left", gap_ms: float = 10
    ) -> Script:
        self.wait(gap_ms)
        if x is not None and y is not None:
            self.x, self.y = x, y
        return self._add(EventKind.PRESS, x=self.x, y=self.y, button=button)

    def release(
        self, x: int | None = None, y: int | None = None, button: str = "left", gap_ms: float = 60
    ) -> Script:
        self.wait(gap_ms)
        if x is not None and y is not None:
            self.x, self.y = x, y
        return self._add(EventKind.RELEASE, x=self.x, y=self.y, button=button)

    def click(
        self,
        x: int | None = None,
        y: int | None = None,
        button: str = "left",
        gap_ms: float = 10,
        hold_ms: float = 60,
    ) -> Script:
        return self.press(x, y, button, gap_ms).release(button=button, gap_ms=hold_ms)

    def clicks(
        self, n: int, x: int, y: int, interval_ms: float = 150, button: str = "left"
    ) -> Script:
        self.click(x, y, button)
        for _ in range(n - 1):
            self.click(x, y, button, gap_ms=interval_ms - 60)
        return self

    def drag(
        self, x0: int, y0: int, x1: int, y1: int, steps: int = 10, button: str = "left"
    ) -> Script:
        self.press(x0, y0, button)
        for i in range(1, steps + 1):
            self.move(x0 + (x1 - x0) * i // steps, y0 + (y1 - y0) * i // steps, 20)
        return self.release(x1, y1, button, gap_ms=20)

    def scroll(
        self,
        dy: int = 1,
        dx: int = 0,
        x: int | None = None,
        y: int | None = None,
        notches: int = 1,
        gap_ms: float = 50,
    ) -> Script:
        if x is not None and y is not None:
            self.x, self.y = x, y
        for _ in range(notches):
            self.wait(gap_ms)
            self._add(EventKind.SCROLL, x=self.x, y=self.y, dx=dx, dy=dy)
        return self

    # -- keyboard

    def key_down(self, key: str, char: str | None = None, gap_ms: float = 10) -> Script:
        self.wait(gap_ms)
        self._add(EventKind.KEY_DOWN, key=key, char=char)
        if key in ("ctrl", "alt", "shift", "super") and key not in self.held:
            self.held.append(key)
        return self

    def key_up(self, key: str, gap_ms: float = 40) -> Script:
        self.wait(gap_ms)
        if key in self.held:
            self.held.remove(key)
        return self._add(EventKind.KEY_UP, key=key)

    def tap(self, key: str, char: str | None = None, gap_ms: float = 60) -> Script:
        return self.key_down(key, char, gap_ms).key_up(key)

    def key(self, key: str, times: int = 1, gap_ms: float = 60) -> Script:
        """A non-printable key, pressed ``times`` times."""
        for _ in range(times):
            self.tap(key, None, gap_ms)
        return self

    def type(self, text: str, gap_ms: float = 60) -> Script:
        """Typing as a person does: shift held for capitals and symbols, BackSpace as \\b."""
        for ch in text:
            if ch == "\b":
                self.tap("BackSpace", None, gap_ms)
            elif ch.isupper() or ch in SHIFTED:
                name = ch if ch.isalpha() else keysym(ch)
                self.key_down("shift", gap_ms=gap_ms)
                self.tap(name, ch, 15).key_up("shift", 10)
            else:
                self.tap(keysym(ch), ch, gap_ms)
        return self

    def hotkey(self, *keys: str, gap_ms: float = 60) -> Script:
        """Modifiers pressed in order, then the key; released in reverse."""
        *mods, last = keys
        for i, m in enumerate(mods):
            self.key_down(m, gap_ms=gap_ms if i == 0 else 20)
        self.tap(last, None, 20)
        for m in reversed(mods):
            self.key_up(m, 10)
        return self
