"""Shared set-up of the benchmarks: throwaway databases filled with demo.city."""

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the project, on the path
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import Engine, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from crm.db import make_engine, make_session_factory  # noqa: E402
from crm.models import User  # noqa: E402
from crm.users import create_user  # noqa: E402
from demo.city import default_relations, has_actors, load_demo_data, settle_after_load  # noqa: E402
from tests.support import pg_cluster  # noqa: E402
from tests.support.database import migrate  # noqa: E402


@dataclass(frozen=True)
class BenchUser:
    """An account a benchmark logs in with through the Flask test client."""

    email: str
    role: str
    password: str = "bench password 123"
    name: str = "Bench"


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


def prepare(
    url: str,
    *,
    actors: int,
    contacts: int,
    relations: int | None = None,
    seed: int = 1,
    user: BenchUser | None = None,
) -> None:
    """Migrate and fill the database with demo.city, unless it already has actors (kept from an
    earlier run); then create `user` if it is missing."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            filled = "actors" in engine.dialect.get_table_names(connection) and has_actors(
                connection
            )
        if filled:
            print(f"  reusing {url}", file=sys.stderr)
            if user is not None:
                ensure_user(engine, user)
            return
        started = time.perf_counter()
        migrate(url)
        relations = default_relations(actors) if relations is None else relations
        with engine.begin() as connection:
            load_demo_data(
                connection, actors=actors, contacts=contacts, relations=relations, seed=seed
            )
        if user is not None:
            ensure_user(engine, user)
        settle_after_load(engine)
        print(
            f"  loaded {actors:,} actors, {contacts:,} contacts, {relations:,} relations "
            f"in {seconds(started)}",
            file=sys.stderr,
        )
    finally:
        engine.dispose()


def ensure_user(engine: Engine, user: BenchUser) -> None:
    """Create the account unless one with its e-mail address exists (a kept database)."""
    with make_session_factory(engine)() as session:
        if session.scalar(select(User.id).where(User.email == user.email)) is not None:
            return
        create_user(
            session, email=user.email, name=user.name, role=user.role, password=user.password
        )
        session.commit()


def logged_in_client(url: str, user: BenchUser):
    """A Flask test client of the app on `url`, logged in as `user`."""
    app = create_app(
        "config.Config",
        SQLALCHEMY_DATABASE_URI=url,
        SECRET_KEY="bench",
        WTF_CSRF_ENABLED=False,
        LOGIN_RATE_LIMIT="100000 per minute",
    )
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 302, f"could not log in as {user.email}"
    return client
