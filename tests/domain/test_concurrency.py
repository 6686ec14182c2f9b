"""Colleagues working at once lose nothing (docs/architecture.md#storage,
docs/performance.md#lost-updates).

Every session here comes from the production recipe (`production_sessions`: SQLite with
BEGIN IMMEDIATE and WAL), one per thread, each unit of work in its own transaction, as
gunicorn workers and threads do.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from crm.actors import create_actor, get_actor, update_actor
from crm.contacts import log_contact
from crm.db import make_engine
from crm.events import create_event
from crm.invitations import add_invitations, mark_attendance
from crm.messages import Conflict
from crm.models import Actor, ContactLog, Invitation
from tests.domain.conftest import NOW, count, fresh, utc

THREADS = 8
CONTACTS_PER_THREAD = 100


def run_at_once(work, arguments) -> list:
    """Call `work` on each argument in its own thread, started together; re-raise any error."""
    barrier = threading.Barrier(len(arguments))

    def start(argument):
        barrier.wait(timeout=30)
        return work(argument)

    with ThreadPoolExecutor(len(arguments)) as pool:
        return list(pool.map(start, arguments))


def test_eight_colleagues_logging_contacts_at_once_lose_none(
    session, clean_db, production_sessions, make_actor
):
    actor = make_actor(name="Buurthuis De Klinker", kind="civic_association")
    first = NOW - timedelta(days=30)
    # Step 0 of every thread, then step 1, ...: minute step * 8 + thread, so each round of
    # eight contacts arriving together holds a newest one; the newest of all is minute 799.
    overwritten = []

    def log_many(thread: int) -> int:
        # The check reads with the test engine (plain BEGIN): on SQLite it then does not queue
        # for the write lock.
        with production_sessions() as own_session, Session(clean_db) as reader:
            for step in range(CONTACTS_PER_THREAD):
                occurred_at = first + timedelta(minutes=step * THREADS + thread)
                log_contact(
                    own_session,
                    actor_id=actor.id,
                    channel="phone",
                    outcome="reached",
                    occurred_at=utc(occurred_at),
                    note=f"thread {thread}",
                    now=NOW,
                )
                own_session.commit()
                # A colleague's transaction that recomputed the dates without seeing this
                # contact would have put an older moment back: a lost update, caught the moment
                # it happens rather than only when it is the last write.
                with reader.begin():
                    last = reader.scalar(select(Actor.last_contact_at).where(Actor.id == actor.id))
                if last < occurred_at:
                    overwritten.append((occurred_at, last))
        return CONTACTS_PER_THREAD

    logged = run_at_once(log_many, range(THREADS))

    assert sum(logged) == THREADS * CONTACTS_PER_THREAD
    assert overwritten == []
    assert count(session, ContactLog, ContactLog.actor_id == actor.id) == 800
    latest = session.scalar(select(sqlalchemy.func.max(ContactLog.occurred_at)))
    assert latest == first + timedelta(minutes=799)
    stored = fresh(session, Actor, actor.id)
    assert (stored.last_contact_at, stored.last_direct_reached_at, stored.version) == (
        latest,
        latest,
        1,
    )


def test_two_colleagues_saving_the_same_version_at_once_exactly_one_wins(
    session, production_sessions, make_actor
):
    actor = make_actor(name="Vzw Welzijnsschakels")
    edits = ["Welzijnsschakels Sinaai", "Welzijnsschakels Belsele"]

    def save(name: str) -> str:
        # Both edit forms were opened on version 1; both colleagues press "save" together.
        with production_sessions() as own_session:
            try:
                update_actor(own_session, actor.id, version=1, name=name)
                own_session.commit()
            except Conflict:
                return "conflict"
            return "saved"

    outcomes = dict(zip(edits, run_at_once(save, edits), strict=True))

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    (winner,) = [name for name, outcome in outcomes.items() if outcome == "saved"]
    stored = fresh(session, Actor, actor.id)
    assert (stored.name, stored.version) == (winner, 2)


def test_save_from_a_session_that_read_version_one_before_a_colleague_saved_is_refused(
    session, production_sessions, make_actor
):
    # The interleaving the version column exists for: both sessions hold the actor as read at
    # version 1 (the version check in Python passes for both), both write.
    actor = make_actor(name="Vzw Welzijnsschakels")
    with (
        production_sessions(expire_on_commit=False) as anna,
        production_sessions(expire_on_commit=False) as bart,
    ):
        get_actor(anna, actor.id)
        anna.commit()
        get_actor(bart, actor.id)
        bart.commit()

        update_actor(anna, actor.id, version=1, name="Anna's edit")
        anna.commit()
        with pytest.raises(Conflict):
            update_actor(bart, actor.id, version=1, name="Bart's edit")
        bart.rollback()

    stored = fresh(session, Actor, actor.id)
    assert (stored.name, stored.version) == ("Anna's edit", 2)


# --- the same check fails without the recipe --------------------------------------------------
# On a SQLite file of their own (one backend is enough): a counter that two colleagues each
# read, then write back plus one.

READ = text("SELECT n FROM counters WHERE id = 1")
WRITE = text("UPDATE counters SET n = :n WHERE id = 1")


@pytest.fixture
def counter_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path}/counter.sqlite"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("INSERT INTO counters VALUES (1, 0)"))
    engine.dispose()
    return url


def counter_value(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.execute(READ).scalar_one()
    engine.dispose()
    return value


def test_without_begin_immediate_a_read_modify_write_loses_an_update(counter_url):
    # Proves that checks like the ones above can fail: SQLite as SQLAlchemy configures it by
    # default (pysqlite starts a transaction only at the first write) lets both colleagues read
    # 0 and both write 1, without any error. Deterministic: the interleaving is spelled out.
    naive = sqlalchemy.create_engine(counter_url)
    with naive.connect() as anna, naive.connect() as bart:
        seen_by_anna = anna.execute(READ).scalar_one()
        seen_by_bart = bart.execute(READ).scalar_one()
        anna.execute(WRITE, {"n": seen_by_anna + 1})
        anna.commit()
        bart.execute(WRITE, {"n": seen_by_bart + 1})
        bart.commit()
    naive.dispose()

    assert counter_value(counter_url) == 1  # two increments, one lost


def test_with_begin_immediate_the_same_interleaving_loses_nothing(counter_url):
    # The recipe: Bart's read starts with BEGIN IMMEDIATE, so it waits until Anna's transaction
    # has committed and then reads her value. The result is 2 whichever thread runs first.
    engine = make_engine(counter_url)
    anna_has_read = threading.Event()

    def anna():
        with engine.connect() as connection:
            seen = connection.execute(READ).scalar_one()
            anna_has_read.set()
            time.sleep(0.2)  # Bart tries to read meanwhile
            connection.execute(WRITE, {"n": seen + 1})
            connection.commit()

    def bart():
        assert anna_has_read.wait(timeout=10)
        with engine.connect() as connection:
            seen = connection.execute(READ).scalar_one()
            connection.execute(WRITE, {"n": seen + 1})
            connection.commit()

    try:
        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(anna), pool.submit(bart)]:
                done.result()
    finally:
        engine.dispose()

    assert counter_value(counter_url) == 2


def test_a_double_tap_on_present_logs_one_attendance_contact(production_sessions):

    with production_sessions() as session:
        actor = create_actor(
            session, name="Vzw Kompas", kind="poverty_organisation", phone="03 778 30 60"
        )
        event = create_event(
            session, name="Open atelier", type="open_atelier", starts_at=NOW, capacity=30, now=NOW
        )
        (invitation,) = add_invitations(session, event.id, actor_ids=[actor.id], now=NOW)
        session.commit()
        ident = invitation.id

    def tap(_):
        with production_sessions() as session:
            mark_attendance(session, ident, now=NOW + timedelta(hours=1))
            session.commit()

    run_at_once(tap, range(4))

    with production_sessions() as session:
        assert session.scalar(select(sqlalchemy.func.count(ContactLog.id))) == 1
        assert session.get(Invitation, ident).status == "attended"
