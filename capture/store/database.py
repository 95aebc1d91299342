"""Opening a store from a database URL: engine, pragmas, schema checks, migrations."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from capture.errors import SchemaTooNewError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

# Every schema revision this version knows, oldest first; the last is the head.
# Checking against this list keeps Alembic (and its start-up cost) out of every
# run that finds the schema current. A test checks it against the migrations.
SCHEMA_REVISIONS = ("0001", "0002", "0003")

MIGRATIONS = Path(__file__).with_name("migrations")

# The store is private: directories and files demotrace creates are the owner's alone.
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@dataclass
class Database:
    """An open, schema-checked database."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def sqlite_path(self) -> Path | None:
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
            return None
        return Path(parsed.database or "")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open ``url``; create or upgrade the schema; refuse a schema newer than ours."""
    shown = _redacted(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser()
            try:
                private_dir(path.parent)
            except OSError as exc:
                raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from None
            if path.exists() and not path.is_file():
                raise StoreError(f"{path} is not a database file")
            if not _writable(path):
                raise StoreError(f"database {path} is not writable")
            try:
                _private_files(path)
            except OSError as exc:
                raise StoreError(f"cannot create database {path}: {exc.strerror}") from None
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except NoSuchModuleError:
        raise StoreError(f"unsupported database URL {shown}") from None
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database {shown}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _check_and_migrate(engine, migrate=migrate)
    except StoreError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open database {shown}: {reason}") from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {shown}: {exc}") from None
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents, each owner-only."""
    if path.is_dir():
        return
    private_dir(path.parent)
    try:
        path.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:
        if not path.is_dir():
            raise


def _private_files(path: Path) -> None:
    """The database file exists and is owner-only before SQLite opens it: SQLite gives
    the WAL and shared-memory files it creates the database file's permissions."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
    for name in (str(path), f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        tighten(Path(name), PRIVATE_FILE)


def tighten(path: Path, mode: int) -> None:
    """Take group and other access away from ``path`` if it is ours and has any."""
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            path.chmod(mode)
    except OSError:
        pass


def _writable(path: Path) -> bool:
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK)


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_and_migrate(engine: Engine, *, migrate: bool) -> None:
    head = SCHEMA_REVISIONS[-1]
    current = schema_revision(engine)
    if current is None:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables & {"sessions", "events"}:
            raise StoreError("database has demotrace tables but no schema version; not touching it")
    elif current not in SCHEMA_REVISIONS:
        raise SchemaTooNewError(
            f"database schema {current} is newer than this demotrace understands "
            f"(newest known: {head}); update demotrace to open it"
        )
    if current == head or not migrate:
        return
    if current is None:
        _create_fresh(engine, head)
        return
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _create_fresh(engine: Engine, head: str) -> None:
    """A new, empty database: the models' tables and the head revision, in one transaction.

    Equivalent to running every migration (a test compares the two schemas),
    without loading Alembic into a recorder that only needs the tables.
    """
    from capture.store.models import Base

    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # pysqlite opens no transaction before DDL, so each CREATE TABLE would
            # commit on its own and a crash here would leave tables without a
            # schema version: a store nobody may open. One explicit transaction.
            conn.exec_driver_sql("BEGIN")
        Base.metadata.create_all(conn)
        conn.execute(
            text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})


def is_disk_full(exc: BaseException) -> bool:
    """True if ``exc`` (or what it wraps) says the disk or database is full."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(seen).lower()
        if "database or disk is full" in text or "no space left" in text:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False
