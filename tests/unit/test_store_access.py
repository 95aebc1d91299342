"""How a store is reached: paths or URLs, read-only, never created by a reader, damage explained."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from factories import Script, damage, session_row
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from capture.errors import NoStoreError, StoreError
from capture.store.database import (
    SCHEMA_REVISIONS,
    open_database,
    schema_revision,
    sqlite_url,
    store_url,
)
from capture.store.sessions import list_sessions, summarize
from desktop.compose import open_store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def a_store(path: Path) -> Path:
    db = open_database(sqlite_url(path))
    session_row(db, Script().click(10, 10).type("hi"))
    db.close()
    return path


def test_a_plain_path_is_a_sqlite_store_and_urls_stay_urls(tmp_path: Path) -> None:
    assert store_url(str(tmp_path / "demo.db")) == sqlite_url(tmp_path / "demo.db")
    assert store_url("postgresql://u@h/db") == "postgresql://u@h/db"
    db = open_store(str(tmp_path / "new" / "demo.db"))
    assert db.sqlite_path == tmp_path / "new" / "demo.db"
    db.close()
    assert (tmp_path / "new" / "demo.db").is_file()


def test_a_reader_never_creates_a_store(tmp_path: Path) -> None:
    where = tmp_path / "missing" / "demo.db"
    with pytest.raises(NoStoreError, match=f"there is no demotrace store at {where}"):
        open_store(str(where), readonly=True)
    assert not (tmp_path / "missing").exists()
    (tmp_path / "empty.db").touch()
    with pytest.raises(NoStoreError, match="no demotrace store in"):
        open_store(str(tmp_path / "empty.db"), readonly=True)
    assert (tmp_path / "empty.db").stat().st_size == 0


def test_a_reader_reads_and_cannot_write(tmp_path: Path) -> None:
    path = a_store(tmp_path / "demo.db")
    before = digest(path)
    db = open_store(str(path), readonly=True)
    assert [s.id for s in list_sessions(db)] == ["s1"]
    assert summarize(db, "s1").events == 6
    with db.session() as s, pytest.raises(OperationalError, match="readonly"):
        s.execute(text("DELETE FROM events"))
    db.close()
    assert digest(path) == before


def test_a_reader_upgrades_an_older_store_it_may_write(tmp_path: Path) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "store-0001.db"
    path = tmp_path / "old.db"
    path.write_bytes(fixture.read_bytes())
    db = open_store(str(path), readonly=True)
    assert schema_revision(db.engine) == SCHEMA_REVISIONS[-1]
    assert len(list_sessions(db)) == 1
    db.close()


@pytest.mark.parametrize("readonly", [False, True])
def test_a_damaged_store_is_named_and_left_alone(tmp_path: Path, readonly: bool) -> None:
    path = a_store(tmp_path / "demo.db")
    damage(path)
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        db = open_store(str(path), readonly=readonly)
        list_sessions(db)
    message = str(caught.value)
    assert f"{path} is damaged" in message and "restore it from a backup" in message
    assert "\n" not in message
    assert digest(path) == before


@pytest.mark.parametrize("readonly", [False, True])
def test_a_file_that_is_not_sqlite_is_named_and_left_alone(tmp_path: Path, readonly: bool) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n" * 100)
    with pytest.raises(StoreError, match=f"{path} is not a SQLite database"):
        open_store(str(path), readonly=readonly)
    assert path.read_text() == "just some notes\n" * 100
