from dataclasses import dataclass

import pytest

from capture.display import require_x_display
from capture.errors import DisplayError
from capture.keys import key_name, keysym_name
from capture.listener import ModifierState, translate_key
from capture.screen import monitors_from_mss, parse_xsettings, x11_scale


@dataclass
class KeyCode:
    vk: int | None
    char: str | None = None


@pytest.mark.parametrize(
    ("keysym", "name"),
    [
        (0xFF0D, "Return"),
        (0xFF08, "BackSpace"),
        (0x21, "exclam"),
        (0x41, "A"),
        (0x61, "a"),
        (0xFFE1, "Shift_L"),
        (0xFF55, "Page_Up"),
        (0xFFBE, "F1"),
        (0x1008FF13, "XF86AudioRaiseVolume"),
        (0x10020AC, "U20AC"),
    ],
)
def test_keysym_names_follow_xdotool(keysym: int, name: str) -> None:
    assert keysym_name(keysym) == name


def test_modifier_variants_collapse() -> None:
    assert [key_name(k) for k in ("Control_R", "Shift_L", "Alt_R", "Super_L", "a")] == [
        "ctrl",
        "shift",
        "alt",
        "super",
        "a",
    ]


def test_translate_key_keeps_characters_only_for_typed_keys() -> None:
    assert translate_key(KeyCode(0x21, "!")) == ("exclam", "exclam", "!")
    assert translate_key(KeyCode(0x20)) == ("space", "space", " ")
    assert translate_key(KeyCode(0xFF0D, "\r")) == ("Return", "Return", None)
    assert translate_key(KeyCode(0xFFE3)) == ("ctrl", "Control_L", None)


def test_modifier_state_counts_left_and_right() -> None:
    state = ModifierState()
    state.apply("shift", True, "Shift_L")
    state.apply("shift", True, "Shift_R")
    state.apply("shift", False, "Shift_L")
    assert state.current == {"shift"}
    state.apply("shift", False, "Shift_R")
    state.apply("a", True, "a")
    assert state.current == frozenset()


def test_no_display_and_wayland_messages() -> None:
    with pytest.raises(DisplayError, match="no display"):
        require_x_display({})
    with pytest.raises(DisplayError, match="Wayland session without X access"):
        require_x_display({"WAYLAND_DISPLAY": "wayland-0"})


def test_monitors_from_mss_marks_a_primary() -> None:
    virtual, monitors = monitors_from_mss(
        [
            {"left": 0, "top": 0, "width": 3840, "height": 1080},
            {"left": 0, "top": 0, "width": 1920, "height": 1080},
            {"left": 1920, "top": 0, "width": 1920, "height": 1080},
        ]
    )
    assert (virtual.width, virtual.height) == (3840, 1080)
    assert [m.primary for m in monitors] == [True, False]
    assert monitors[1].contains(1920, 0) and not monitors[1].contains(1919, 0)


def test_scale_from_environment_then_xft_dpi() -> None:
    assert x11_scale("Xft.dpi:\t192\n", {}) == (2.0, "Xft.dpi")
    assert x11_scale("Xft.dpi: 192", {"QT_SCALE_FACTOR": "1.5"}) == (1.5, "QT_SCALE_FACTOR")
    assert x11_scale("", {}) == (1.0, "default")


def test_xsettings_wire_format() -> None:
    import struct

    def setting(kind: int, name: bytes, value: bytes) -> bytes:
        pad = b"\0" * ((4 - len(name) % 4) % 4)
        return struct.pack("<BBH", kind, 0, len(name)) + name + pad + struct.pack("<I", 0) + value

    body = setting(0, b"Net/DoubleClickTime", struct.pack("<i", 250))
    body += setting(1, b"Net/ThemeName", struct.pack("<I", 5) + b"Adwai" + b"\0" * 3)
    body += setting(0, b"Net/DoubleClickDistance", struct.pack("<i", 8))
    data = struct.pack("<B3xII", 0, 1, 3) + body
    assert parse_xsettings(data) == {
        "Net/DoubleClickTime": 250,
        "Net/ThemeName": "Adwai",
        "Net/DoubleClickDistance": 8,
    }
