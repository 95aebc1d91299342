"""Where each action landed on a web page: Chromium, a local HTML form, the accessibility bus.

Chromium shows scripted/apps/browser_form.html full screen (kiosk) with the
page's accessibility tree on, on a desktop with a window manager. xdotool
clicks a button, a text field, a check box, a <select> and an item of its
open list, and types into a text field and a password field. Each step must
name the browser's window (titled with the page's title) and the element
under the press point, or for typing the element that had the keyboard; the
password's characters must be nowhere in the store.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from capture.events import EventKind
from capture.privacy.secret import SECRET_PLACEHOLDER
from capture.store.database import open_database, sqlite_url
from capture.store.recording import load_recording
from scripted.accessibility_tree import Tree, bus_address
from scripted.desktop import Browser, Desktop, start_browser
from scripted.xserver import ROOT
from tests.storefiles import hits, store_files
from tests.xsession import XServer, demotrace, start_recorder

PAGE = ROOT / "scripted/apps/browser_form.html"
WINDOW = "Travel claim - Chromium"
# Where the page puts its controls (CSS pixels; the page fills the screen).
BOXES = {
    "submit": (40, 40, 160, 40),
    "name": (40, 110, 320, 32),
    "password": (40, 170, 320, 32),
    "remember": (44, 234, 24, 24),
    "country": (40, 290, 240, 32),
}
# What a click on an item can say when the list closed before the click was looked up.
GONE = (
    {"reason": "the popup closed before the lookup"},
    {"reason": "the popup is not in the accessibility tree (closed?)"},
)
PASSWORD = "QZ7WX9KJ"  # none of its keys occur in anything else the test types
PASSWORD_KEYS = set(PASSWORD)


@dataclass
class Page:
    desktop: Desktop
    browser: Browser
    tree: Tree
    app: str  # the browser's bus name on the accessibility bus
    ready_s: float  # from the browser's start to the page's first answer

    def center(self, name: str) -> tuple[int, int]:
        x, y, w, h = BOXES[name]
        return x + w // 2, y + h // 2


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    x = XServer()
    try:
        desktop = Desktop(x, tmp_path_factory.mktemp("desktop"))
        try:
            started = time.monotonic()
            browser = start_browser(desktop, PAGE, tmp_path_factory.mktemp("profile"))
            try:
                with Tree(bus_address(desktop.env)) as tree:
                    app = None
                    deadline = time.monotonic() + 60
                    while app is None:
                        assert browser.proc.poll() is None, "chromium exited"
                        assert time.monotonic() < deadline, "chromium never joined the bus"
                        app = tree.app_of(browser.pid)
                        time.sleep(0.1)
                    # The page's tree is ready once its controls are in it where the CSS says.
                    assert tree.wait_for(app, "push button", "Submit", 60) == BOXES["submit"]
                    assert tree.wait_for(app, "check box", "Remember me") == BOXES["remember"]
                    yield Page(desktop, browser, tree, app, time.monotonic() - started)
            finally:
                browser.close()
        finally:
            desktop.close()
    finally:
        x.close()


def click(desktop: Desktop, at: tuple[int, int], pause: float = 0.3) -> None:
    desktop.xdotool("mousemove", str(at[0]), str(at[1]))
    time.sleep(0.05)
    desktop.xdotool("click", "1")
    time.sleep(pause)


def inside(point: tuple[int, int], bbox: list[int]) -> bool:
    x, y, w, h = bbox
    return x <= point[0] < x + w and y <= point[1] < y + h


def steps_of(desktop: Desktop, url: str, session_id: str) -> list[dict[str, Any]]:
    out = demotrace("steps", session_id, "--db", url, "--json", env=desktop.env)
    assert out.returncode == 0, out.stderr
    steps: list[dict[str, Any]] = json.loads(out.stdout)
    return steps


def test_each_step_on_a_web_page_names_the_window_and_element(page: Page, tmp_path: Path) -> None:
    desktop, tree = page.desktop, page.tree
    db_path = tmp_path / "browser.db"
    url = sqlite_url(db_path)
    rec = start_recorder(desktop, url)  # type: ignore[arg-type]
    presses = [
        (page.center("submit"), "push button", "Submit"),
        (page.center("remember"), "check box", "Remember me"),
        (page.center("name"), "entry", "Name"),
    ]
    for at, _, _ in presses:
        click(desktop, at)
    desktop.xdotool("type", "--delay", "40", "Ada")
    time.sleep(0.3)
    # On to the password field, typing at once: the first keys beat the browser's news
    # that the focus moved, and are still never stored.
    desktop.xdotool("key", "Tab", "type", "--delay", "1", PASSWORD)
    time.sleep(0.3)
    click(desktop, page.center("country"), pause=0)  # opens the <select>'s list
    x, y, w, h = tree.wait_for(page.app, "menu item", "Italy")
    item = (x + w // 2, y + h // 2)
    # A hand holds a button for a tenth of a second; the list closes on release.
    desktop.xdotool("mousemove", str(item[0]), str(item[1]))
    desktop.xdotool("mousedown", "1", "sleep", "0.15", "mouseup", "1")
    time.sleep(0.3)
    # Again with an instant click: the list may close before the click is looked up.
    click(desktop, page.center("country"), pause=0)
    x, y, w, h = tree.wait_for(page.app, "menu item", "Germany")
    quick = (x + w // 2, y + h // 2)
    click(desktop, quick)
    assert rec.stop() == 0, rec.stderr_text

    # The page really got it all.
    assert tree.text(*tree_find(tree, page.app, "entry", "Name")) == "Ada"
    assert len(tree.text(*tree_find(tree, page.app, "password text", "Password"))) == len(PASSWORD)

    steps = steps_of(desktop, url, rec.session_id)
    assert {s["window"]["title"] for s in steps} == {WINDOW}, [s["window"] for s in steps]
    clicks = [s for s in steps if s["action"]["type"] == "click"]
    typed = [s for s in steps if s["action"]["type"] == "type"]
    expected = [
        *presses,
        (page.center("country"), "combo box", "Country"),
        (item, "menu item", "Italy"),
    ]
    assert len(clicks) == len(expected) + 2, [s["action"] for s in steps]
    quick_box, quick_item = clicks[-2:]
    clicks = clicks[:-2]
    assert (quick_box["element"]["role"], quick_box["element"]["name"]) == ("combo box", "Country")
    # The item, or no element and why: never what is below the list.
    assert quick_item["window"]["title"] == WINDOW
    assert quick_item["element"] in GONE or (
        quick_item["element"]["role"],
        quick_item["element"]["name"],
    ) == ("menu item", "Germany"), quick_item["element"]
    for step, (at, role, name) in zip(clicks, expected, strict=True):
        element = step["element"]
        assert "role" in element, (role, name, element)
        assert (element["role"], element["name"]) == (role, name), element
        assert inside(at, element["bbox"]), (at, element)
        assert element["path"][0] == {"role": "frame", "name": WINDOW}
        assert {"role": "document web", "name": "Travel claim"} in element["path"]
    assert (
        "checkable" in clicks[1]["element"]["states"] or "checked" in clicks[1]["element"]["states"]
    )
    # The item of the open list: under the combo box, in a popup of the browser's window.
    assert {"role": "combo box", "name": "Country"} in clicks[-1]["element"]["path"]

    assert [t["action"]["text"] for t in typed] == ["Ada", SECRET_PLACEHOLDER]
    assert (typed[0]["element"]["role"], typed[0]["element"]["name"]) == ("entry", "Name")
    assert (typed[1]["element"]["role"], typed[1]["element"]["name"]) == (
        "password text",
        "Password",
    )

    assert hits(store_files(db_path), PASSWORD) == []
    db = open_database(url)
    try:
        timeline = load_recording(db, rec.session_id)
    finally:
        db.close()
    popup = [t for t in timeline.targets if t.window and t.window.get("popup")]
    assert [p.window and p.window["title"] for p in popup][:1] == [WINDOW]
    keys = {e.event.key for e in timeline.events if e.event.kind is EventKind.KEY_DOWN}
    chars = "".join(e.event.char or "" for e in timeline.events)
    assert "Ada" in chars
    assert not PASSWORD_KEYS & (keys | set(chars)), (keys, chars)


def tree_find(tree: Tree, app: str, role: str, name: str) -> tuple[str, str]:
    found = tree.find(app, role, name)
    assert found is not None, (role, name)
    return found
