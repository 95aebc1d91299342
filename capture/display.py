"""Checking that there is a display demotrace can record, before anything starts."""

from __future__ import annotations

import os
import struct
import sys
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

from capture.errors import DisplayError

# A placeholder entry: MIT-MAGIC-COOKIE-1 for a display no server has.
_FAMILY_LOCAL = 256
_PLACEHOLDER = (b"demotrace-none", b"65535", b"MIT-MAGIC-COOKIE-1", bytes(16))


def _authority_file(env: MutableMapping[str, str]) -> Path:
    named = env.get("XAUTHORITY")
    return Path(named) if named else Path(env.get("HOME") or Path.home()) / ".Xauthority"


def ensure_xauthority(env: MutableMapping[str, str]) -> None:
    """Give python-xlib an authority file when there is none (or it is empty).

    A server that needs no cookie (Xvfb, a bare X server) is often run without
    one, and python-xlib then refuses to connect at all, or prints a warning on
    stdout for an empty file. A file holding one placeholder entry for a
    display that does not exist lets it connect without a cookie, as libX11
    does. A real authority file is never touched.
    """
    current = _authority_file(env)
    try:
        if current.stat().st_size > 0:
            return
    except OSError:
        pass
    folder = Path(tempfile.gettempdir()) / f"demotrace-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / "Xauthority"
    if not path.exists():
        entry = struct.pack(">H", _FAMILY_LOCAL) + b"".join(
            struct.pack(">H", len(part)) + part for part in _PLACEHOLDER
        )
        tmp = folder / f".Xauthority-{os.getpid()}"
        tmp.write_bytes(entry)
        tmp.chmod(0o600)
        os.replace(tmp, path)
    env["XAUTHORITY"] = str(path)


def require_x_display(env: MutableMapping[str, str]) -> str:
    """Return the X display name to record, or raise a one-line DisplayError."""
    if not sys.platform.startswith("linux"):
        return ""
    name = env.get("DISPLAY", "")
    if not name:
        if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
            raise DisplayError(
                "Wayland session without X access: demotrace records through X11; "
                "log in to an X11 session, or run under XWayland with DISPLAY set"
            )
        raise DisplayError("no display: DISPLAY is not set (run inside an X session or Xvfb)")
    ensure_xauthority(env)
    from Xlib import display as xdisplay
    from Xlib.error import DisplayError as XDisplayError
    from Xlib.error import XauthError

    try:
        xdisplay.Display(name).close()
    except (XDisplayError, XauthError, OSError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DisplayError(f"cannot open display {name}: {reason}") from None
    return name
