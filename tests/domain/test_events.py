"""crm/events.py: a second event of the same name on the same day, on SQLite and PostgreSQL."""

from datetime import datetime

import pytest

from crm.events import DuplicateEvent, create_event, find_same_event, update_event
from crm.models import Event
from tests.domain.conftest import NOW, count

# NOW is 10 June 2026, 12:00 UTC; Brussels is UTC+2 in summer.
EVENING = datetime(2026, 7, 1, 17, 0)  # 19:00 in Brussels, 1 July 2026


def atelier(session, *, name="Ideeënatelier mobiliteit", starts_at=EVENING, **fields) -> Event:
    fields = {"type": "idea_atelier", "capacity": 20, **fields}
    event = create_event(session, name=name, starts_at=starts_at, now=NOW, **fields)
    session.commit()
    return event


def test_the_same_name_in_other_case_accents_and_spaces_on_the_same_day_is_found(session):
    first = atelier(session, name="Ideeënatelier mobiliteit")

    found = find_same_event(session, "  IDEEENATELIER   Mobiliteit ", datetime(2026, 7, 1, 8, 0))

    assert found is not None and found.id == first.id


def test_the_same_name_on_another_day_is_not_found(session):
    atelier(session, name="Ideeënatelier mobiliteit")

    assert find_same_event(session, "Ideeënatelier mobiliteit", datetime(2026, 7, 2, 17, 0)) is None


def test_the_day_is_the_brussels_day_not_the_utc_day(session):
    # 23:30 in Brussels on 1 July is 21:30 UTC; 00:30 on 2 July is 22:30 UTC, one hour later.
    atelier(session, starts_at=datetime(2026, 7, 1, 21, 30))

    assert (
        find_same_event(session, "Ideeënatelier mobiliteit", datetime(2026, 7, 1, 22, 30)) is None
    )
    assert find_same_event(session, "Ideeënatelier mobiliteit", datetime(2026, 6, 30, 22, 30))


def test_another_name_on_the_same_day_is_not_found(session):
    atelier(session, name="Ideeënatelier mobiliteit")

    assert find_same_event(session, "Ideeënatelier klimaat", EVENING) is None


def test_a_second_event_of_the_same_name_and_day_is_refused_until_confirmed(session):
    first = atelier(session, name="Open atelier", place="Stadhuis")

    with pytest.raises(DuplicateEvent) as refused:
        atelier(session, name="open atelier", starts_at=datetime(2026, 7, 1, 8, 0))
    session.rollback()

    assert refused.value.existing.id == first.id
    assert [m.render() for m in refused.value.errors["name"]] == [
        f"There is already an event “Open atelier” on 2026-07-01 (number {first.id})."
    ]
    assert count(session, Event) == 1
    second = atelier(
        session, name="open atelier", starts_at=datetime(2026, 7, 1, 8, 0), confirm_duplicate=True
    )
    assert second.id != first.id
    assert count(session, Event) == 2


def test_moving_an_event_onto_the_day_of_its_namesake_needs_confirmation(session):
    atelier(session, name="Open atelier")
    later = atelier(session, name="Open atelier", starts_at=datetime(2026, 7, 8, 17, 0))

    with pytest.raises(DuplicateEvent):
        update_event(session, later.id, version=later.version, starts_at=EVENING, now=NOW)
    session.rollback()
    update_event(
        session,
        later.id,
        version=later.version,
        starts_at=EVENING,
        confirm_duplicate=True,
        now=NOW,
    )
    session.commit()

    assert session.get(Event, later.id).starts_at == EVENING


def test_editing_the_description_of_a_confirmed_twin_asks_nothing_again(session):
    atelier(session, name="Open atelier")
    twin = atelier(session, name="Open atelier", confirm_duplicate=True)

    update_event(session, twin.id, version=twin.version, description="Tweede sessie", now=NOW)
    session.commit()

    assert session.get(Event, twin.id).description == "Tweede sessie"
