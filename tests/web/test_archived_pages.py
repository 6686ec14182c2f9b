"""An archived actor's pages (crm.actors.refuse_when_archived): read-only until restored."""

import pytest
from sqlalchemy import func, select

from crm.actors import set_archived
from crm.models import Actor, Relation
from tests.conftest import post_form

REFUSED = "Buurtwerk De Klaproos is gearchiveerd: zet de actor eerst terug om hem te wijzigen."
NOTICE = "Gearchiveerd — zet terug om te wijzigen."


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator")
    login(user)
    return user


@pytest.fixture
def archived(session, make_actor):
    actor = make_actor(name="Buurtwerk De Klaproos", kind="civic_association", notes="Oud.")
    set_archived(session, actor.id, True)
    session.commit()
    return actor


def stored_notes(session, actor_id) -> str:
    session.expire_all()
    return session.get(Actor, actor_id).notes


def test_the_page_of_an_archived_actor_offers_restore_and_no_write_forms(
    coordinator, client, archived
):
    page = client.get(f"/actors/{archived.id}").get_data(as_text=True)

    assert NOTICE in page
    assert f'action="/actors/{archived.id}/restore"' in page
    assert f'href="/actors/{archived.id}/edit"' not in page
    assert 'id="add-relation"' not in page
    assert 'id="quick-contact"' not in page


def test_the_edit_page_of_an_archived_actor_answers_with_the_message_not_the_form(
    coordinator, client, archived
):
    response = client.get(f"/actors/{archived.id}/edit", follow_redirects=True)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert REFUSED in page
    assert 'name="notes"' not in page


def test_saving_the_edit_form_of_an_archived_actor_changes_nothing(
    coordinator, client, session, archived
):
    response = post_form(
        client,
        f"/actors/{archived.id}/edit",
        {"name": "Nieuw", "kind": "resident", "notes": "Verhuisd.", "version": archived.version},
        follow_redirects=True,
    )

    assert REFUSED in response.get_data(as_text=True)
    assert stored_notes(session, archived.id) == "Oud."


def test_no_relation_is_added_to_an_archived_actor(
    coordinator, client, session, make_actor, archived
):
    make_actor(name="Jan Peeters")

    response = post_form(
        client, f"/actors/{archived.id}/relations", {"type": "knows", "other": "Jan Peeters"}
    )

    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Relation.id))) == 0


def test_after_a_restore_the_actor_is_edited_again(coordinator, client, session, archived):
    post_form(client, f"/actors/{archived.id}/restore", {})
    edit = client.get(f"/actors/{archived.id}/edit")

    assert edit.status_code == 200
    assert 'name="notes"' in edit.get_data(as_text=True)
