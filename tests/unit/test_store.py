import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from capture.errors import SchemaTooNewError, StoreError
from capture.store.blobs import DatabaseBlobStore, DirectoryBlobStore
from capture.store.database import (
    SCHEMA_REVISIONS,
    is_disk_full,
    open_database,
    schema_revision,
    sqlite_url,
)


def test_new_database_gets_the_newest_schema_in_wal_mode(tmp_path: Path) -> None:
    db = open_database(sqlite_url(tmp_path / "a" / "b" / "new.db"))
    try:
        assert schema_revision(db.engine) is not None
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            tables = set(inspect(conn).get_table_names())
        assert {
            "sessions",
            "events",
            "frames",
            "screen_changes",
            "markers",
            "windows",
            "blobs",
        } <= tables
    finally:
        db.close()


def test_opening_twice_changes_nothing(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "x.db")
    open_database(url).close()
    db = open_database(url)
    rev = schema_revision(db.engine)
    db.close()
    assert rev == schema_revision(open_database(url).engine)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    open_database(sqlite_url(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
    with pytest.raises(SchemaTooNewError, match="f00d is newer"):
        open_database(sqlite_url(path))


def test_foreign_tables_without_version_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE sessions (id TEXT)")
    with pytest.raises(StoreError, match="no schema version"):
        open_database(sqlite_url(path))


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError, match="is not a database file"):
        open_database(sqlite_url(tmp_path / "dir.db"))


def test_directory_blob_store_is_content_addressed_and_atomic(tmp_path: Path) -> None:
    store = DirectoryBlobStore(tmp_path / "frames")
    db = open_database(sqlite_url(tmp_path / "x.db"))
    with db.session() as s:
        assert not store.has("ab" * 16, s)
        store.put("ab" * 16, b"one", s)
        store.put("ab" * 16, b"two", s)  # same address: first write wins
        assert store.get("ab" * 16, s) == b"one"
        with pytest.raises(StoreError, match="missing"):
            store.get("cd" * 16, s)
    assert [p.name for p in (tmp_path / "frames").rglob("*") if p.is_file()] == ["ab" * 16]
    assert store.size_bytes() == 3
    db.close()


def test_database_blob_store_writes_in_the_callers_transaction(tmp_path: Path) -> None:
    db = open_database(sqlite_url(tmp_path / "x.db"))
    store = DatabaseBlobStore()
    with db.session() as s:
        store.put("ef" * 16, b"pixels", s)
        s.rollback()
        assert not store.has("ef" * 16, s)
        store.put("ef" * 16, b"pixels", s)
        store.put("ef" * 16, b"pixels", s)
        s.commit()
    with db.session() as s:
        assert store.get("ef" * 16, s) == b"pixels"
    db.close()


def test_disk_full_is_recognised_through_wrappers() -> None:
    import errno

    from sqlalchemy.exc import OperationalError

    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    wrapped = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    assert is_disk_full(wrapped)
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))


def test_known_revisions_match_the_migrations() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from capture.store.database import MIGRATIONS, SCHEMA_REVISIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(chain) == SCHEMA_REVISIONS


def _schema(engine: Any) -> dict[str, dict[str, Any]]:
    """Every table as the database reports it: columns (type, nullability, key), indexes."""
    with engine.connect() as conn:
        found = inspect(conn)
        return {
            table: {
                # By name: a migration adds columns at the end, a new table has them in order.
                "columns": sorted(
                    (c["name"], str(c["type"]), c["nullable"], c.get("primary_key", 0))
                    for c in found.get_columns(table)
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in found.get_indexes(table)
                ),
                "foreign_keys": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"])
                    for f in found.get_foreign_keys(table)
                ),
            }
            for table in found.get_table_names()
        }


def test_models_match_the_migrated_schema(tmp_path: Path) -> None:
    """Running every migration builds exactly the models (which new stores are made from):
    the same tables, and in each the same columns by name, type and nullability."""
    from alembic import command
    from sqlalchemy import create_engine

    from capture.store.database import SCHEMA_REVISIONS, _alembic_config
    from capture.store.models import Base

    engine = create_engine(sqlite_url(tmp_path / "migrated.db"))
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    migrated = _schema(engine)
    assert schema_revision(engine) == SCHEMA_REVISIONS[-1]
    engine.dispose()
    fresh_db = open_database(sqlite_url(tmp_path / "fresh.db"))
    fresh = _schema(fresh_db.engine)
    assert schema_revision(fresh_db.engine) == SCHEMA_REVISIONS[-1]
    fresh_db.close()

    assert set(migrated) == set(fresh) == {*Base.metadata.tables, "alembic_version"}
    for name, table in Base.metadata.tables.items():
        assert migrated[name] == fresh[name], name
        columns = {c[0]: c for c in migrated[name]["columns"]}
        assert set(columns) == {c.name for c in table.columns}, name
        for column in table.columns:
            _, sql_type, nullable, _ = columns[column.name]
            assert nullable == column.nullable, f"{name}.{column.name} nullability"
            expected = column.type.compile(dialect=fresh_db.engine.dialect)
            assert sql_type == expected, f"{name}.{column.name}: {sql_type} != {expected}"


def test_a_version_one_store_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "store-0001.db"
    path = tmp_path / "old.db"
    path.write_bytes(fixture.read_bytes())
    db = open_database(sqlite_url(path))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 4
        assert conn.execute(text("SELECT count(*) FROM steps")).scalar() == 0
    assert schema_revision(db.engine) == SCHEMA_REVISIONS[-1]
    db.close()
