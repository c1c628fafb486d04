"""The tracking database: SQLite in the index folder by default, PostgreSQL (or any SQLAlchemy
URL) when ``settings.db_url`` is set. Opening it brings the schema up to date with Alembic."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ingest.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_UPGRADE_LOCK = threading.Lock()


def database_url(settings: Settings) -> str:
    """``settings.db_url``, else ``sqlite:///<index_dir>/tracking.sqlite``."""
    if settings.db_url:
        return settings.db_url
    return f"sqlite:///{Path(settings.index_dir) / 'tracking.sqlite'}"


def _sqlite_engine(url: str) -> Engine:
    """SQLite with foreign keys, WAL and writes serialised by ``BEGIN IMMEDIATE`` (so two
    writers wait for each other instead of failing with "database is locked")."""
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(conn: Any, _record: Any) -> None:
        conn.isolation_level = None  # let the "begin" event below issue BEGIN itself
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: Engine) -> None:
    """Run the Alembic migrations up to head on ``engine``."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _UPGRADE_LOCK, engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Database:
    """An engine and its session factory; ``session()`` is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error."""
        with self._sessions() as s, s.begin():
            yield s

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


_SHARED: dict[str, Database] = {}
_SHARED_LOCK = threading.Lock()


def shared_db(settings: Settings) -> Database:
    """One migrated ``Database`` per URL for the whole process (the web app's sessions)."""
    url = database_url(settings)
    with _SHARED_LOCK:
        if url not in _SHARED:
            _SHARED[url] = open_db(settings)
        return _SHARED[url]


def open_db(settings: Settings, migrate: bool = True) -> Database:
    """The tracking database of ``settings``, migrated to the current schema."""
    url = database_url(settings)
    if url.startswith("sqlite"):
        Path(settings.index_dir).mkdir(parents=True, exist_ok=True)
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url, pool_size=10, max_overflow=60, pool_pre_ping=True)
    if migrate:
        upgrade(engine)
    return Database(engine)
