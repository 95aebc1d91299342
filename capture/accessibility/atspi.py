"""Elements from AT-SPI over D-Bus (jeepney: pure Python, blocking calls with a timeout each)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from capture.accessibility import PASSWORD_ROLES, Element, ElementLookup
from capture.accessibility.atspi_names import ROLE_NAMES, state_names
from capture.accessibility.focus import FocusWatch
from capture.window import WindowInfo

MAX_DEPTH = 32
NULL_PATH = "/org/a11y/atspi/null"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
COMPONENT = "org.a11y.atspi.Component"
APPS_TTL_S = 2.0  # how long the list of accessible applications is trusted
SILENT_S = 5.0  # an application that did not answer is skipped this long
MENU_DEPTH = 5
MENU_SEARCH_NODES = 400  # a bound on the search for an open menu in a large window
# Roles whose children are never a menu: the search for an open menu skips them.
LEAF_ROLES = frozenset(
    {"push button", "text", "password text", "check box", "radio button", "label", "icon",
     "image", "separator", "toggle button", "spin button", "slider", "entry", "paragraph",
     "heading", "link", "static", "table cell", "list item", "tree item", "scroll bar"}
)  # fmt: skip
# Containers of an open combo box's items; the focus is on one of them or an item.
LIST_ROLES = frozenset({"list", "list box", "menu", "popup menu", "tree", "table"})
# A web page that answers a point with itself may not know yet: it is asked again.
DOCUMENT_ROLES = frozenset({"document web", "document frame"})
HIT_AGAIN_S = 0.03
POPUP_LEVELS = 3  # from the focused element up to the list it is in
# A control's own text, which a browser makes an element of its own under the control.
TEXT_LEAVES = frozenset({"static", "label"})
CONTROL_ROLES = frozenset(
    {
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "link",
        "menu item",
        "check menu item",
        "radio menu item",
        "list item",
        "page tab",
        "tree item",
        "combo box",
    }
)


class PopupGone(Exception):
    """The popup under the point closed before it could be asked."""


class NoAnswer(Exception):
    """The application did not answer in time."""


class AtspiElements:
    """Elements from AT-SPI on the accessibility bus at ``address()`` (None: no bus)."""

    def __init__(
        self,
        address: Callable[[], str | None],
        on_password: Callable[[bool], None] | None = None,
    ) -> None:
        self._address = address
        self._on_password = on_password
        self._conn: Any = None
        self._tried = False
        self._pids: dict[str, int] = {}  # bus name -> process id
        self._apps: tuple[float, list[str]] = (0.0, [])
        self._silent: dict[str, float] = {}  # bus name -> until when it is skipped
        self._focus: FocusWatch | None = None

    def close(self) -> None:
        if self._focus is not None:
            self._focus.close()
            self._focus = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def at_point(
        self, x: int, y: int, window: WindowInfo | None, timeout_s: float
    ) -> ElementLookup:
        deadline = time.monotonic() + timeout_s
        if not self.connect():
            return ElementLookup(None, "no accessibility bus")
        try:
            apps = self._apps_of(window, deadline)
            if not apps:
                return ElementLookup(None, "the application is not accessible")
            for app in apps:
                if self._silent.get(app, 0.0) > time.monotonic():
                    return ElementLookup(None, "the application did not answer recently")
                try:
                    found = self._find(app, x, y, window, deadline)
                except NoAnswer:
                    self._silent[app] = time.monotonic() + SILENT_S
                    raise
                if found is not None:
                    return ElementLookup(found)
            return ElementLookup(None, "no accessible element at the point")
        except NoAnswer:
            return ElementLookup(None, "no answer in time")
        except PopupGone:
            return ElementLookup(None, "the popup is not in the accessibility tree (closed?)")
        except (OSError, ConnectionError) as exc:
            self.close()
            self._tried = False
            return ElementLookup(None, f"accessibility bus failed: {exc}")

    def _focus_moved(self, role: str) -> None:
        # On the focus watch's thread: a password field is known before anything is typed.
        if self._on_password is not None:
            self._on_password(role in PASSWORD_ROLES)

    def focus_moved_since(self, since: float, timeout_s: float) -> bool:
        if self._focus is None:
            return False
        return self._focus.moved_since(since, timeout_s)

    def focused(self, window: WindowInfo, timeout_s: float) -> ElementLookup:
        """The element that has the keyboard in ``window``'s application."""
        deadline = time.monotonic() + timeout_s
        if not self.connect():
            return ElementLookup(None, "no accessibility bus")
        from jeepney.wrappers import DBusErrorResponse

        try:
            apps = self._apps_of(window, deadline)
            if not apps:
                return ElementLookup(None, "the application is not accessible")
            for app in apps:
                if self._silent.get(app, 0.0) > time.monotonic():
                    return ElementLookup(None, "the application did not answer recently")
                path = self._focus.focus_of(app) if self._focus is not None else None
                if path is None:
                    continue
                try:
                    return ElementLookup(self._describe(app, path, deadline))
                except NoAnswer:
                    self._silent[app] = time.monotonic() + SILENT_S
                    raise
            return ElementLookup(None, "no focus change seen yet")
        except NoAnswer:
            return ElementLookup(None, "no answer in time")
        except DBusErrorResponse:
            return ElementLookup(None, "the focused element went away")
        except (OSError, ConnectionError) as exc:
            self.close()
            self._tried = False
            return ElementLookup(None, f"accessibility bus failed: {exc}")

    # -- D-Bus

    def connect(self) -> bool:
        """Open the bus now (else at the first lookup); False when there is none."""
        if self._conn is not None:
            return True
        if self._tried:
            return False
        self._tried = True
        address = self._address()
        if not address:
            return False
        from jeepney.io.blocking import open_dbus_connection

        try:
            self._conn = open_dbus_connection(address)
        except (OSError, ValueError, ConnectionError):
            return False
        try:
            self._focus = FocusWatch(address, self._focus_moved)
        except Exception:  # noqa: BLE001 - elements at points still work without focus news
            self._focus = None
        return True

    def _call(
        self,
        deadline: float,
        bus: str,
        path: str,
        interface: str,
        member: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> Any:
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import DBusErrorResponse

        left = deadline - time.monotonic()
        if left <= 0:
            raise NoAnswer
        address = DBusAddress(path, bus_name=bus, interface=interface)
        try:
            reply = self._conn.send_and_get_reply(
                new_method_call(address, member, signature, body), timeout=left
            )
        except TimeoutError:
            raise NoAnswer from None
        if reply.header.message_type.name == "error":
            raise DBusErrorResponse(reply)
        return reply.body

    def _property(self, deadline: float, bus: str, path: str, name: str) -> Any:
        body = self._call(
            deadline,
            bus,
            path,
            "org.freedesktop.DBus.Properties",
            "Get",
            "ss",
            ("org.a11y.atspi.Accessible", name),
        )
        return body[0][1]

    def _role(self, deadline: float, bus: str, path: str) -> str:
        number = self._call(deadline, bus, path, ACCESSIBLE, "GetRole")[0]
        if 0 < number < len(ROLE_NAMES):
            return ROLE_NAMES[number]
        return str(self._call(deadline, bus, path, ACCESSIBLE, "GetRoleName")[0])

    def _apps_of(self, window: WindowInfo | None, deadline: float) -> list[str]:
        """The accessible applications that may own ``window``: by its process id."""
        now = time.monotonic()
        fresh = now - self._apps[0] <= APPS_TTL_S
        if not fresh:
            self._list_apps(deadline)
        out = self._apps_with_pid(window, deadline)
        if not out and fresh and window is not None and window.pid is not None:
            # An application started since the list was read: read it again, once.
            self._list_apps(deadline)
            out = self._apps_with_pid(window, deadline)
        return out

    def _list_apps(self, deadline: float) -> None:
        children = self._call(
            deadline, "org.a11y.atspi.Registry", ROOT_PATH, ACCESSIBLE, "GetChildren"
        )[0]
        self._apps = (time.monotonic(), [bus for bus, _ in children])

    def _apps_with_pid(self, window: WindowInfo | None, deadline: float) -> list[str]:
        apps = self._apps[1]
        if window is None or window.pid is None:
            return list(apps)
        out = []
        for bus in apps:
            if bus not in self._pids:
                self._pids[bus] = self._call(
                    deadline,
                    "org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus",
                    "GetConnectionUnixProcessID",
                    "s",
                    (bus,),
                )[0]
            if self._pids[bus] == window.pid:
                out.append(bus)
        return out

    def _find(
        self, app: str, x: int, y: int, window: WindowInfo | None, deadline: float
    ) -> Element | None:
        from jeepney.wrappers import DBusErrorResponse

        try:
            frames = self._call(deadline, app, ROOT_PATH, ACCESSIBLE, "GetChildren")[0]
            # The top-level that is the window: named like it; for a popup (a
            # menu), one that is not the owner's window. Later ones are on top.
            popup = window is not None and window.popup
            best: tuple[int, str] | None = None
            for _, path in frames:
                fx, fy, fw, fh = self._call(
                    deadline, app, path, COMPONENT, "GetExtents", "u", (0,)
                )[0]
                if not (fx <= x < fx + fw and fy <= y < fy + fh):
                    continue
                bits = self._call(deadline, app, path, ACCESSIBLE, "GetState")[0]
                if "showing" not in state_names(bits):
                    continue
                titled = (
                    window is not None
                    and self._property(deadline, app, path, "Name") == window.title
                )
                score = int(titled != popup)
                if best is None or score >= best[0]:
                    best = (score, path)
            if best is None:
                return None
            start = best[1]
            if popup and best[0] == 0:
                # Qt lists a menu bar's open menu under its menu item, a context menu
                # nowhere, a combo box's list under the combo box: the item is found
                # through the focus first (a few calls), else by searching the window.
                item = self._in_focused_popup(app, x, y, deadline)
                if item is not None:
                    return self._describe(item[0], item[1], deadline)
                menu = self._open_menu(app, best[1], x, y, deadline)
                if menu is None:
                    raise PopupGone  # closed by the click itself: the window below is not it
                start = menu
            deepest = self._descend(app, start, x, y, deadline)
            if deepest != (app, start) and self._role(deadline, *deepest) in DOCUMENT_ROLES:
                # Chromium answers from its last hit test, else from bounds it may not
                # have yet, and asks the page meanwhile: the page's answer comes soon.
                time.sleep(min(HIT_AGAIN_S, max(0.0, deadline - time.monotonic())))
                deepest = self._descend(app, start, x, y, deadline)
            if popup and deepest == (app, start):
                # A popup top-level with nothing in it (Chromium's <select> list): its
                # items are under the combo box in the page, found through the focus.
                item = self._in_focused_popup(app, x, y, deadline)
                if item is None:
                    raise PopupGone  # closed (the focus went back to the box): nothing to say
                deepest = item
            # Not in a popup, a combo box's list is not what was pressed: it opened on
            # this press, over the box (GTK), and is in the tree before the lookup.
            in_window = window is not None and not popup
            return self._describe(deepest[0], deepest[1], deadline, up_to_combo=in_window)
        except DBusErrorResponse:
            return None  # the element went away, or the app does not implement it

    def _open_menu(self, app: str, frame: str, x: int, y: int, deadline: float) -> str | None:
        """The open menu at the point, searched breadth first under the window.

        Qt lists a menu bar's open menu under its menu item, and a context menu
        under the widget that opened it, not as top-levels of their own.
        """
        level, seen = [frame], 0
        for _ in range(MENU_DEPTH):
            below = []
            for node in level:
                for _, child in self._call(deadline, app, node, ACCESSIBLE, "GetChildren")[0]:
                    seen += 1
                    if seen > MENU_SEARCH_NODES:
                        return None
                    role = self._role(deadline, app, child)
                    if role in ("menu", "popup menu"):
                        cx, cy, cw, ch = self._call(
                            deadline, app, child, COMPONENT, "GetExtents", "u", (0,)
                        )[0]
                        if cx <= x < cx + cw and cy <= y < cy + ch:
                            return str(child)
                    if role not in LEAF_ROLES:
                        below.append(child)
            level = below
        return None

    def _in_focused_popup(
        self, app: str, x: int, y: int, deadline: float
    ) -> tuple[str, str] | None:
        """The item at the point in the menu or list that has the keyboard.

        Toolkits put a combo box's open list under the combo box, not under the
        popup window it is drawn in (Qt, Chromium), and Qt leaves a context menu
        out of the tree altogether, so hitting the popup finds nothing; but the
        list or menu, or its current item, has the focus while it is open.
        """
        focus = self._focus.focus_of(app) if self._focus is not None else None
        if focus is None:
            return None
        bus, node = app, focus
        for _ in range(POPUP_LEVELS):
            role = self._role(deadline, bus, node)
            parent = self._property(deadline, bus, node, "Parent")
            at_top = parent[1] in (NULL_PATH, ROOT_PATH)
            # A menu, or a combo box's list: not a list in the window below the popup.
            if role in ("menu", "popup menu") or (
                role in LIST_ROLES
                and not at_top
                and self._role(deadline, parent[0], parent[1]) == "combo box"
            ):
                item = self._item_at(bus, node, x, y, deadline)
                if item is not None:
                    return self._descend(item[0], item[1], x, y, deadline)
            if at_top:
                return None
            bus, node = str(parent[0]), str(parent[1])
        return None

    def _item_at(
        self, bus: str, node: str, x: int, y: int, deadline: float
    ) -> tuple[str, str] | None:
        """The child of a list at the point; else the one row at its height (Chromium
        gives a <select>'s items only the width of their text)."""
        row = []
        for child_bus, child in self._call(deadline, bus, node, ACCESSIBLE, "GetChildren")[0]:
            cx, cy, cw, ch = self._call(
                deadline, child_bus, child, COMPONENT, "GetExtents", "u", (0,)
            )[0]
            if cy <= y < cy + ch:
                if cx <= x < cx + cw:
                    return str(child_bus), str(child)
                row.append((str(child_bus), str(child)))
        return row[0] if len(row) == 1 else None

    def _descend(self, app: str, path: str, x: int, y: int, deadline: float) -> tuple[str, str]:
        """The deepest element at the point, from ``path`` down."""
        trail = [(app, path)]
        for _ in range(MAX_DEPTH):
            bus, child = self._call(
                deadline,
                trail[-1][0],
                trail[-1][1],
                COMPONENT,
                "GetAccessibleAtPoint",
                "iiu",
                (x, y, 0),
            )[0]
            if child == NULL_PATH or (bus, child) in trail:
                break
            trail.append((bus, child))
        return trail[-1]

    def _describe(self, bus: str, node: str, deadline: float, up_to_combo: bool = False) -> Element:
        # The path by the parent chain: a toolkit may answer a point with a
        # grandchild directly (a list's item), skipping levels on the way down.
        chain: list[tuple[str, str, str, str]] = []  # bus, path, role, name; the element first
        current = (bus, node)
        for _ in range(MAX_DEPTH):
            role = self._role(deadline, current[0], current[1])
            name = self._property(deadline, current[0], current[1], "Name")
            chain.append((current[0], current[1], role, name))
            parent = self._property(deadline, current[0], current[1], "Parent")
            if parent[1] in (NULL_PATH, ROOT_PATH):
                break
            current = (parent[0], parent[1])
        combo = [i for i, link in enumerate(chain) if link[2] == "combo box"]
        if up_to_combo and combo:
            chain = chain[combo[0] :]
        elif len(chain) > 1 and chain[0][2] in TEXT_LEAVES and chain[1][2] in CONTROL_ROLES:
            chain = chain[1:]  # the words on a button (Chromium): the button is what was hit
        bus, node = chain[0][0], chain[0][1]
        bits = self._call(deadline, bus, node, ACCESSIBLE, "GetState")[0]
        box = self._call(deadline, bus, node, COMPONENT, "GetExtents", "u", (0,))[0]
        return Element(
            role=chain[0][2],
            name=chain[0][3],
            states=state_names(bits),
            bbox=(box[0], box[1], box[2], box[3]),
            path=tuple((role, name) for _, _, role, name in reversed(chain)),
        )


def atspi_bus_address(x_display: Any, session_bus: str | None) -> str | None:
    """The accessibility bus: the X root's AT_SPI_BUS, else org.a11y.Bus on the session bus."""
    try:
        root = x_display.screen().root
        prop = root.get_full_property(x_display.intern_atom("AT_SPI_BUS"), 0)
        if prop is not None and prop.value:
            value = prop.value
            return value.decode() if isinstance(value, bytes) else str(value)
    except Exception:  # noqa: BLE001 - fall back to the session bus
        pass
    if not session_bus:
        return None
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    try:
        with open_dbus_connection(session_bus) as conn:
            bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
            reply = conn.send_and_get_reply(new_method_call(bus, "GetAddress"), timeout=1.0)
            return str(reply.body[0]) if reply.body else None
    except Exception:  # noqa: BLE001 - no session bus, or no accessibility service on it
        return None
