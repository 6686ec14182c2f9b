"""Merging two actors found to be one (crm/merges.py): everything of both records stays, the
fields picked from each side, the record of the merge, and the refusals."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from crm.actors import update_actor
from crm.claims import claim_actor, claim_of_actor
from crm.ideas import create_idea
from crm.imports.records import start_import
from crm.invitations import add_invitations, mark_attendance, update_invitation
from crm.merges import (
    compare_actors,
    link_counts,
    merge_actors,
    merge_details,
    pairs_still_present,
)
from crm.messages import Conflict, Invalid
from crm.models import Actor, ContactLog, ImportedActor, Invitation, MergeRecord, Relation
from crm.relations import add_relation
from crm.versioning import current_data_version
from tests.domain.conftest import NOW, ago, count, fresh


@pytest.fixture
def make_event(make_event):
    def make(**fields):
        return make_event(now=NOW, **fields)

    return make


@pytest.fixture
def twins(make_actor):
    """'Vzw De Link' (older, with a phone) and 'De Link VZW' (an e-mail address, a theme)."""
    first = make_actor(
        name="Vzw De Link",
        kind="poverty_organisation",
        phone="03 778 30 60",
        address="Kazernestraat 12",
        postcode="9100",
        themes=["armoede"],
    )
    second = make_actor(
        name="De Link VZW",
        kind="poverty_organisation",
        phone="+3237783060",
        email="info@delink.be",
        themes=["mobiliteit"],
        notes="Vraag naar Griet.",
    )
    return first, second


def merge(session, kept, removed, take=None, **options):
    options.setdefault("user_id", None)
    options.setdefault("now", NOW)
    record = merge_actors(
        session,
        kept.id,
        removed.id,
        take=take or {},
        kept_version=kept.version,
        removed_version=removed.version,
        **options,
    )
    session.commit()
    return record


def test_a_merge_keeps_every_contact_relation_and_invitation_of_both_records(
    session, twins, make_actor, make_contact, make_event
):
    first, second = twins
    for days in (30, 20, 10):
        make_contact(first, occurred_at=ago(days=days))
    make_contact(second, occurred_at=ago(days=5), channel="visit")
    make_contact(second, occurred_at=ago(days=2), channel="email", outcome="no_answer")
    griet, stad = make_actor(name="Griet Van Damme"), make_actor(name="OCMW Sint-Niklaas")
    add_relation(session, source_id=griet.id, target_id=first.id, type="works_for")
    add_relation(session, source_id=second.id, target_id=stad.id, type="partner_of")
    add_relation(session, source_id=griet.id, target_id=second.id, type="knows")
    atelier, workshop = make_event(name="Open atelier"), make_event(name="Kick-off workshop")
    add_invitations(session, atelier.id, actor_ids=[first.id])
    add_invitations(session, workshop.id, actor_ids=[second.id])
    session.commit()
    assert (link_counts(session, first.id), link_counts(session, second.id)) == (
        (3, 1, 1, 0),
        (2, 2, 1, 0),
    )

    record = merge(session, first, second)

    assert link_counts(session, first.id) == (5, 3, 2, 0)
    assert count(session, ContactLog) == 5
    assert count(session, Relation) == 3
    assert count(session, Invitation) == 2
    assert count(session, Actor, Actor.id == second.id) == 0
    assert (record.contacts_moved, record.relations_moved, record.invitations_moved) == (2, 2, 1)
    kept = fresh(session, Actor, first.id)
    assert kept.last_contact_at == NOW.replace(day=8)  # the e-mail 2 days ago, moved over
    assert kept.last_direct_reached_at == NOW.replace(day=5)  # the visit 5 days ago
    assert kept.last_attempt_at == NOW.replace(day=8)


def test_a_relation_between_the_two_merged_actors_is_dropped_and_counted(session, twins):
    first, second = twins
    add_relation(session, source_id=first.id, target_id=second.id, type="knows")
    session.commit()

    record = merge(session, first, second)

    assert count(session, Relation) == 0
    assert record.relations_moved == 0
    assert merge_details(record).relations_dropped == 1


def test_a_relation_both_had_becomes_one_with_the_higher_strength_and_the_earlier_start(
    session, twins, make_actor
):
    first, second = twins
    griet = make_actor(name="Griet Van Damme")
    add_relation(
        session,
        source_id=griet.id,
        target_id=first.id,
        type="works_for",
        strength=1,
        starts_on="2024-03-01",
    )
    add_relation(
        session,
        source_id=griet.id,
        target_id=second.id,
        type="works_for",
        strength=3,
        starts_on="2022-09-01",
    )
    session.commit()

    record = merge(session, first, second)

    (relation,) = session.scalars(select(Relation)).all()
    assert (relation.source_id, relation.target_id, relation.type) == (
        griet.id,
        first.id,
        "works_for",
    )
    assert (relation.strength, relation.starts_on) == (3, date(2022, 9, 1))
    assert merge_details(record).relations_joined == 1


def test_both_invited_to_one_event_keeps_one_invitation_with_the_furthest_status_and_its_contact(
    session, twins, make_event
):
    first, second = twins
    atelier = make_event(name="Ideeënatelier armoede")
    kept_invitation, removed_invitation = add_invitations(
        session, atelier.id, actor_ids=[first.id, second.id]
    )
    update_invitation(session, kept_invitation.id, status="confirmed", now=NOW)
    mark_attendance(session, removed_invitation.id, now=NOW)
    session.commit()
    attendance_contact = fresh(session, Invitation, removed_invitation.id).attendance_contact_id

    record = merge(session, first, second)

    (invitation,) = session.scalars(select(Invitation)).all()
    assert (invitation.id, invitation.actor_id) == (kept_invitation.id, first.id)
    assert invitation.status == "attended"
    assert invitation.attendance_contact_id == attendance_contact
    contact = session.get(ContactLog, attendance_contact)
    assert (contact.actor_id, contact.channel) == (first.id, "event")
    assert (record.invitations_moved, merge_details(record).invitations_joined) == (0, 1)


def test_the_kept_invitation_stays_when_it_is_further_along(session, twins, make_event):
    first, second = twins
    atelier = make_event(name="Ideeënatelier armoede")
    kept_invitation, _removed = add_invitations(
        session, atelier.id, actor_ids=[first.id, second.id]
    )
    update_invitation(session, kept_invitation.id, status="confirmed", now=NOW)
    session.commit()

    merge(session, first, second)

    (invitation,) = session.scalars(select(Invitation)).all()
    assert (invitation.id, invitation.status) == (kept_invitation.id, "confirmed")


def test_fields_are_taken_from_the_record_picked_for_each(session, twins):
    first, second = twins

    record = merge(
        session,
        first,
        second,
        take={"name": "removed", "email": "removed", "notes": "removed", "address": "kept"},
    )

    kept = fresh(session, Actor, first.id)
    assert (kept.name, kept.search_name) == ("De Link VZW", "de link vzw")
    assert (kept.email, kept.notes) == ("info@delink.be", "Vraag naar Griet.")
    assert (kept.address, kept.postcode, kept.phone) == ("Kazernestraat 12", "9100", "+3237783060")
    assert [t.name for t in kept.themes] == ["armoede"]
    assert merge_details(record).fields == ("name", "email", "notes")


@pytest.mark.parametrize(
    ("choice", "themes"),
    [("kept", ["armoede"]), ("removed", ["mobiliteit"]), ("both", ["armoede", "mobiliteit"])],
)
def test_themes_are_taken_from_either_record_or_both(session, twins, choice, themes):
    first, second = twins

    merge(session, first, second, take={"themes": choice})

    assert [t.name for t in fresh(session, Actor, first.id).themes] == themes


def test_the_enterprise_number_of_the_removed_record_can_be_kept(session, twins):
    first, second = twins
    second.enterprise_number = "0403.170.701"
    session.commit()
    second = fresh(session, Actor, second.id)

    merge(session, first, second, take={"enterprise_number": "removed"})

    assert fresh(session, Actor, first.id).enterprise_number == "0403.170.701"


def test_the_merge_is_recorded_with_who_when_and_the_counts(
    session, twins, make_contact, make_colleague
):
    first, second = twins
    make_contact(second)
    coordinator = make_colleague("coordinator")

    record = merge(session, first, second, take={"email": "removed"}, user_id=coordinator.id)

    stored = session.scalars(select(MergeRecord)).one()
    assert (stored.id, stored.kept_id, stored.kept_name) == (record.id, first.id, "Vzw De Link")
    assert (stored.removed_id, stored.removed_name) == (second.id, "De Link VZW")
    assert (stored.merged_by.name, stored.merged_at) == (coordinator.name, NOW)
    assert (stored.contacts_moved, stored.relations_moved, stored.invitations_moved) == (1, 0, 0)
    assert stored.ideas_moved == 0
    assert json.loads(stored.fields_taken)["fields"] == ["email"]


def test_ideas_and_a_claim_move_to_the_kept_actor(session, twins, make_colleague):
    first, second = twins
    idea = create_idea(session, title="Buurtlunch", owner_ids=[second.id], now=NOW)
    shared = create_idea(session, title="Repair café", owner_ids=[first.id, second.id], now=NOW)
    sofie = make_colleague()
    claim_actor(session, second.id, user_id=sofie.id, now=NOW)
    session.commit()

    record = merge(session, first, second)

    assert [a.id for a in fresh(session, type(idea), idea.id).owners] == [first.id]
    assert [a.id for a in fresh(session, type(shared), shared.id).owners] == [first.id]
    assert record.ideas_moved == 1
    assert claim_of_actor(session, first.id).user_id == sofie.id


def test_an_import_of_the_removed_actor_can_no_longer_be_undone_over_the_kept_one(session, twins):
    first, second = twins
    session.add(
        ImportedActor(
            import_id=_an_import(session),
            actor_id=second.id,
            action="created",
            before="{}",
            version_after=second.version,
        )
    )
    session.commit()

    merge(session, first, second)

    row = session.scalars(select(ImportedActor)).one()
    assert row.actor_id == first.id
    assert row.version_after != fresh(session, Actor, first.id).version


def _an_import(session) -> int:
    record, _table = start_import(
        session, data=b"Naam\r\nDe Link\r\n", file_name="lijst.csv", created_by_id=None, now=NOW
    )
    session.flush()
    return record.id


def test_a_merge_bumps_the_data_version(session, twins):
    first, second = twins
    before = current_data_version(session)

    merge(session, first, second)

    assert current_data_version(session) > before


def test_an_actor_cannot_be_merged_with_itself(session, twins):
    first, _second = twins

    with pytest.raises(Invalid) as refused:
        merge(session, first, first)

    assert refused.value.errors["actor"][0].render() == "An actor cannot be merged with itself."


def test_an_archived_actor_is_not_merged(session, twins):
    first, second = twins
    second.archived = True
    session.commit()
    second = fresh(session, Actor, second.id)

    with pytest.raises(Invalid) as refused:
        merge(session, first, second)
    session.rollback()

    assert refused.value.errors["actor"][0].render() == (
        "De Link VZW is archived: restore it before merging it."
    )
    assert count(session, Actor) == 2


def test_a_stale_version_is_a_conflict_and_nothing_is_merged(session, twins, make_contact):
    first, second = twins
    make_contact(second)
    old_version = second.version
    update_actor(session, second.id, version=second.version, notes="Nieuw nummer gevraagd.")
    session.commit()

    with pytest.raises(Conflict) as conflict:
        merge_actors(
            session,
            first.id,
            second.id,
            take={},
            kept_version=first.version,
            removed_version=old_version,
            user_id=None,
        )
    session.rollback()

    assert "Nothing was merged" in conflict.value.message.render()
    assert count(session, Actor) == 2
    assert count(session, ContactLog, ContactLog.actor_id == second.id) == 1
    assert count(session, MergeRecord) == 0


def test_an_unknown_field_or_choice_is_refused(session, twins):
    first, second = twins

    with pytest.raises(Invalid) as unknown:
        merge(session, first, second, take={"archived": "removed"})
    with pytest.raises(Invalid) as bad_choice:
        merge(session, first, second, take={"phone": "both"})

    assert list(unknown.value.errors) == ["archived"]
    assert list(bad_choice.value.errors) == ["phone"]


def test_pairs_whose_actors_were_merged_since_are_left_out(session, twins, make_actor):
    first, second = twins
    third = make_actor(name="De Link")
    pairs = [
        {"first_id": first.id, "second_id": second.id},
        {"first_id": first.id, "second_id": third.id},
        {"first_id": second.id, "second_id": third.id},
    ]

    merge(session, first, second)

    assert pairs_still_present(session, pairs) == [{"first_id": first.id, "second_id": third.id}]


def test_the_merge_screen_suggests_the_kept_values_and_what_only_the_other_record_knows(
    session, twins
):
    first, second = twins

    comparison = compare_actors(session, first.id, second.id)

    assert comparison.suggested_kept == "first"
    assert comparison.suggested_take == {
        "name": "first",
        "themes": "first",
        "email": "second",
        "address": "first",
        "postcode": "first",
        "notes": "second",
    }
