"""Fixtures for the API tests: bearer headers per role and a look into the database."""

import pytest
from sqlalchemy import func, select

from crm.models import Actor, ContactLog, Relation

API = "/api/v1"


@pytest.fixture
def staff(make_user):
    return make_user("staff", name="Sara Staff")


@pytest.fixture
def as_staff(staff, api_token):
    """Bearer headers of a policy staff member."""
    return api_token(staff)


@pytest.fixture
def as_coordinator(make_user, api_token):
    return api_token(make_user("coordinator"))


@pytest.fixture
def as_admin(make_user, api_token):
    return api_token(make_user("admin"))


@pytest.fixture
def stored(session):
    """How many rows of a model the database holds now, as another request would see it."""

    def count(model) -> int:
        session.rollback()  # end the test's own read transaction: see what the app committed
        return session.scalar(select(func.count()).select_from(model))

    return count


@pytest.fixture
def actor_count(stored):
    return lambda: stored(Actor)


@pytest.fixture
def contact_count(stored):
    return lambda: stored(ContactLog)


@pytest.fixture
def relation_count(stored):
    return lambda: stored(Relation)
