from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from capture.display import ensure_xauthority
from capture.store.database import Database, open_database, sqlite_url
from tests.xsession import XServer


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(sqlite_url(tmp_path / "store.db"))
    yield database
    database.close()


@pytest.fixture(scope="session")
def xserver() -> Iterator[XServer]:
    """One real Xvfb for the whole run.

    In-process X clients (python-xlib, pynput, mss) get an authority file as the
    app's own display check gives them, in case this machine has none.
    """
    before = os.environ.get("XAUTHORITY")
    ensure_xauthority(os.environ)
    server = XServer()
    yield server
    server.close()
    if before is None:
        os.environ.pop("XAUTHORITY", None)
    else:
        os.environ["XAUTHORITY"] = before


@pytest.fixture(scope="session")
def qapp(xserver: XServer) -> Iterator[Any]:
    """Every Qt test runs on the real X server (xcb), never on a fake platform."""
    os.environ["DISPLAY"] = xserver.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from desktop.compose import keep_singletons_alive

    keep_singletons_alive()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["demotrace-tests"])
    yield app
