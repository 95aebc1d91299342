"""Key names per format, from the design's one table (X keysym names as xdotool spells them).

Anthropic's tool runs xdotool, so its names are ours; pyautogui (AgentNet,
UI-TARS) and OpenAI's computer use have their own.
"""

from __future__ import annotations

from collections.abc import Sequence

# Named keys: keysym -> (pyautogui, OpenAI).
_NAMED: dict[str, tuple[str, str]] = {
    "Return": ("enter", "ENTER"),
    "KP_Enter": ("enter", "ENTER"),
    "Tab": ("tab", "TAB"),
    "ISO_Left_Tab": ("tab", "TAB"),
    "Escape": ("esc", "ESC"),
    "BackSpace": ("backspace", "BACKSPACE"),
    "Delete": ("delete", "DELETE"),
    "Insert": ("insert", "INSERT"),
    "Home": ("home", "HOME"),
    "End": ("end", "END"),
    "Page_Up": ("pageup", "PAGEUP"),
    "Prior": ("pageup", "PAGEUP"),
    "Page_Down": ("pagedown", "PAGEDOWN"),
    "Next": ("pagedown", "PAGEDOWN"),
    "Left": ("left", "ARROWLEFT"),
    "Right": ("right", "ARROWRIGHT"),
    "Up": ("up", "ARROWUP"),
    "Down": ("down", "ARROWDOWN"),
    "space": ("space", "SPACE"),
    "Caps_Lock": ("capslock", "CAPSLOCK"),
    "Menu": ("apps", "MENU"),
    "Print": ("printscreen", "PRINTSCREEN"),
    "ctrl": ("ctrl", "CTRL"),
    "alt": ("alt", "ALT"),
    "shift": ("shift", "SHIFT"),
    "super": ("win", "SUPER"),
}

# Keysyms of printable characters that are not the character itself.
_CHARS: dict[str, str] = {
    "exclam": "!", "at": "@", "numbersign": "#", "dollar": "$", "percent": "%",
    "asciicircum": "^", "ampersand": "&", "asterisk": "*", "parenleft": "(",
    "parenright": ")", "minus": "-", "underscore": "_", "equal": "=", "plus": "+",
    "period": ".", "comma": ",", "slash": "/", "backslash": "\\", "question": "?",
    "colon": ":", "semicolon": ";", "apostrophe": "'", "quotedbl": '"', "grave": "`",
    "asciitilde": "~", "bracketleft": "[", "bracketright": "]", "braceleft": "{",
    "braceright": "}", "bar": "|", "less": "<", "greater": ">",
}  # fmt: skip


def anthropic(keys: Sequence[str]) -> str:
    """One xdotool combination: ``ctrl+s``, ``Return``, ``alt+Tab``."""
    return "+".join(keys)


def pyautogui(key: str) -> str:
    named = _NAMED.get(key)
    if named:
        return named[0]
    if key in _CHARS:
        return _CHARS[key]
    if len(key) > 1 and key[0] == "F" and key[1:].isdigit():
        return key.lower()
    return key if len(key) == 1 else key.lower()


def openai(key: str) -> str:
    named = _NAMED.get(key)
    if named:
        return named[1]
    if key in _CHARS:
        return _CHARS[key]
    return key if len(key) == 1 else key.upper()
