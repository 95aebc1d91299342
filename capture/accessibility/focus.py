"""Which element has the keyboard, per application, from AT-SPI's focus events.

AT-SPI has no "what is focused" question; applications announce focus
changes as ``object:state-changed:focused`` events, and only once someone
has registered for them. ``FocusWatch`` registers, listens on its own
connection and thread, and remembers the last element each application
said got the focus.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

FOCUS_EVENT = "object:state-changed:focused"


class FocusWatch:
    def __init__(self, address: str) -> None:
        from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        self._conn: Any = open_dbus_connection(address)
        rule = MatchRule(
            type="signal", interface="org.a11y.atspi.Event.Object", member="StateChanged"
        )
        self._conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=1.0)
        registry = DBusAddress(
            "/org/a11y/atspi/registry",
            bus_name="org.a11y.atspi.Registry",
            interface="org.a11y.atspi.Registry",
        )
        self._conn.send_and_get_reply(
            new_method_call(registry, "RegisterEvent", "sass", (FOCUS_EVENT, [], "")),
            timeout=1.0,
        )
        self._focus: dict[str, str] = {}  # application bus name -> focused object path
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demotrace-focus", daemon=True)
        self._thread.start()

    def focus_of(self, app: str) -> str | None:
        with self._lock:
            return self._focus.get(app)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        with contextlib.suppress(Exception):
            self._conn.close()

    def _run(self) -> None:
        from jeepney import HeaderFields

        while not self._stop.is_set():
            try:
                message = self._conn.receive(timeout=0.2)
            except TimeoutError:
                continue
            except Exception:  # noqa: BLE001 - the bus went away: no more focus news
                return
            fields = message.header.fields
            if fields.get(HeaderFields.member) != "StateChanged" or not message.body:
                continue
            detail, gained = message.body[0], message.body[1]
            if detail != "focused":
                continue
            sender, path = fields.get(HeaderFields.sender), fields.get(HeaderFields.path)
            with self._lock:
                if gained:
                    self._focus[sender] = path
                elif self._focus.get(sender) == path:
                    del self._focus[sender]
