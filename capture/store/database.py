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

from capture.errors import NoStoreError, SchemaOutdatedError, SchemaTooNewError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

# Every schema revision this version knows, oldest first; the last is the head.
# Checking against this list keeps Alembic (and its start-up cost) out of every
# run that finds the schema current. A test checks it against the migrations.
SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004", "0005")

MIGRATIONS = Path(__file__).with_name("migrations")

# The store is private: directories and files demotrace creates are the owner's alone.
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def store_url(ref: str) -> str:
    """A database URL from what a person types: a URL as it is, anything else a SQLite file."""
    if "://" in ref:
        return ref
    return sqlite_url(Path(ref).expanduser().absolute())


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


def _sqlite_reader_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# What SQLite says when the file itself is broken; nothing demotrace should write to.
_DAMAGED = ("database disk image is malformed", "file is not a database")


def damage_of(exc: BaseException) -> str | None:
    """SQLite's words if ``exc`` (or what it wraps) says the database file is damaged."""
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).strip().lower()
        for phrase in _DAMAGED:
            if phrase in text:
                return phrase
        seen = getattr(seen, "orig", None) or seen.__cause__
    return None


def damaged_error(path: Path | str, reason: str) -> StoreError:
    if reason == "file is not a database":
        return StoreError(
            f"{path} is not a SQLite database, or its header is damaged; it was left as it "
            "is: check the path, or restore it from a backup"
        )
    return StoreError(
        f"{path} is damaged ({reason}); it was left as it is: restore it from a backup "
        f"(or try `sqlite3 {path} .recover`)"
    )


@dataclass
class Database:
    """An open, schema-checked database."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    readonly: bool = False  # a SQLite file opened mode=ro

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

    @property
    def can_write(self) -> bool:
        """Whether a writable connection could be opened (the store itself may be read-only)."""
        if not self.readonly:
            return True
        path = self.sqlite_path
        return path is not None and _writable(path) and _writable(path.parent)

    @contextmanager
    def writer(self) -> Iterator[Database]:
        """This database for writing: itself, or a writable connection opened for the while."""
        if not self.readonly:
            yield self
            return
        other = open_database(self.url, migrate=False)
        try:
            yield other
        finally:
            other.close()

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True, readonly: bool = False) -> Database:
    """Open ``url``; create or upgrade the schema; refuse a schema newer than ours.

    ``readonly``: for commands that only read. The store must exist; nothing is
    created, migrated or written (SQLite is opened ``mode=ro``, so a store on a
    read-only mount can be read).
    """
    given, shown = url, _redacted(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    kwargs: dict[str, Any] = {}
    path: Path | None = None
    existed = False
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser()
            if path.exists() and not path.is_file():
                raise StoreError(f"{path} is not a database file")
            if readonly:
                if not path.exists():
                    raise NoStoreError(f"there is no demotrace store at {path}")
                url = _readonly_sqlite_url(path)
            else:
                existed = path.exists() and path.stat().st_size > 0
                try:
                    private_dir(path.parent)
                except OSError as exc:
                    raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from None
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
        event.listen(engine, "connect", _sqlite_reader_pragmas if readonly else _sqlite_pragmas)
        _explain_damage(engine, path or shown)
    try:
        if existed and path is not None:
            _check_intact(engine, path)
        _check_and_migrate(engine, migrate=migrate and not readonly, readonly=readonly)
    except StoreError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        damage = damage_of(exc)
        if damage is not None:
            raise damaged_error(path or shown, damage) from None
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open database {shown}: {reason}") from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {shown}: {exc}") from None
    return Database(
        url=given,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        # Only SQLite files are opened read-only; a server database takes the
        # same connection for the few writes a reader makes (recovering sessions).
        readonly=readonly and path is not None,
    )


def _readonly_sqlite_url(path: Path) -> str:
    """``mode=ro``; ``immutable`` where nobody can be writing (a read-only directory
    without a write-ahead log), since SQLite could not create its shared-memory file there."""
    from urllib.parse import quote

    query = "mode=ro"
    if not _writable(path.parent) and not Path(f"{path}-wal").exists():
        query += "&immutable=1"
    return f"sqlite:///file:{quote(str(path.absolute()))}?{query}&uri=true"


def _check_intact(engine: Engine, path: Path) -> None:
    """Refuse to write into a damaged file (a few tenths of a second for a large store)."""
    with engine.connect() as conn:
        verdict = conn.execute(text("PRAGMA quick_check(1)")).scalar()
    if verdict != "ok":
        raise damaged_error(path, "SQLite's integrity check failed")


def _explain_damage(engine: Engine, where: Path | str) -> None:
    """Every statement that meets a damaged SQLite file raises one clear StoreError."""

    @event.listens_for(engine, "handle_error")
    def _damaged(context: Any) -> None:
        damage = damage_of(context.original_exception)
        if damage is not None:
            raise damaged_error(where, damage)


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


def _check_and_migrate(engine: Engine, *, migrate: bool, readonly: bool = False) -> None:
    head = SCHEMA_REVISIONS[-1]
    current = schema_revision(engine)
    if current is None:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables & {"sessions", "events"}:
            raise StoreError("database has demotrace tables but no schema version; not touching it")
        if readonly:
            raise NoStoreError(f"there is no demotrace store in {engine.url.database}")
    elif current not in SCHEMA_REVISIONS:
        raise SchemaTooNewError(
            f"database schema {current} is newer than this demotrace understands "
            f"(newest known: {head}); update demotrace to open it"
        )
    if current != head and readonly:
        raise SchemaOutdatedError(
            f"the store was written by an older demotrace (schema {current}); "
            "open it once with write access to upgrade it"
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
