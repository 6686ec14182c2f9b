"""Archived actors are read-only until restored (crm.actors.refuse_when_archived): their fields,
relations, contacts, claims and invitations are refused with one message; restoring and deleting
for good stay allowed."""

import pytest

from crm.actors import delete_actor, get_actor, set_archived, update_actor
from crm.claims import claim_actor
from crm.contacts import delete_contact, edit_contact, log_contact, mark_follow_up_done
from crm.invitations import add_invitations, remove_invitation, update_invitation
from crm.messages import Invalid
from crm.models import Actor, ActorClaim, ContactLog, Invitation, Relation
from crm.relations import add_relation, remove_relation
from tests.domain.conftest import NOW, ago, count, fresh

REFUSED = "Buurtwerk De Klaproos is archived: restore it first to change it."


@pytest.fixture
def actor(make_actor):
    return make_actor(
        name="Buurtwerk De Klaproos", kind="civic_association", email="info@klaproos.be"
    )


def archive(session, actor) -> None:
    set_archived(session, actor.id, True)
    session.commit()


def refusal(session, write) -> dict:
    """The messages of the write's refusal (as read), its transaction rolled back."""
    with pytest.raises(Invalid) as excinfo:
        write()
    session.rollback()
    return {k: [m.render() for m in ms] for k, ms in excinfo.value.errors.items()}


def test_the_fields_of_an_archived_actor_are_not_changed(session, actor):
    archive(session, actor)
    version = get_actor(session, actor.id).version

    errors = refusal(
        session, lambda: update_actor(session, actor.id, version=version, notes="Verhuisd.")
    )

    assert errors == {"actor": [REFUSED]}
    assert fresh(session, Actor, actor.id).notes == ""


def test_restoring_an_archived_actor_makes_it_writable_again(session, actor):
    archive(session, actor)

    restored = set_archived(session, actor.id, False)
    update_actor(session, actor.id, version=restored.version, notes="Verhuisd.")
    session.commit()

    assert fresh(session, Actor, actor.id).notes == "Verhuisd."


def test_an_archived_actor_can_still_be_deleted_for_good(session, actor):
    archive(session, actor)

    delete_actor(session, actor.id)

    assert count(session, Actor) == 0


@pytest.mark.parametrize("side", ["source_id", "target_id"])
def test_no_relation_is_added_to_an_archived_actor_on_either_side(session, make_actor, actor, side):
    other = make_actor(name="Jan Peeters")
    archive(session, actor)
    ends = {"source_id": actor.id, "target_id": other.id}
    if side == "target_id":
        ends = {"source_id": other.id, "target_id": actor.id}

    errors = refusal(session, lambda: add_relation(session, type="knows", **ends))

    assert errors == {side: [REFUSED]}
    assert count(session, Relation) == 0


def test_a_relation_of_an_archived_actor_is_not_removed(session, make_actor, actor):
    other = make_actor(name="Jan Peeters")
    relation = add_relation(session, source_id=other.id, target_id=actor.id, type="member_of")
    session.commit()
    archive(session, actor)

    errors = refusal(session, lambda: remove_relation(session, relation.id))

    assert errors == {"target_id": [REFUSED]}
    assert count(session, Relation) == 1


def test_after_a_restore_a_relation_is_added(session, make_actor, actor):
    other = make_actor(name="Jan Peeters")
    archive(session, actor)
    set_archived(session, actor.id, False)

    add_relation(session, source_id=other.id, target_id=actor.id, type="member_of")

    assert count(session, Relation) == 1


def test_no_contact_is_logged_with_an_archived_actor(session, actor):
    archive(session, actor)

    errors = refusal(
        session,
        lambda: log_contact(
            session,
            actor_id=actor.id,
            channel="phone",
            outcome="reached",
            now=NOW,
            occurred_at=ago(hours=1),
        ),
    )

    assert errors == {"actor": [REFUSED]}
    assert count(session, ContactLog) == 0


def test_the_contacts_of_an_archived_actor_are_not_edited_deleted_or_followed_up(
    session, actor, make_contact, make_colleague
):
    sofie = make_colleague()
    contact = make_contact(actor, note="Belt terug.", follow_up_on=NOW.date(), user_id=sofie.id)
    archive(session, actor)

    edited = refusal(
        session, lambda: edit_contact(session, contact.id, user_id=sofie.id, note="Anders.")
    )
    deleted = refusal(session, lambda: delete_contact(session, contact.id))
    done = refusal(session, lambda: mark_follow_up_done(session, contact.id, user_id=sofie.id))

    assert (edited, deleted, done) == ({"actor": [REFUSED]},) * 3
    stored = fresh(session, ContactLog, contact.id)
    assert (stored.note, stored.follow_up_done_at) == ("Belt terug.", None)


def test_an_archived_actor_is_not_claimed(session, actor, make_colleague):
    sofie = make_colleague()
    archive(session, actor)

    errors = refusal(session, lambda: claim_actor(session, actor.id, user_id=sofie.id))

    assert errors == {"actor": [REFUSED]}
    assert count(session, ActorClaim) == 0


def test_an_archived_actor_is_not_invited_and_its_invitation_not_changed(
    session, actor, make_event
):
    event = make_event(now=NOW)
    (invitation,) = add_invitations(session, event.id, actor_ids=[actor.id], now=NOW)
    session.commit()
    archive(session, actor)

    added = refusal(session, lambda: add_invitations(session, event.id, actor_ids=[actor.id]))
    changed = refusal(
        session, lambda: update_invitation(session, invitation.id, status="invited", now=NOW)
    )
    removed = refusal(session, lambda: remove_invitation(session, invitation.id))

    assert added == {"actor_ids": [REFUSED]}
    assert (changed, removed) == ({"actor": [REFUSED]},) * 2
    assert fresh(session, Invitation, invitation.id).status == "to_invite"
