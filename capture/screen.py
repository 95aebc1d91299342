"""What the screen is: monitors, virtual desktop, scale factor and the OS click settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rect:
    left: int
    top: int
    width: int
    height: int

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x < self.left + self.width and self.top <= y < self.top + self.height


@dataclass(frozen=True)
class Monitor(Rect):
    primary: bool = False
    name: str = ""


@dataclass(frozen=True)
class ScreenInfo:
    virtual: Rect
    monitors: tuple[Monitor, ...]
    scale: float = 1.0
    double_click_ms: int = 400
    double_click_px: int = 5
    sources: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "virtual": asdict(self.virtual),
            "monitors": [asdict(m) for m in self.monitors],
            "sources": dict(self.sources),
        }


def monitors_from_mss(raw: list[dict[str, Any]]) -> tuple[Rect, tuple[Monitor, ...]]:
    """mss lists the whole virtual desktop first, then each monitor."""
    virtual = Rect(raw[0]["left"], raw[0]["top"], raw[0]["width"], raw[0]["height"])
    monitors = tuple(
        Monitor(
            m["left"],
            m["top"],
            m["width"],
            m["height"],
            primary=bool(m.get("is_primary", False)),
            name=str(m.get("output", m.get("name", ""))),
        )
        for m in raw[1:]
    )
    if monitors and not any(m.primary for m in monitors):
        first = monitors[0]
        monitors = (Monitor(**{**asdict(first), "primary": True}), *monitors[1:])
    return virtual, monitors


def x11_scale(resources: str, env: Mapping[str, str]) -> tuple[float, str]:
    """Device pixel ratio on X11: QT/GDK scale variables, else Xft.dpi / 96."""
    for var in ("QT_SCALE_FACTOR", "GDK_SCALE"):
        value = env.get(var)
        if value:
            try:
                return float(value), var
            except ValueError:
                pass
    for line in resources.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Xft.dpi":
            try:
                return float(value.strip()) / 96.0, "Xft.dpi"
            except ValueError:
                break
    return 1.0, "default"


def read_screen(display_name: str, env: Mapping[str, str] | None = None) -> ScreenInfo:
    """Query the running X server (and mss) for the screen a recording will see."""
    import mss

    env = os.environ if env is None else env
    with mss.MSS(display=display_name) as grabber:
        virtual, monitors = monitors_from_mss(list(grabber.monitors))
    resources = ""
    dc_ms, dc_px, dc_source = 400, 5, "default"
    try:
        from Xlib import Xatom
        from Xlib import display as xdisplay

        disp = xdisplay.Display(display_name)
        try:
            prop = disp.screen().root.get_full_property(Xatom.RESOURCE_MANAGER, Xatom.STRING)
            if prop is not None:
                value = prop.value
                resources = value.decode("utf-8", "replace") if isinstance(value, bytes) else ""
            settings = read_xsettings(disp)
        finally:
            disp.close()
        if "Net/DoubleClickTime" in settings:
            dc_ms, dc_source = int(settings["Net/DoubleClickTime"]), "xsettings"
        if "Net/DoubleClickDistance" in settings:
            dc_px = int(settings["Net/DoubleClickDistance"])
    except Exception:  # noqa: BLE001 - settings are best effort; defaults are recorded as such
        pass
    scale, scale_source = x11_scale(resources, env)
    return ScreenInfo(
        virtual=virtual,
        monitors=monitors,
        scale=scale,
        double_click_ms=dc_ms,
        double_click_px=dc_px,
        sources={"scale": scale_source, "double_click": dc_source},
    )


def read_xsettings(disp: Any) -> dict[str, int | str]:
    """Integer and string settings published by the XSETTINGS manager, if one runs."""
    selection = disp.intern_atom(f"_XSETTINGS_S{disp.get_default_screen()}")
    owner = disp.get_selection_owner(selection)
    if not owner or owner == 0:
        return {}
    prop = owner.get_full_property(disp.intern_atom("_XSETTINGS_SETTINGS"), 0)
    if prop is None:
        return {}
    return parse_xsettings(bytes(prop.value))


def parse_xsettings(data: bytes) -> dict[str, int | str]:
    """Parse the XSETTINGS wire format (freedesktop XSETTINGS spec 0.5)."""
    import struct

    if len(data) < 12:
        return {}
    endian = "<" if data[0] == 0 else ">"
    (count,) = struct.unpack_from(endian + "I", data, 8)
    pos, out = 12, {}
    for _ in range(count):
        if pos + 4 > len(data):
            break
        kind = data[pos]
        (name_len,) = struct.unpack_from(endian + "H", data, pos + 2)
        pos += 4
        name = data[pos : pos + name_len].decode("utf-8", "replace")
        pos += (name_len + 3) & ~3
        pos += 4  # last-change serial
        if kind == 0:
            (ivalue,) = struct.unpack_from(endian + "i", data, pos)
            out[name] = ivalue
            pos += 4
        elif kind == 1:
            (slen,) = struct.unpack_from(endian + "I", data, pos)
            pos += 4
            out[name] = data[pos : pos + slen].decode("utf-8", "replace")
            pos += (slen + 3) & ~3
        elif kind == 2:
            pos += 8
        else:
            break
    return out
