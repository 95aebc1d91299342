"""Which element has the keyboard, per application, from AT-SPI's focus events.

AT-SPI has no "what is focused" question; applications announce focus
changes as ``object:state-changed:focused`` events, and only once someone
has registered for them. ``FocusWatch`` registers, listens on its own
connection and thread, and remembers the last element each application
said got the focus. ``on_focus`` hears each focus change with the new
element's role (asked at once, 100 ms at most), so a password field is known
before the first key is typed into it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from capture.accessibility.atspi_names import ROLE_NAMES

FOCUS_EVENT = "object:state-changed:focused"
ROLE_TIMEOUT_S = 0.1


class FocusWatch:
    def __init__(self, address: str, on_focus: Callable[[str], None] | None = None) -> None:
        from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        self._conn: Any = open_dbus_connection(address)
        rule = MatchRule(
            type="signal", interface="org.a11y.atspi.Event.Object", member="StateChanged"
        )
        self._conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=1.0)
        # Focus events that come while a role is being asked wait here.
        self._events: deque[Any] = deque(maxlen=256)
        self._filter = self._conn.filter(rule, queue=self._events)
        self._on_focus = on_focus
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
        self._moved = threading.Condition(self._lock)
        self._moved_at = 0.0  # when the last focus change was heard (monotonic)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demotrace-focus", daemon=True)
        self._thread.start()

    def focus_of(self, app: str) -> str | None:
        with self._lock:
            return self._focus.get(app)

    def moved_since(self, since: float, timeout_s: float) -> bool:
        """Wait until a focus change heard after ``since`` (monotonic), at most
        ``timeout_s``; whether one was."""
        with self._moved:
            return self._moved.wait_for(lambda: self._moved_at > since, timeout=timeout_s)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        with contextlib.suppress(Exception):
            self._conn.close()

    def _run(self) -> None:
        from jeepney import HeaderFields

        while not self._stop.is_set():
            try:
                message = self._conn.recv_until_filtered(self._events, timeout=0.2)
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
                    self._moved_at = time.monotonic()
                    self._moved.notify_all()
                elif self._focus.get(sender) == path:
                    del self._focus[sender]
            if gained and self._on_focus is not None:
                role = self._role(sender, path)
                if role is not None:
                    self._on_focus(role)

    def _role(self, bus: str, path: str) -> str | None:
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(path, bus_name=bus, interface="org.a11y.atspi.Accessible")
        try:
            reply = self._conn.send_and_get_reply(
                new_method_call(address, "GetRole"), timeout=ROLE_TIMEOUT_S
            )
        except TimeoutError:
            return None
        if not reply.body or not isinstance(reply.body[0], int):
            return None
        number = reply.body[0]
        return ROLE_NAMES[number] if 0 <= number < len(ROLE_NAMES) else None
