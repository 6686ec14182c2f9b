"""Every rule that also runs as SQL agrees with its Python twin, on generated actors, on SQLite
and on PostgreSQL: the reach status, the power/interest quadrant and the contact details known.

Each example inserts a handful of actors in a transaction that is rolled back afterwards, asks
the database which actors each SQL twin selects, and compares with the Python rule per actor.
"""

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from crm.channels import ContactDetails, contact_details_columns
from crm.models import Actor
from crm.power_interest import quadrant, quadrant_condition
from crm.reach import reach_status, status_condition
from crm.vocabulary import Quadrant, ReachStatus

SINCE = datetime(2026, 1, 1, 12, 0, 0)
TWINS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Moments around the window's start, the start itself included: where a `>=` would become `>`.
moments = st.one_of(
    st.none(),
    st.sampled_from((SINCE, SINCE - timedelta(seconds=1), SINCE + timedelta(seconds=1))),
    st.integers(min_value=-400, max_value=400).map(lambda days: SINCE + timedelta(days=days)),
)
# What can be stored, and a little more: empty strings and addresses of spaces only.
phones = st.sampled_from((None, "", "+3237783060"))
emails = st.sampled_from((None, "", "info@vlaskop.be"))
addresses = st.sampled_from((None, "", " ", "   ", "Dijkstraat 4", " Dijkstraat 4 "))

actors = st.lists(
    st.fixed_dictionaries(
        {
            "last_direct_reached_at": moments,
            "last_reached_at": moments,
            "last_attempt_at": moments,
            "influence": st.integers(min_value=1, max_value=5),
            "interest": st.integers(min_value=1, max_value=5),
            "phone": phones,
            "email": emails,
            "address": addresses,
            "do_not_phone": st.booleans(),
            "do_not_email": st.booleans(),
            "do_not_visit": st.booleans(),
        }
    ),
    min_size=1,
    max_size=12,
)


def insert_actors(connection, generated: list[dict]) -> dict[int, dict]:
    """The generated actors stored (uncommitted), by id."""
    rows = [
        {
            "name": f"Actor {n}",
            "search_name": f"actor {n}",
            "kind": "resident",
            "notes": "",
            "archived": False,
            "created_at": SINCE,
            "updated_at": SINCE,
            "version": 1,
            **values,
        }
        for n, values in enumerate(generated)
    ]
    ids = (
        connection.execute(insert(Actor).returning(Actor.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    return dict(zip(ids, generated, strict=True))


def selected(connection, condition) -> set[int]:
    return set(connection.scalars(select(Actor.id).where(condition)))


@pytest.fixture
def connection(clean_db):
    with clean_db.connect() as connection:
        yield connection


@TWINS
@given(generated=actors)
def test_the_sql_reach_status_selects_the_actors_of_that_status(connection, generated):
    with connection.begin() as transaction:
        stored = insert_actors(connection, generated)
        for status in ("direct", "digital_only", "attempted", "none"):
            expected = {
                ident
                for ident, values in stored.items()
                if reach_status(
                    last_direct_reached_at=values["last_direct_reached_at"],
                    last_reached_at=values["last_reached_at"],
                    last_attempt_at=values["last_attempt_at"],
                    since=SINCE,
                )
                == status
            }
            assert selected(connection, status_condition(status, since=SINCE)) == expected, status
        transaction.rollback()


@TWINS
@given(generated=actors)
def test_the_sql_quadrant_selects_the_actors_of_that_quadrant(connection, generated):
    with connection.begin() as transaction:
        stored = insert_actors(connection, generated)
        for name in ("manage_closely", "keep_satisfied", "keep_informed", "monitor"):
            expected = {
                ident
                for ident, values in stored.items()
                if quadrant(values["influence"], values["interest"]) == name
            }
            assert selected(connection, quadrant_condition(name)) == expected, name
        transaction.rollback()


@TWINS
@given(generated=actors)
def test_the_sql_contact_details_are_the_python_ones(connection, generated):
    with connection.begin() as transaction:
        stored = insert_actors(connection, generated)
        rows = connection.execute(select(Actor.id, *contact_details_columns()))
        from_sql = {row[0]: ContactDetails(*map(bool, row[1:])) for row in rows}
        from_python = {
            ident: ContactDetails.from_values(
                **{k: values[k] for k in ("phone", "email", "address")},
                do_not_phone=values["do_not_phone"],
                do_not_email=values["do_not_email"],
                do_not_visit=values["do_not_visit"],
            )
            for ident, values in stored.items()
        }
        assert from_sql == from_python
        transaction.rollback()


def test_the_twins_know_every_status_and_quadrant():
    # The tests above name the values literally; a new status or quadrant needs a twin too.
    assert [str(s) for s in ReachStatus] == ["direct", "digital_only", "attempted", "none"]
    assert [str(q) for q in Quadrant] == [
        "manage_closely",
        "keep_satisfied",
        "keep_informed",
        "monitor",
    ]


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (4, 4, "manage_closely"),
        (4, 3, "keep_satisfied"),
        (3, 4, "keep_informed"),
        (3, 3, "monitor"),
        (5, 1, "keep_satisfied"),
        (1, 5, "keep_informed"),
    ],
)
def test_a_score_above_three_is_high(influence, interest, expected):
    assert quadrant(influence, interest) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, (False, False, False, False, False, False)),
        ({"phone": "", "email": "", "address": "   "}, (False, False, False, False, False, False)),
        ({"phone": "+3237783060"}, (True, False, False, False, False, False)),
        (
            {"address": " Dijkstraat 4 ", "do_not_visit": True},
            (False, False, True, False, False, True),
        ),
    ],
)
def test_a_detail_of_spaces_only_is_no_detail(values, expected):
    assert tuple(ContactDetails.from_values(**values)) == expected
