from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.xsession import FormApp, XServer, start_form


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def form(xserver: XServer, tmp_path: Path) -> Iterator[FormApp]:
    app = start_form(xserver, tmp_path / "form.jsonl")
    yield app
    app.close()
