"""Factories and helpers for the domain tests: crm/ without Flask, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crm.contacts import log_contact
from crm.db import make_engine, make_session_factory
from crm.models import User

# A fixed "now" (naive UTC, as Bereik stores time): a summer day, Brussels is UTC+2.
NOW = datetime(2026, 6, 10, 12, 0, 0)


def utc(moment: datetime) -> datetime:
    """A naive UTC moment marked as UTC (explicit, though crm reads a naive datetime as UTC)."""
    return moment.replace(tzinfo=UTC)


def ago(**delta) -> datetime:
    """NOW minus `delta`, marked as UTC, for `occurred_at`."""
    return utc(NOW - timedelta(**delta))


def count(session, model, *conditions) -> int:
    """Rows of `model` matching `conditions`, as committed (a fresh read)."""
    session.commit()
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def fresh(session, model, ident):
    """The row as stored now, not as this session last saw it."""
    session.commit()
    session.expire_all()
    return session.get(model, ident)


@pytest.fixture
def production_sessions(clean_db):
    """A session factory built as the app builds it: SQLite with BEGIN IMMEDIATE and WAL.

    Depends on `clean_db` so that the fixture's reset happens before these sessions exist. The
    test `session` uses plain BEGIN, which does not serialise read-modify-write transactions.
    """
    engine = make_engine(clean_db.url.render_as_string(hide_password=False))
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def make_contact(session):
    """Log a contact (default: a phone call that reached the actor an hour ago) and commit."""

    def make(actor, **fields):
        fields.setdefault("channel", "phone")
        fields.setdefault("outcome", "reached")
        fields.setdefault("occurred_at", ago(hours=1))
        fields.setdefault("now", NOW)
        contact = log_contact(session, actor_id=actor.id, **fields)
        session.commit()
        return contact

    return make


@pytest.fixture
def make_colleague(session):
    """A staff account that never logs in: without the scrypt hash (0.25 s) of `make_user`."""
    counter = iter(range(1, 10_000))

    def make(role: str = "staff") -> User:
        n = next(counter)
        user = User(
            email=f"colleague{n}@sint-niklaas.be",
            name=f"Colleague {n}",
            role=role,
            password_hash="!",  # matches no password
            active=True,
            created_at=NOW,
        )
        session.add(user)
        session.commit()
        return user

    return make
