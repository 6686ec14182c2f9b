"""Every rule that also runs as SQL agrees with its Python twin, on generated actors, on SQLite
and on PostgreSQL: the reach status, the power/interest quadrant and the contact details known.

Each example inserts a handful of actors in a transaction that is rolled back afterwards, asks
the database which actors each SQL twin selects, and compares with the Python rule per actor.
"""

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select

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


STATUSES = ("direct", "digital_only", "attempted", "none")
QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")


def python_status(values: dict) -> str:
    return reach_status(
        last_direct_reached_at=values["last_direct_reached_at"],
        last_reached_at=values["last_reached_at"],
        last_attempt_at=values["last_attempt_at"],
        since=SINCE,
    )


def python_quadrant(values: dict) -> str:
    return quadrant(values["influence"], values["interest"])


def python_details(values: dict) -> ContactDetails:
    names = ("phone", "email", "address", "do_not_phone", "do_not_email", "do_not_visit")
    return ContactDetails.from_values(**{name: values[name] for name in names})


def sql_details(connection) -> dict[int, ContactDetails]:
    rows = connection.execute(select(Actor.id, *contact_details_columns()))
    return {row[0]: ContactDetails(*map(bool, row[1:])) for row in rows}


def twins_select_alike(connection, *, values, python_rule, sql_condition, **twins) -> None:
    """For generated actors, the actors `sql_condition(value)` selects are those for which
    `python_rule(actor) == value`, for every value (AssertionError with an example if not)."""

    @twins.get("settings", TWINS)
    @given(generated=actors)
    def check(generated):
        with connection.begin() as transaction:
            stored = insert_actors(connection, generated)
            for value in values:
                expected = {i for i, actor in stored.items() if python_rule(actor) == value}
                assert selected(connection, sql_condition(value)) == expected, value
            transaction.rollback()

    check()


def details_alike(connection, *, python_rule, sql_rows, **twins) -> None:
    """For generated actors, the contact details in SQL are those of the Python rule."""

    @twins.get("settings", TWINS)
    @given(generated=actors)
    def check(generated):
        with connection.begin() as transaction:
            stored = insert_actors(connection, generated)
            assert sql_rows(connection) == {i: python_rule(a) for i, a in stored.items()}
            transaction.rollback()

    check()


def test_the_sql_reach_status_selects_the_actors_of_that_status(connection):
    twins_select_alike(
        connection,
        values=STATUSES,
        python_rule=python_status,
        sql_condition=lambda status: status_condition(status, since=SINCE),
    )


def test_the_sql_quadrant_selects_the_actors_of_that_quadrant(connection):
    twins_select_alike(
        connection, values=QUADRANTS, python_rule=python_quadrant, sql_condition=quadrant_condition
    )


def test_the_sql_contact_details_are_the_python_ones(connection):
    details_alike(connection, python_rule=python_details, sql_rows=sql_details)


# The same checks, with one side of a twin changed: each must be caught.
CAUGHT = settings(TWINS, phases=[Phase.generate])  # no shrinking: finding it is enough
SWAPPED = {"keep_satisfied": "keep_informed", "keep_informed": "keep_satisfied"}


def sql_details_without_trim(connection) -> dict[int, ContactDetails]:
    has_address = (func.coalesce(Actor.address, "") != "").label("has_address")
    columns = [has_address if c.name == "has_address" else c for c in contact_details_columns()]
    rows = connection.execute(select(Actor.id, *columns))
    return {row[0]: ContactDetails(*map(bool, row[1:])) for row in rows}


@pytest.mark.parametrize(
    "changed",
    [
        "sql status: a contact at the window's start no longer counts",
        "python status: a contact at the window's start no longer counts",
        "sql quadrant: keep satisfied and keep informed swapped",
        "sql contact details: an address of spaces counts",
    ],
)
def test_a_twin_changed_on_one_side_is_caught(connection, changed):
    later = SINCE + timedelta(seconds=1)
    checks = {
        "sql status": lambda: twins_select_alike(
            connection,
            values=STATUSES,
            python_rule=python_status,
            sql_condition=lambda status: status_condition(status, since=later),
            settings=CAUGHT,
        ),
        "python status": lambda: twins_select_alike(
            connection,
            values=STATUSES,
            python_rule=lambda actor: reach_status(
                last_direct_reached_at=actor["last_direct_reached_at"],
                last_reached_at=actor["last_reached_at"],
                last_attempt_at=actor["last_attempt_at"],
                since=later,
            ),
            sql_condition=lambda status: status_condition(status, since=SINCE),
            settings=CAUGHT,
        ),
        "sql quadrant": lambda: twins_select_alike(
            connection,
            values=QUADRANTS,
            python_rule=python_quadrant,
            sql_condition=lambda name: quadrant_condition(SWAPPED.get(name, name)),
            settings=CAUGHT,
        ),
        "sql contact details": lambda: details_alike(
            connection,
            python_rule=python_details,
            sql_rows=sql_details_without_trim,
            settings=CAUGHT,
        ),
    }
    with pytest.raises(AssertionError):
        checks[changed.split(":")[0]]()


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
