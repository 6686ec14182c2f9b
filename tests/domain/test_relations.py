"""Relations between actors: add with its rules, remove, list (crm/relations.py)."""

from datetime import date

import pytest

from crm.messages import Invalid, NotFound
from crm.models import Relation
from crm.relations import add_relation, relations_of, remove_relation
from tests.domain.conftest import NOW, count, fresh


@pytest.fixture
def pair(make_actor):
    return make_actor(name="Mieke Claes"), make_actor(name="Vzw De Link", kind="civic_association")


def refused_fields(session, **fields) -> set[str]:
    with pytest.raises(Invalid) as refused:
        add_relation(session, **fields)
    session.rollback()
    return set(refused.value.errors)


def test_relation_is_stored_with_type_strength_and_dates(session, pair):
    mieke, link = pair

    relation = add_relation(
        session,
        source_id=mieke.id,
        target_id=str(link.id),
        type="member_of",
        strength="3",
        starts_on="2024-01-01",
        ends_on=date(2026, 1, 1),
        now=NOW,
    )
    session.commit()

    stored = fresh(session, Relation, relation.id)
    assert (
        stored.source_id,
        stored.target_id,
        stored.type,
        stored.strength,
        stored.starts_on,
        stored.ends_on,
        stored.created_at,
    ) == (mieke.id, link.id, "member_of", 3, date(2024, 1, 1), date(2026, 1, 1), NOW)


def test_relation_strength_defaults_to_one(session, pair):
    mieke, link = pair

    relation = add_relation(session, source_id=mieke.id, target_id=link.id, type="knows")

    assert relation.strength == 1


def test_actor_cannot_relate_to_itself(session, pair):
    mieke, _ = pair

    assert refused_fields(session, source_id=mieke.id, target_id=mieke.id, type="knows") == {
        "target_id"
    }


def test_same_relation_twice_is_refused(session, pair):
    mieke, link = pair
    add_relation(session, source_id=mieke.id, target_id=link.id, type="member_of")
    session.commit()

    fields = refused_fields(session, source_id=mieke.id, target_id=link.id, type="member_of")

    assert fields == {"target_id"}
    assert count(session, Relation) == 1


@pytest.mark.parametrize("kind", ["knows", "partner_of"])
def test_symmetric_relation_in_reverse_is_a_duplicate(session, pair, kind):
    mieke, link = pair
    add_relation(session, source_id=mieke.id, target_id=link.id, type=kind)
    session.commit()

    assert refused_fields(session, source_id=link.id, target_id=mieke.id, type=kind) == {
        "target_id"
    }


def test_directed_relation_in_reverse_is_another_relation(session, pair):
    mieke, link = pair
    add_relation(session, source_id=mieke.id, target_id=link.id, type="introduced_by")

    add_relation(session, source_id=link.id, target_id=mieke.id, type="introduced_by")
    session.commit()

    assert count(session, Relation) == 2


def test_same_pair_may_have_relations_of_different_types(session, pair):
    mieke, link = pair
    add_relation(session, source_id=mieke.id, target_id=link.id, type="member_of")

    add_relation(session, source_id=mieke.id, target_id=link.id, type="works_for")
    session.commit()

    assert count(session, Relation) == 2


@pytest.mark.parametrize("strength", [0, 4, "-1", "strong", "١"])
def test_strength_outside_one_to_three_is_refused(session, pair, strength):
    mieke, link = pair

    fields = refused_fields(
        session, source_id=mieke.id, target_id=link.id, type="knows", strength=strength
    )

    assert fields == {"strength"}


def test_unknown_relation_type_is_refused(session, pair):
    mieke, link = pair

    assert refused_fields(session, source_id=mieke.id, target_id=link.id, type="loves") == {"type"}


def test_end_before_start_is_refused(session, pair):
    mieke, link = pair

    fields = refused_fields(
        session,
        source_id=mieke.id,
        target_id=link.id,
        type="works_for",
        starts_on="2025-05-01",
        ends_on="2025-04-30",
    )

    assert fields == {"ends_on"}


def test_unknown_actor_ids_are_refused_with_a_message(session, pair):
    mieke, _ = pair

    with pytest.raises(Invalid) as refused:
        add_relation(session, source_id=987654, target_id=2**31, type="knows")

    errors = {name: [m.render() for m in ms] for name, ms in refused.value.errors.items()}
    assert errors == {
        "source_id": ["There is no actor with id 987654."],
        "target_id": ["'2147483648' is not a valid id."],
    }


def test_every_problem_of_a_relation_is_reported_at_once(session, pair):
    mieke, _ = pair

    fields = refused_fields(
        session, source_id=mieke.id, target_id="abc", type="hates", strength=9, ends_on="soon"
    )

    assert fields == {"target_id", "type", "strength", "ends_on"}


def test_removed_relation_is_gone_from_both_actors(session, pair):
    mieke, link = pair
    relation = add_relation(session, source_id=mieke.id, target_id=link.id, type="knows")
    session.commit()

    remove_relation(session, relation.id)
    session.commit()

    assert relations_of(session, mieke.id) == []
    assert relations_of(session, link.id) == []


def test_removing_an_unknown_relation_is_not_found(session):
    with pytest.raises(NotFound):
        remove_relation(session, 2**31)


def test_actors_relations_are_listed_from_either_side(session, pair, make_actor):
    mieke, link = pair
    jan = make_actor(name="Jan")
    works = add_relation(session, source_id=mieke.id, target_id=link.id, type="works_for")
    knows = add_relation(session, source_id=jan.id, target_id=mieke.id, type="knows")
    add_relation(session, source_id=jan.id, target_id=link.id, type="member_of")
    session.commit()

    assert [r.id for r in relations_of(session, mieke.id)] == [knows.id, works.id]
