"""An action in words, for people (the step guide) and for formats' action descriptions."""

from __future__ import annotations

from capture.segment import Action, Step

_KEY_WORDS = {
    "Return": "Enter", "KP_Enter": "Enter", "Escape": "Esc", "BackSpace": "Backspace",
    "Page_Up": "Page Up", "Page_Down": "Page Down", "Prior": "Page Up", "Next": "Page Down",
    "space": "Space", "ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "super": "Super",
    "Left": "Left arrow", "Right": "Right arrow", "Up": "Up arrow", "Down": "Down arrow",
}  # fmt: skip
_CLICKS = {"click": "Click", "double_click": "Double-click", "triple_click": "Triple-click"}


def key_words(keys: tuple[str, ...] | list[str]) -> str:
    return "+".join(_KEY_WORDS.get(k, k.upper() if len(k) == 1 else k) for k in keys)


def _target(step: Step) -> str:
    element = step.element or {}
    name, role = element.get("name"), element.get("role")
    if name:
        return f" on “{name}”" + (f" ({role})" if role else "")
    if step.window and step.window.title:
        return f" in “{step.window.title}”"
    return ""


def caption(step: Step) -> str:
    a: Action = step.action
    f = a.fields
    if a.type in _CLICKS:
        verb = _CLICKS[a.type]
        if f["button"] != "left":
            verb = f"{verb} with the {f['button']} button"
        held = f" holding {key_words(f['modifiers'])}" if f["modifiers"] else ""
        return f"{verb}{_target(step)} at ({f['x']}, {f['y']}){held}"
    if a.type == "drag":
        (x0, y0), (x1, y1) = f["path"][0], f["path"][-1]
        return f"Drag from ({x0}, {y0}) to ({x1}, {y1}){_target(step)}"
    if a.type == "scroll":
        parts = []
        if f["dy"]:
            parts.append(f"{'down' if f['dy'] > 0 else 'up'} {abs(f['dy'])}")
        if f["dx"]:
            parts.append(f"{'right' if f['dx'] > 0 else 'left'} {abs(f['dx'])}")
        plural = "es" if abs(f["dx"]) + abs(f["dy"]) != 1 else ""
        return f"Scroll {' and '.join(parts) or 'by 0'} notch{plural}{_target(step)}"
    if a.type == "type":
        return f"Type “{f['text']}”{_target(step)}"
    if a.type == "key":
        times = f" {f['repeat']} times" if f["repeat"] > 1 else ""
        return f"Press {key_words(f['keys'])}{times}"
    if a.type == "hotkey":
        return f"Press {key_words(f['keys'])}"
    if a.type == "move":
        return f"Move the pointer to ({f['x']}, {f['y']}){_target(step)}"
    return f"Wait {f['seconds']:g} seconds"
