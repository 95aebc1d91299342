"""Checking that there is a display demotrace can record, before anything starts."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from capture.errors import DisplayError


def require_x_display(env: Mapping[str, str]) -> str:
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
    from Xlib import display as xdisplay
    from Xlib.error import DisplayError as XDisplayError
    from Xlib.error import XauthError

    try:
        xdisplay.Display(name).close()
    except (XDisplayError, XauthError, OSError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DisplayError(f"cannot open display {name}: {reason}") from None
    return name
