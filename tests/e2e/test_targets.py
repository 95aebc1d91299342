"""Where each action landed, recorded on a desktop with a window manager and the accessibility bus.

Two copies of a Qt app side by side and a GTK app below; xdotool clicks
buttons, fields, check boxes, a menu item, a context-menu item, types into a field and a password
field. Each step must name the window it landed on (also the click that
activates another window) and the accessible element under the press point,
or for typing the element that had the keyboard.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from capture.events import EventKind
from capture.privacy.secret import SECRET_PLACEHOLDER
from capture.store.database import open_database, sqlite_url
from capture.store.recording import load_recording
from scripted.accessibility_tree import Tree, bus_address
from scripted.desktop import AccessibleApp, Desktop, start_accessible_app, start_gtk_app
from tests.storefiles import hits, store_files
from tests.xsession import XServer, demotrace, start_recorder


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    x = XServer()
    try:
        session = Desktop(x, tmp_path_factory.mktemp("desktop"))
        try:
            yield session
        finally:
            session.close()
    finally:
        x.close()


@pytest.fixture(scope="module")
def apps(desktop: Desktop) -> Iterator[tuple[AccessibleApp, AccessibleApp]]:
    left = start_accessible_app(desktop, "Left window", "40,60,500,400")
    try:
        right = start_accessible_app(desktop, "Right window", "700,60,500,400")
        try:
            yield left, right
        finally:
            right.close()
    finally:
        left.close()


# What a click on a menu item can say when the menu closed before the click was looked up.
GONE = (
    {"reason": "the popup closed before the lookup"},
    {"reason": "the popup is not in the accessibility tree (closed?)"},
)


def click(desktop: Desktop, at: tuple[int, int], pause: float = 0.35) -> None:
    desktop.xdotool("mousemove", str(at[0]), str(at[1]))
    time.sleep(0.05)
    desktop.xdotool("click", "1")
    time.sleep(pause)


def steps_of(desktop: Desktop, url: str, session_id: str) -> list[dict[str, Any]]:
    out = demotrace("steps", session_id, "--db", url, "--json", env=desktop.env)
    assert out.returncode == 0, out.stderr
    steps: list[dict[str, Any]] = json.loads(out.stdout)
    return steps


def inside(point: tuple[int, int], bbox: list[int]) -> bool:
    x, y, w, h = bbox
    return x <= point[0] < x + w and y <= point[1] < y + h


def test_each_step_names_its_window_and_element(
    desktop: Desktop, apps: tuple[AccessibleApp, AccessibleApp], tmp_path: Path
) -> None:
    left, right = apps
    url = sqlite_url(tmp_path / "targets.db")
    click(desktop, left.center("name"))  # the left window is active before recording
    rec = start_recorder(desktop, url)  # type: ignore[arg-type]
    presses = [
        ("Left window", left.center("submit"), "push button", "Submit"),
        # Activates the right window: filed under it, not under the window active before.
        ("Right window", right.center("remember"), "check box", "Remember me"),
        ("Right window", right.center("name"), "text", "Name"),
    ]
    for _, at, _, _ in presses:
        click(desktop, at)
    desktop.xdotool("type", "--delay", "40", "Ada")
    time.sleep(0.3)
    desktop.xdotool("key", "Tab")  # on to the password field: known from the focus event
    time.sleep(0.3)
    desktop.xdotool("type", "--delay", "40", "hunter2")
    time.sleep(0.4)
    click(desktop, right.center("password"))
    click(desktop, left.center("file"), pause=0.2)  # activates the left window, opens its menu
    save = left.wait_for("menu")["Save"]
    menu_item = (save[0] + save[2] // 2, save[1] + save[3] // 2)
    # A hand holds a button for a tenth of a second; the menu closes on release.
    desktop.xdotool("mousemove", str(menu_item[0]), str(menu_item[1]))
    desktop.xdotool("mousedown", "1", "sleep", "0.15", "mouseup", "1")
    assert left.wait_for("saved") is True
    time.sleep(0.3)
    # Again with an instant click: the menu may close before the click is looked up.
    click(desktop, left.center("file"), pause=0.2)
    left.wait_for("menu")
    click(desktop, menu_item, pause=0)
    assert left.wait_for("saved") is True
    time.sleep(0.5)  # the last input reaches the recorder
    assert rec.stop() == 0, rec.stderr_text

    steps = steps_of(desktop, url, rec.session_id)
    clicks = [s for s in steps if s["action"]["type"] == "click"]
    typed = [s for s in steps if s["action"]["type"] == "type"]
    assert len(clicks) == 8, [s["action"] for s in steps]
    for step, (title, at, role, name) in zip(clicks, presses, strict=False):
        assert step["window"]["title"] == title
        element = step["element"]
        assert (element["role"], element["name"]) == (role, name), element
        assert inside(at, element["bbox"]), (at, element)
        assert element["path"][-1] == {"role": role, "name": name}
        assert element["path"][0]["name"] == title  # the path goes up to the window
    assert "checkable" in clicks[1]["element"]["states"]

    # Typing: the element that has the keyboard.
    assert typed[0]["action"]["text"] == "Ada"
    assert typed[0]["window"]["title"] == "Right window"
    assert (typed[0]["element"]["role"], typed[0]["element"]["name"]) == ("text", "Name")

    # After Tab, the element is the one the application said got the focus: a
    # password field, so secret mode was on before the first key of the password.
    assert typed[1]["action"]["text"] == SECRET_PLACEHOLDER
    assert typed[1]["window"]["title"] == "Right window"
    assert (typed[1]["element"]["role"], typed[1]["element"]["name"]) == (
        "password text",
        "Password",
    ), typed[1]["element"]
    password_click = clicks[3]
    assert password_click["element"]["role"] == "password text", password_click["element"]

    # The menu: the click on File activates the left window; the menu item is an
    # override-redirect popup, filed under the window that owns it.
    file_click, item_click = clicks[4], clicks[5]

    assert file_click["window"]["title"] == "Left window"
    assert (file_click["element"]["role"], file_click["element"]["name"]) == ("menu item", "File")
    assert item_click["window"]["title"] == "Left window"
    item = item_click["element"]
    assert (item["role"], item["name"]) == ("menu item", "Save"), item
    assert inside(menu_item, item_click["element"]["bbox"])
    quick = clicks[7]
    assert quick["window"]["title"] == "Left window"
    assert quick["element"] in GONE or (
        quick["element"]["role"],
        quick["element"]["name"],
    ) == ("menu item", "Save"), quick["element"]

    db = open_database(url)
    try:
        timeline = load_recording(db, rec.session_id)
    finally:
        db.close()
    popup = [t for t in timeline.targets if t.window and t.window.get("popup")]
    assert len(popup) == 2
    assert all(p.window and p.window["title"] == "Left window" for p in popup)
    # The password's characters are nowhere in the store; "Ada" typed before it is.
    typed_keys = "".join(e.event.char or "" for e in timeline.events)
    assert "Ada" in typed_keys
    assert not set("hunter2") & set(typed_keys), typed_keys
    assert [m.label for m in timeline.markers if m.kind == "secret"] == ["on", "off"]


def test_a_context_menu_item_is_filed_under_its_window(
    desktop: Desktop, apps: tuple[AccessibleApp, AccessibleApp], tmp_path: Path
) -> None:
    left, right = apps
    url = sqlite_url(tmp_path / "context.db")
    click(desktop, right.center("name"))  # the right window is active before recording
    rec = start_recorder(desktop, url)  # type: ignore[arg-type]
    x, y, _, _ = left.widgets["submit"]
    background = (x + 380, y + 10)  # empty space beside the button
    desktop.xdotool("mousemove", str(background[0]), str(background[1]))
    time.sleep(0.05)
    desktop.xdotool("click", "3")  # activates the left window and opens its context menu
    ix, iy, iw, ih = left.wait_for("context")["Clear form"]
    item_at = (ix + iw // 2, iy + ih // 2)
    desktop.xdotool("mousemove", str(item_at[0]), str(item_at[1]))
    desktop.xdotool("mousedown", "1", "sleep", "0.15", "mouseup", "1")
    assert left.wait_for("cleared") is True
    time.sleep(0.5)
    assert rec.stop() == 0, rec.stderr_text

    clicks = [s for s in steps_of(desktop, url, rec.session_id) if s["action"]["type"] == "click"]
    assert [c["action"]["button"] for c in clicks] == ["right", "left"], clicks
    opener, chosen = clicks
    assert opener["window"]["title"] == "Left window"  # not the right window, active before
    # The context menu is an override-redirect popup owned by the left window.
    assert chosen["window"]["title"] == "Left window", chosen["window"]
    element = chosen["element"]
    assert "role" in element, element
    assert (element["role"], element["name"]) == ("menu item", "Clear form"), element
    assert inside(item_at, element["bbox"])


def test_a_hung_application_does_not_stall_recording(
    desktop: Desktop, apps: tuple[AccessibleApp, AccessibleApp], tmp_path: Path
) -> None:
    left, right = apps
    url = sqlite_url(tmp_path / "hung.db")
    rec = start_recorder(desktop, url)  # type: ignore[arg-type]
    os.kill(right.proc.pid, signal.SIGSTOP)
    try:
        click(desktop, right.center("submit"))
        click(desktop, right.center("remember"))
        click(desktop, left.center("submit"))
        desktop.xdotool("mousemove", "600", "700")
    finally:
        os.kill(right.proc.pid, signal.SIGCONT)
    time.sleep(0.3)
    assert rec.stop() == 0, rec.stderr_text

    steps = steps_of(desktop, url, rec.session_id)
    clicks = [s for s in steps if s["action"]["type"] == "click"]
    assert [c["window"]["title"] for c in clicks] == ["Right window", "Right window", "Left window"]
    assert clicks[0]["element"] == {"reason": "no answer in time"}
    # The hung app is skipped at once after it failed to answer; the others still answer.
    assert clicks[1]["element"] == {"reason": "the application did not answer recently"}
    assert (clicks[2]["element"]["role"], clicks[2]["element"]["name"]) == ("push button", "Submit")


@pytest.fixture(scope="module")
def gtk_app(desktop: Desktop) -> Iterator[AccessibleApp]:
    app = start_gtk_app(desktop, "GTK window", "40,560,420,300")
    yield app
    app.close()


def test_steps_in_a_gtk_application(
    desktop: Desktop,
    apps: tuple[AccessibleApp, AccessibleApp],
    gtk_app: AccessibleApp,
    tmp_path: Path,
) -> None:
    left, _ = apps
    url = sqlite_url(tmp_path / "gtk.db")
    click(desktop, left.center("submit"))  # a Qt window is active before
    rec = start_recorder(desktop, url)  # type: ignore[arg-type]
    presses = [
        (gtk_app.center("send"), "push button", "Send"),  # activates the GTK window
        (gtk_app.center("email"), "text", "Email"),
    ]
    for at, _, _ in presses:
        click(desktop, at)
    desktop.xdotool("type", "--delay", "40", "ab")
    time.sleep(0.3)
    desktop.xdotool("key", "Tab")
    time.sleep(0.3)
    desktop.xdotool("type", "--delay", "40", "pw")
    time.sleep(0.3)
    agree = gtk_app.center("agree")
    click(desktop, agree)
    time.sleep(0.3)
    assert rec.stop() == 0, rec.stderr_text

    steps = steps_of(desktop, url, rec.session_id)
    assert {s["window"]["title"] for s in steps} == {"GTK window"}, [s["window"] for s in steps]
    clicks = [s for s in steps if s["action"]["type"] == "click"]
    typed = [s for s in steps if s["action"]["type"] == "type"]
    for step, (at, role, name) in zip(
        clicks, [*presses, (agree, "check box", "Agree")], strict=True
    ):
        element = step["element"]
        assert (element["role"], element["name"]) == (role, name), element
        assert inside(at, element["bbox"])
        assert element["path"][0] == {"role": "frame", "name": "GTK window"}
    assert [t["action"]["text"] for t in typed] == ["ab", SECRET_PLACEHOLDER]
    assert (typed[0]["element"]["role"], typed[0]["element"]["name"]) == ("text", "Email")
    assert (typed[1]["element"]["role"], typed[1]["element"]["name"]) == ("password text", "Secret")


def test_a_password_field_is_known_as_soon_as_it_has_the_focus(
    desktop: Desktop, apps: tuple[AccessibleApp, AccessibleApp]
) -> None:
    from capture.accessibility.atspi import AtspiElements

    _, right = apps
    prop = subprocess.run(
        ["xprop", "-root", "AT_SPI_BUS"], env=desktop.env, capture_output=True, text=True
    ).stdout
    address = prop.split('"')[1]
    signals: list[bool] = []
    elements = AtspiElements(lambda: address, on_password=signals.append)
    assert elements.connect()
    try:
        click(desktop, right.center("name"))
        desktop.xdotool("key", "Tab")  # nothing typed yet
        deadline = time.monotonic() + 5
        while True not in signals and time.monotonic() < deadline:
            time.sleep(0.05)
        assert signals and signals[-1] is True, signals
        desktop.xdotool("key", "shift+Tab")
        deadline = time.monotonic() + 5
        while signals[-1] is True and time.monotonic() < deadline:
            time.sleep(0.05)
        assert signals[-1] is False, signals
    finally:
        elements.close()


def test_an_item_of_an_open_combo_box_list(
    desktop: Desktop,
    apps: tuple[AccessibleApp, AccessibleApp],
    gtk_app: AccessibleApp,
    tmp_path: Path,
) -> None:
    """Qt puts the open list under the combo box, not under its popup window; GTK
    makes the popup a top-level of its own. Both items are found."""
    left, _ = apps
    url = sqlite_url(tmp_path / "combo.db")
    rec = start_recorder(desktop, url)  # type: ignore[arg-type]
    chosen = []
    for app, combo, item in ((left, "colour", "Green"), (gtk_app, "size", "Medium")):
        click(desktop, app.center(combo), pause=0)
        x, y, w, h = app.wait_for("popup")[item]
        at = (x + w // 2, y + h // 2)
        # A hand holds a button for a tenth of a second; the list closes on release.
        desktop.xdotool("mousemove", str(at[0]), str(at[1]))
        desktop.xdotool("mousedown", "1", "sleep", "0.15", "mouseup", "1")
        assert app.wait_for("chosen") == item
        chosen.append(at)
        time.sleep(0.3)
    assert rec.stop() == 0, rec.stderr_text
    steps = steps_of(desktop, url, rec.session_id)
    clicks = [s for s in steps if s["action"]["type"] == "click"]
    assert len(clicks) == 4, [s["action"] for s in steps]
    expected = [
        ("Left window", left.center("colour"), "combo box", "Red"),  # Qt names it by its text
        ("Left window", chosen[0], "list item", "Green"),
        ("GTK window", gtk_app.center("size"), "combo box", "Size"),
        ("GTK window", chosen[1], "menu item", "Medium"),
    ]
    for step, (title, at, role, name) in zip(clicks, expected, strict=True):
        assert step["window"]["title"] == title
        element = step["element"]
        assert "role" in element, (title, role, name, element)
        assert (element["role"], element["name"]) == (role, name), element
        assert inside(at, element["bbox"]), (at, element)
        assert element["path"][0]["name"] == title
    for item in (clicks[1], clicks[3]):
        assert "combo box" in [p["role"] for p in item["element"]["path"]]


RACE_PASSWORD = "QZ7WX9KJ"  # none of its keys occur in anything else these tests type


@pytest.fixture(scope="module")
def slow_app(desktop: Desktop) -> Iterator[AccessibleApp]:
    """A Qt app busy for a while each time its password field takes the focus."""
    app = start_accessible_app(
        desktop, "Slow window", "700,560,500,400", options=("--slow-focus", "0.15")
    )
    yield app
    app.close()


@pytest.mark.parametrize("app_name", ["qt", "gtk"])
def test_keys_typed_at_once_after_tab_into_a_password_field_are_never_stored(
    desktop: Desktop,
    slow_app: AccessibleApp,
    gtk_app: AccessibleApp,
    tmp_path: Path,
    app_name: str,
) -> None:
    """The first keys after Tab reach the recorder before the application says the
    password field has the focus (at once when the application is busy); they must
    not be stored in clear all the same."""
    app, field, password = (
        (slow_app, "name", "Password") if app_name == "qt" else (gtk_app, "email", "Secret")
    )
    db_path = tmp_path / "race.db"
    url = sqlite_url(db_path)
    click(desktop, app.center(field))
    desktop.xdotool("key", "ctrl+a", "BackSpace")
    time.sleep(0.3)
    rec = start_recorder(desktop, url)  # type: ignore[arg-type]
    click(desktop, app.center(field))
    # Tab and the password in one go, the keys a millisecond apart.
    desktop.xdotool("key", "Tab", "type", "--delay", "1", RACE_PASSWORD)
    time.sleep(0.5)
    desktop.xdotool("key", "shift+Tab")
    time.sleep(0.3)
    assert rec.stop() == 0, rec.stderr_text

    with Tree(bus_address(desktop.env)) as tree:
        bus = tree.app_of(app.proc.pid)
        assert bus is not None
        found = tree.find(bus, "password text", password)
        assert found is not None
        assert len(tree.text(*found)) == len(RACE_PASSWORD)  # it was all typed, into the field
        tree.call(*found, "EditableText", "DeleteText", "ii", (0, len(RACE_PASSWORD)))

    assert hits(store_files(db_path), RACE_PASSWORD) == []
    db = open_database(url)
    try:
        timeline = load_recording(db, rec.session_id)
    finally:
        db.close()
    keys = {e.event.key for e in timeline.events if e.event.kind is EventKind.KEY_DOWN}
    chars = {e.event.char for e in timeline.events if e.event.char}
    assert not set(RACE_PASSWORD) & (keys | chars), sorted(keys | chars)
    assert SECRET_PLACEHOLDER in keys
