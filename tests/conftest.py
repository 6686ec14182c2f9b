"""Fixtures shared by the whole suite; every database test runs on SQLite and on PostgreSQL.

Set BEREIK_TEST_BACKENDS=sqlite (or postgresql) to run one backend only. In CI (CI=true) the
PostgreSQL backend is required; elsewhere it is skipped when the server binaries are missing.
"""

import os
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db, limiter
from crm.actors import create_actor
from crm.clock import utcnow
from crm.db import make_engine, make_session_factory
from crm.events import create_event
from crm.users import create_user, issue_api_token
from tests.support import pg_cluster
from tests.support.database import migrate, reset

BACKENDS = [b for b in os.environ.get("BEREIK_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def pytest_collection_modifyitems(config, items):
    """Deselect (not skip) the other backends' runs of a test marked first_backend_only."""
    others = set(BACKENDS[1:])
    extra = [
        item
        for item in items
        if item.get_closest_marker("first_backend_only")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("database_url") in others
    ]
    if extra:
        config.hook.pytest_deselected(items=extra)
        dropped = {id(item) for item in extra}
        items[:] = [item for item in items if id(item) not in dropped]


IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery staple"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
FORM_TOKEN = re.compile(r'name="submission_token" type="hidden" value="([^"]+)"')


def require_or_skip(reason: str) -> None:
    """Skip outside CI; fail in CI, where nothing may be skipped for a missing prerequisite."""
    if IN_CI:
        pytest.fail(f"CI requires this: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_cluster():
    if not pg_cluster.available():
        require_or_skip(f"PostgreSQL server binaries not found in {pg_cluster.PG_BIN}")
    cluster = pg_cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database of each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite')}/bereik.sqlite"
    else:
        url = request.getfixturevalue("postgres_cluster").url
    migrate(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url):
    # Plain BEGIN: the test's own reads must not hold SQLite's write lock while the app works.
    # Concurrency tests build their own engine with the production recipe.
    engine = make_engine(database_url, immediate=False)
    yield engine
    engine.dispose()


@pytest.fixture
def clean_db(engine):
    """Every test starts from the migrated schema with only the default districts and themes."""
    reset(engine)
    return engine


@pytest.fixture
def session(clean_db):
    """A domain session (no Flask), for domain tests and for arranging web tests."""
    with make_session_factory(clean_db)(expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def backend_app(database_url):
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(backend_app, clean_db):
    with backend_app.app_context():
        limiter.reset()
    return backend_app


class DomainAwareClient(FlaskClient):
    """A test client that ends the test session's transaction before each request.

    On SQLite (WAL) an open read transaction keeps its snapshot: without this, a test would not
    see what the request wrote, nor the request what the test wrote but did not commit.
    """

    domain_session = None

    def open(self, *args, **kwargs):
        if self.domain_session is not None:
            self.domain_session.commit()
            self.domain_session.expire_all()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app, session):
    app.test_client_class = DomainAwareClient
    client = app.test_client()
    client.domain_session = session
    return client


# --- factories ---------------------------------------------------------------------------


@pytest.fixture
def make_user(session):
    counter = iter(range(1, 10_000))

    def make(
        role: str = "staff",
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
    ):
        n = next(counter)
        user = create_user(
            session,
            email=email or f"{role}{n}@sint-niklaas.be",
            name=name or f"{role.title()} {n}",
            role=role,
            password=password,
        )
        session.commit()
        return user

    return make


@pytest.fixture
def make_actor(session):
    counter = iter(range(1, 100_000))

    def make(**fields):
        fields.setdefault("name", f"Actor {next(counter)}")
        fields.setdefault("kind", "resident")
        actor = create_actor(session, **fields)
        session.commit()
        return actor

    return make


@pytest.fixture
def make_event(session):
    """Create and commit an event: an idea atelier in two weeks unless told otherwise (`now=`
    is passed on to crm.events.create_event)."""

    def make(**fields):
        fields.setdefault("name", "Ideeënatelier mobiliteit")
        fields.setdefault("type", "idea_atelier")
        fields.setdefault("starts_at", (fields.get("now") or utcnow()) + timedelta(days=14))
        fields.setdefault("capacity", 20)
        event = create_event(session, **fields)
        session.commit()
        return event

    return make


@pytest.fixture
def api_token(session):
    def issue(user) -> dict:
        token = issue_api_token(session, user.id)
        session.commit()
        return {"Authorization": f"Bearer {token}"}

    return issue


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's meta tag."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_META.search(page)
    assert match, f"no CSRF meta tag on {path}"
    return match.group(1)


def post_form(
    client, url: str, data: dict, *, follow_redirects: bool = False, token_page: str = "/"
):
    """POST a form the way a browser does: with the CSRF token of the session."""
    return client.post(
        url,
        data={**data, "csrf_token": csrf_token(client, token_page)},
        follow_redirects=follow_redirects,
    )


def contact_form_token(client, actor_id) -> str:
    """The one-time token of the quick contact form, as the actor page renders it now."""
    page = client.get(f"/actors/{actor_id}").get_data(as_text=True)
    match = FORM_TOKEN.search(page)
    assert match, f"no contact form token on /actors/{actor_id}"
    return match.group(1)


def post_contact_form(client, actor_id, data: dict, *, follow_redirects: bool = False):
    """Log a contact through the actor page's quick form, rendered afresh, as a browser does."""
    token = contact_form_token(client, actor_id)
    return post_form(
        client,
        f"/actors/{actor_id}/contacts",
        {**data, "submission_token": token},
        follow_redirects=follow_redirects,
    )


@pytest.fixture
def login(client):
    def log_in(user, password: str = PASSWORD):
        response = client.post(
            "/login",
            data={"email": user.email, "password": password, "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return log_in
