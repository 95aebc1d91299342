"""What a test asks the accessibility bus directly: where an element is, what it holds.

Independent of the recorder's lookups (capture.accessibility): a plain walk
of one application's AT-SPI tree over D-Bus, through showing elements only,
to find an element by role and name.
"""

from __future__ import annotations

import subprocess
import time
from collections import deque
from typing import Any

from capture.accessibility.atspi_names import ROLE_NAMES, state_names

ROOT_PATH = "/org/a11y/atspi/accessible/root"
REGISTRY = "org.a11y.atspi.Registry"
CALL_TIMEOUT_S = 2.0
MAX_NODES = 5000


def bus_address(env: dict[str, str]) -> str:
    """The accessibility bus of the desktop whose environment is ``env`` (its root's AT_SPI_BUS)."""
    out = subprocess.run(
        ["xprop", "-root", "AT_SPI_BUS"], env=env, capture_output=True, text=True, check=True
    ).stdout
    if '"' not in out:
        raise RuntimeError(f"no accessibility bus on the display: {out.strip()}")
    return out.split('"')[1]


class Tree:
    """One connection to the accessibility bus; ``find`` walks an application's tree."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self._conn: Any = open_dbus_connection(address)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Tree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(
        self,
        bus: str,
        path: str,
        interface: str,
        member: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> Any:
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import unwrap_msg

        address = DBusAddress(path, bus_name=bus, interface=f"org.a11y.atspi.{interface}")
        reply = self._conn.send_and_get_reply(
            new_method_call(address, member, signature, body), timeout=CALL_TIMEOUT_S
        )
        return unwrap_msg(reply)

    def app_of(self, pid: int) -> str | None:
        """The bus name of the accessible application with process id ``pid``."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import unwrap_msg

        dbus = DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
        )
        for bus, _ in self.call(REGISTRY, ROOT_PATH, "Accessible", "GetChildren")[0]:
            reply = self._conn.send_and_get_reply(
                new_method_call(dbus, "GetConnectionUnixProcessID", "s", (bus,)),
                timeout=CALL_TIMEOUT_S,
            )
            if unwrap_msg(reply)[0] == pid:
                return str(bus)
        return None

    def find(self, app: str, role: str, name: str) -> tuple[str, str] | None:
        """The first showing element with ``role`` and ``name`` in ``app``'s tree."""
        todo: deque[tuple[str, str]] = deque([(app, ROOT_PATH)])
        seen = 0
        while todo and seen < MAX_NODES:
            bus, path = todo.popleft()
            seen += 1
            for child_bus, child in self.call(bus, path, "Accessible", "GetChildren")[0]:
                states = state_names(self.call(child_bus, child, "Accessible", "GetState")[0])
                if "showing" not in states:
                    continue
                number = self.call(child_bus, child, "Accessible", "GetRole")[0]
                child_role = ROLE_NAMES[number] if 0 <= number < len(ROLE_NAMES) else ""
                if child_role == role and self.name(child_bus, child) == name:
                    return str(child_bus), str(child)
                todo.append((str(child_bus), str(child)))
        return None

    def name(self, bus: str, path: str) -> str:
        return str(self.property(bus, path, "Accessible", "Name"))

    def property(self, bus: str, path: str, interface: str, name: str) -> Any:
        from jeepney import DBusAddress, Properties
        from jeepney.wrappers import unwrap_msg

        address = DBusAddress(path, bus_name=bus, interface=f"org.a11y.atspi.{interface}")
        reply = self._conn.send_and_get_reply(Properties(address).get(name), timeout=CALL_TIMEOUT_S)
        return unwrap_msg(reply)[0][1]

    def bbox(self, bus: str, path: str) -> tuple[int, int, int, int]:
        x, y, w, h = self.call(bus, path, "Component", "GetExtents", "u", (0,))[0]
        return int(x), int(y), int(w), int(h)

    def text(self, bus: str, path: str) -> str:
        count = int(self.property(bus, path, "Text", "CharacterCount"))
        return str(self.call(bus, path, "Text", "GetText", "ii", (0, count))[0])

    def wait_for(
        self, app: str, role: str, name: str, timeout: float = 20
    ) -> tuple[int, int, int, int]:
        """The box of the element once it shows (polled: it may not be there yet)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.find(app, role, name)
            if found is not None:
                box = self.bbox(*found)
                if box[2] > 0 and box[3] > 0:
                    return box
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {role} {name!r} showing in the accessibility tree")
            time.sleep(0.1)
