"""X DAMAGE: ask the X server whether anything was drawn, instead of grabbing to find out.

A grab of a 1080p screen costs milliseconds; asking costs one round trip. The
grabber skips the grab when nothing was drawn since the last one (the pointer
is a sprite and does not count), which is most ticks of a demonstration.
"""

from __future__ import annotations

from typing import Any


class DamageUnsupported(RuntimeError):
    pass


class DamageWatch:
    """Reports whether the root window was drawn on since the previous call."""

    def __init__(self, display_name: str) -> None:
        from Xlib import X, display
        from Xlib.ext import damage

        # python-xlib (0.33) ships a DAMAGE module that a Display never loads (its
        # init calls a method Display lacks), so it is set up on this connection
        # only: the extension's opcode and event, then its requests called directly.
        self._disp: Any = display.Display(display_name)
        info = self._disp.query_extension(damage.extname)
        if info is None or not info.present:
            self._disp.close()
            raise DamageUnsupported("the X server has no DAMAGE extension")
        self._disp.display.set_extension_major(damage.extname, info.major_opcode)
        self._disp.extension_add_event(
            info.first_event + damage.DamageNotifyCode, damage.DamageNotify
        )
        self._ext = damage
        damage.query_version(self._disp)
        self._damage = damage.damage_create(self._disp.screen().root, damage.DamageReportNonEmpty)
        self._event_type = self._disp.extension_event.DamageNotify
        self._none = X.NONE
        self._disp.sync()

    def drawn(self) -> bool:
        """True if anything was drawn since the last call that returned True.

        After the round trip, every damage the server recorded before this call
        has arrived. Subtracting clears it; anything drawn later raises a new
        event, so a grab right after a True sees at least what was reported.
        """
        disp = self._disp
        disp.sync()
        dirty = False
        while disp.pending_events():
            if disp.next_event().type == self._event_type:
                dirty = True
        if dirty:
            self._ext.damage_subtract(disp, self._damage, self._none, self._none)
            disp.flush()
        return dirty

    def close(self) -> None:
        try:
            self._ext.damage_destroy(self._disp, self._damage)
            self._disp.close()
        except Exception:  # noqa: BLE001 - the server may be gone already
            pass
