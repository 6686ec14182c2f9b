"""Shared set-up of the benchmarks: throwaway databases filled with crm.demo."""

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the project, on the path
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.support import pg_cluster  # noqa: E402


@contextmanager
def scratch_dir(keep: str | None = None):
    """A temporary folder (or `keep`, left in place for the next run)."""
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        yield Path(keep)
        return
    directory = Path(tempfile.mkdtemp(prefix="bereik-bench-"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def postgres_cluster():
    """A throwaway PostgreSQL cluster (tests/support/pg_cluster.py), stopped afterwards."""
    if not pg_cluster.available():
        sys.exit(f"PostgreSQL server binaries not found in {pg_cluster.PG_BIN}")
    cluster = pg_cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def postgres_database(cluster, name: str) -> str:
    """A new, empty database in the cluster; its SQLAlchemy URL."""
    url = make_url(cluster.url)
    host, port = url.query["host"], url.query["port"]
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres") as connection:
        connection.autocommit = True
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def sqlite_url(directory: Path, name: str) -> str:
    return f"sqlite:///{directory / name}.sqlite"


def seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def quiet_environment() -> dict:
    """The environment for subprocesses: no inherited DATABASE_URL surprises."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    return env
