"""One table of key names: X keysym names as xdotool spells them, modifiers collapsed."""

from __future__ import annotations

from functools import cache

MODIFIER_KEYSYMS = {
    "Control_L": "ctrl",
    "Control_R": "ctrl",
    "Shift_L": "shift",
    "Shift_R": "shift",
    "Alt_L": "alt",
    "Alt_R": "alt",
    "Meta_L": "alt",
    "Meta_R": "alt",
    "Mode_switch": "alt",
    "ISO_Level3_Shift": "alt",
    "Super_L": "super",
    "Super_R": "super",
    "Hyper_L": "super",
    "Hyper_R": "super",
}

# Non-printable keys whose keysym has a character we do not want as typed text.
NOT_TYPED = frozenset(
    {"Return", "KP_Enter", "Tab", "ISO_Left_Tab", "BackSpace", "Escape", "Delete"}
)


def key_name(keysym_name: str) -> str:
    """Collapse left/right modifier variants; every other keysym name stays as it is."""
    return MODIFIER_KEYSYMS.get(keysym_name, keysym_name)


def is_modifier(name: str) -> bool:
    return name in ("ctrl", "alt", "shift", "super")


# Keysyms with several names: the one xdotool users write.
PREFERRED = {
    0xFF55: "Page_Up",
    0xFF56: "Page_Down",
    0xFF7E: "Mode_switch",
    0xFE03: "ISO_Level3_Shift",
}


@cache
def _keysym_names() -> dict[int, str]:
    from Xlib import XK

    groups = ("xkb", "xf86", "latin2", "latin3", "latin4", "greek", "cyrillic", "publishing")
    for group in groups:
        XK.load_keysym_group(group)
    names: dict[int, str] = {}
    for attr, value in vars(XK).items():
        if attr.startswith("XK_") and isinstance(value, int):
            # python-xlib spells XF86AudioMute as XF86_AudioMute; X and xdotool don't.
            names.setdefault(value, attr[3:].replace("XF86_", "XF86", 1))
    names.update(PREFERRED)
    return names


def keysym_name(keysym: int) -> str:
    """The X keysym name of ``keysym`` (``Return``, ``a``, ``exclam``, ``U20AC``)."""
    name = _keysym_names().get(keysym)
    if name is not None:
        return name
    if keysym & 0xFF000000 == 0x01000000:  # Unicode keysym
        return f"U{keysym & 0xFFFFFF:04X}"
    return f"0x{keysym:x}"
