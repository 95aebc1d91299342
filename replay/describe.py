"""Actions in words: one short line each, as a person would say it."""

from __future__ import annotations

import json
from typing import Any


def describe_action(action: dict[str, Any]) -> str:
    """One short line for a step's action, as a person would say it."""
    kind = action["type"]
    mods = "+".join(action.get("modifiers", []))
    prefix = f"{mods}+" if mods else ""
    if kind in ("click", "double_click", "triple_click"):
        return f"{prefix}{action['button']} at ({action['x']}, {action['y']})"
    if kind == "drag":
        (x0, y0), (x1, y1) = action["path"][0], action["path"][-1]
        return f"{prefix}{action['button']} ({x0}, {y0}) -> ({x1}, {y1})"
    if kind == "scroll":
        return f"{scroll_words(action['dx'], action['dy'])} at ({action['x']}, {action['y']})"
    if kind == "type":
        return json.dumps(action["text"], ensure_ascii=False)
    if kind == "key":
        repeat = action.get("repeat", 1)
        return "+".join(action["keys"]) + (f" x{repeat}" if repeat and repeat > 1 else "")
    if kind == "hotkey":
        return "+".join(action["keys"])
    if kind == "move":
        return f"to ({action['x']}, {action['y']})"
    if kind == "wait":
        return f"{action['seconds']:.1f}s"
    return ""


def scroll_words(dx: int, dy: int) -> str:
    """Wheel notches as a person says them: dy > 0 is down, dx > 0 is right."""
    parts = [f"{abs(dy)} {'down' if dy > 0 else 'up'}"] if dy else []
    if dx:
        parts.append(f"{abs(dx)} {'right' if dx > 0 else 'left'}")
    return ", ".join(parts) or "no movement"
