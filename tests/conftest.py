from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from capture.store.database import Database, open_database, sqlite_url


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(sqlite_url(tmp_path / "store.db"))
    yield database
    database.close()
