"""A scripted demonstration on the test form, and the form's final state read from its log.

Used by the replay end-to-end tests and by ``samples/record_sample.py``: typing
with a correction, a double click that selects a word, a hotkey, a click,
wheel scrolls in both axes, a drag on the canvas and a check box.
"""

from __future__ import annotations

import time
from typing import Any

from scripted.xserver import XServer

# Where the pointer rests before the app starts: outside the form, so nothing is hovered.
NEUTRAL = (990, 790)


def form_state(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """What the form holds in the end, from its own log."""
    state: dict[str, Any] = {"text": {}, "scroll": {}, "strokes": [], "clicks": 0, "checked": None}
    for line in lines:
        kind = line["event"]
        if kind == "text":
            state["text"][line["widget"]] = line["text"]
        elif kind == "scroll":
            state["scroll"][line["widget"]] = line["value"]
        elif kind == "stroke":
            state["strokes"].append((tuple(line["first"]), tuple(line["last"])))
        elif kind == "clicked":
            state["clicks"] = line["clicks"]
        elif kind == "checked":
            state["checked"] = line["checked"]
    return state


def glide(x: XServer, to: tuple[int, int], steps: int = 6) -> None:
    sx, sy = (int(p.split(":")[1]) for p in x.xdotool("getmouselocation").split()[:2])
    for i in range(1, steps + 1):
        x.xdotool(
            "mousemove", str(sx + (to[0] - sx) * i // steps), str(sy + (to[1] - sy) * i // steps)
        )
    time.sleep(0.15)


def demonstrate(x: XServer, widgets: dict[str, list[int]]) -> None:
    def center(name: str) -> tuple[int, int]:
        left, top, w, h = widgets[name]
        return left + w // 2, top + h // 2

    pause = 0.35
    name = center("name")
    glide(x, (name[0] - 100, name[1]))
    x.xdotool("click", "1")
    time.sleep(pause)
    x.xdotool("type", "--delay", "40", "Ada Lovelacd")
    x.xdotool("key", "BackSpace")
    x.xdotool("type", "--delay", "40", "e")
    time.sleep(pause)
    glide(x, (widgets["name"][0] + 12, name[1]))  # over "Ada"
    x.xdotool("click", "--repeat", "2", "--delay", "60", "1")
    time.sleep(pause)
    x.xdotool("type", "--delay", "40", "Augusta")
    time.sleep(pause)
    x.xdotool("key", "ctrl+a")
    time.sleep(pause)
    glide(x, center("email"))
    x.xdotool("click", "1")
    time.sleep(pause)
    x.xdotool("type", "--delay", "40", "ada@example.org")
    time.sleep(pause)
    glide(x, center("toggle"))
    x.xdotool("click", "1")
    time.sleep(pause)
    glide(x, center("list"))
    x.xdotool("click", "5", "click", "5", "click", "5")
    time.sleep(pause)
    glide(x, center("table"))
    x.xdotool("click", "7", "click", "7")
    time.sleep(pause)
    cx, cy = center("canvas")
    glide(x, (cx - 300, cy))
    x.xdotool("mousedown", "1")
    for i in range(1, 11):
        x.xdotool("mousemove", str(cx - 300 + i * 50), str(cy))
    x.xdotool("mouseup", "1")
    time.sleep(pause)
    glide(x, (widgets["check"][0] + 8, center("check")[1]))  # on the box itself
    x.xdotool("click", "1")
    time.sleep(0.8)
