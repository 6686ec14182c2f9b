"""Engine set-up shared by the web app, the CLI, benchmarks and domain tests."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_S = 30


def configure_engine(engine: Engine, *, immediate: bool = True) -> Engine:
    """Apply Bereik's SQLite recipe (WAL, BEGIN IMMEDIATE, foreign keys); other databases as is.

    Without BEGIN IMMEDIATE, concurrent read-modify-write transactions on SQLite lose updates
    silently or fail with "database is locked" (docs/performance.md#lost-updates). This is
    SQLAlchemy's documented recipe: turn off the driver's own transaction handling and emit
    BEGIN ourselves.
    `immediate=False` (plain BEGIN) is for a single-threaded reader next to the app, such as a
    test arranging data: its reads then never hold the write lock.
    """
    if engine.dialect.name != "sqlite":
        return engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_engine(url: str, *, immediate: bool = True, **options) -> Engine:
    """A configured engine for `url` (used outside Flask: CLI helpers, tests, benchmarks)."""
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_S})
    return configure_engine(create_engine(url, **options), immediate=immediate)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine`."""
    return sessionmaker(engine)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many rows become many small objects.

    The analysis's graph and the duplicate index are millions of small dicts and tuples
    without reference cycles: every allocation threshold crossed starts a collection that walks
    all of them again (and every other live object, such as the cached results). Measured at
    100 000 actors: a quarter of the cold analysis (bench/reach_analysis.py) and of indexing
    the actors for duplicates (bench/duplicates.py). Reference counting still frees everything;
    only the cycle search waits until the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
