"""The actor pages through the test client: list, create, edit, conflict, archive, delete."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crm.clock import utcnow
from crm.contacts import log_contact
from crm.models import Actor
from tests.conftest import post_form

VALID = {"name": "Vzw De Vlaskop", "kind": "poverty_organisation", "district": "Sinaai"}


@pytest.fixture
def staff(make_user, login):
    user = make_user("staff")
    login(user)
    return user


def actor_count(session) -> int:
    return session.scalar(select(func.count(Actor.id)))


def test_creating_an_actor_stores_the_phone_in_e164_and_shows_it_in_belgian_format(
    staff, client, session
):
    response = post_form(client, "/actors/new", {**VALID, "phone": "03 778 30 60"})

    assert response.status_code == 302
    actor = session.scalar(select(Actor))
    assert actor.phone == "+3237783060"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="phone" href="tel:+3237783060">03 778 30 60</a>' in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("phone", "abc"),
        ("phone", "12"),
        ("phone", "1" * 30),
        ("phone", "O3 778 30 60"),
        ("email", "a@b"),
        ("email", "x@@y.be"),
        ("name", ""),
        ("name", "x" * 10_000),
        ("kind", "alien"),
        ("district", "Atlantis"),
    ],
)
def test_bad_input_on_the_actor_form_is_refused_with_a_message_and_nothing_stored(
    staff, client, session, field, value
):
    response = post_form(client, "/actors/new", {**VALID, field: value})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="error-text"' in page
    if field == "phone":
        assert value in page  # the message repeats what was typed
    assert actor_count(session) == 0


def test_a_post_without_csrf_token_is_refused_and_stores_nothing(staff, client, session):
    response = client.post("/actors/new", data=VALID)

    assert response.status_code == 400
    assert actor_count(session) == 0


def test_typed_values_are_escaped_in_the_page(staff, client):
    response = post_form(client, "/actors/new", {**VALID, "name": "<script>alert(1)</script>"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_possible_duplicate_is_pointed_out_with_a_link_and_can_be_saved_anyway(
    staff, client, session, make_actor
):
    existing = make_actor(name="Ann Claeys", kind="resident", phone="0470 12 34 56")

    response = post_form(
        client,
        "/actors/new",
        {"name": "Anna Claes", "kind": "resident", "phone": "+32 470 12 34 56"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/actors/{existing.id}"' in page and "save-anyway" in page
    assert actor_count(session) == 1
    again = post_form(
        client,
        "/actors/new",
        {"name": "Anna Claes", "kind": "resident", "phone": "+32 470 12 34 56", "save_anyway": "1"},
    )
    assert again.status_code == 302
    assert actor_count(session) == 2


def test_a_similar_name_in_the_same_kind_is_pointed_out(staff, client, make_actor):
    make_actor(name="Jan Peeters", kind="resident")

    page = post_form(client, "/actors/new", {"name": "Peeters Jan", "kind": "resident"}).get_data(
        as_text=True
    )

    assert "Jan Peeters" in page and "save-anyway" in page


def test_list_searches_phone_in_any_format_and_shows_reach_status(
    staff, client, make_actor, session
):
    actor = make_actor(name="Café 't Hoekske", kind="business", phone="03 778 30 60")
    make_actor(name="Other business", kind="business")
    log_contact(session, actor_id=actor.id, channel="visit", outcome="reached", user_id=staff.id)
    session.commit()

    page = client.get("/?q=0032 3 778 30 60").get_data(as_text=True)

    assert "Café &#39;t Hoekske" in page
    assert "Other business" not in page
    assert 'class="badge direct"' in page


def test_list_finds_an_actor_by_pieces_of_several_words(staff, client, make_actor):
    make_actor(name="Praatcafé Belsele", kind="civic_association", district="Belsele")
    make_actor(name="Praatcafé De Brug", kind="civic_association", district="Sinaai")

    page = client.get("/?q=praatcafe bel").get_data(as_text=True)

    assert "Praatcafé Belsele" in page
    assert "Praatcafé De Brug" not in page


def test_list_filters_by_kind_and_district_and_paginates(staff, client, make_actor):
    for n in range(30):
        make_actor(name=f"Bewoner {n:02d}", kind="resident", district="Belsele")
    make_actor(name="Bedrijf", kind="business", district="Belsele")

    first = client.get("/?kind=resident&district=Belsele").get_data(as_text=True)
    second = client.get("/?kind=resident&district=Belsele&page=2").get_data(as_text=True)

    assert "30 " in first and "Bedrijf" not in first
    assert first.count("data-actor-id=") == 25 and second.count("data-actor-id=") == 5
    assert 'rel="next"' in first


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999"])
def test_odd_page_numbers_do_not_break_the_list(staff, client, page):
    assert client.get(f"/?page={page}").status_code == 200


def test_empty_list_says_how_to_start(staff, client):
    assert "No actors yet" in client.get("/?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("actor_id", ["-1", "0", "99999999999999999999", "01", "١", "abc"])
def test_odd_ids_give_a_404_page(staff, client, actor_id):
    assert client.get(f"/actors/{actor_id}").status_code == 404


def test_editing_with_the_current_version_saves(staff, client, make_actor, session):
    actor = make_actor(name="Ann Claeys")

    response = post_form(
        client,
        f"/actors/{actor.id}/edit",
        {"name": "Ann Claeys-Peeters", "kind": "resident", "version": actor.version},
    )

    assert response.status_code == 302
    assert session.get(Actor, actor.id).name == "Ann Claeys-Peeters"


def test_a_stale_edit_shows_a_conflict_keeps_the_typed_values_and_overwrites_nothing(
    staff, client, make_actor, session
):
    actor = make_actor(name="Ann Claeys")
    stale_version = actor.version
    post_form(
        client,
        f"/actors/{actor.id}/edit",
        {"name": "First save", "kind": "resident", "version": stale_version},
    )

    response = post_form(
        client,
        f"/actors/{actor.id}/edit",
        {"name": "Second save", "kind": "resident", "version": stale_version},
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="conflict"' in page and 'value="Second save"' in page
    assert session.get(Actor, actor.id).name == "First save"


def test_staff_cannot_archive_or_delete(staff, client, make_actor):
    actor = make_actor()

    assert post_form(client, f"/actors/{actor.id}/archive", {}).status_code == 403
    assert client.get(f"/actors/{actor.id}/delete").status_code == 403


def test_a_coordinator_archives_an_actor_which_leaves_the_list_but_keeps_its_history(
    make_user, login, client, make_actor, session
):
    coordinator = make_user("coordinator")
    login(coordinator)
    actor = make_actor(name="Archived Org", kind="civic_association")
    log_contact(session, actor_id=actor.id, channel="phone", outcome="reached", note="kept note")
    session.commit()

    post_form(client, f"/actors/{actor.id}/archive", {})

    assert "data-actor-id" not in client.get("/").get_data(as_text=True)
    assert "kept note" in client.get(f"/actors/{actor.id}").get_data(as_text=True)


def test_an_admin_deletes_after_a_confirmation_page(make_user, login, client, make_actor, session):
    login(make_user("admin"))
    actor = make_actor()

    confirmation = client.get(f"/actors/{actor.id}/delete")
    assert confirmation.status_code == 200 and "confirm-delete" in confirmation.get_data(
        as_text=True
    )
    assert actor_count(session) == 1
    post_form(client, f"/actors/{actor.id}/delete", {})
    assert actor_count(session) == 0


def test_relations_are_added_by_name_and_removed(staff, client, make_actor, session):
    person = make_actor(name="Ann Claeys")
    make_actor(name="Vzw De Vlaskop", kind="poverty_organisation")

    added = post_form(
        client,
        f"/actors/{person.id}/relations",
        {"type": "member_of", "other": "vlaskop", "strength": "2"},
    )
    page = client.get(f"/actors/{person.id}").get_data(as_text=True)

    assert added.status_code == 302
    assert "Vzw De Vlaskop" in page
    self_relation = post_form(
        client, f"/actors/{person.id}/relations", {"type": "knows", "other": str(person.id)}
    )
    assert self_relation.status_code == 422


def test_anonymous_visitors_are_sent_to_login(client, make_actor):
    actor = make_actor()
    for path in ["/", f"/actors/{actor.id}", "/actors/new", "/follow-ups", "/admin/users"]:
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), (
            path
        )


# --- phone first: the call link and the latest contacts at the top ------------------------------


def test_the_actor_page_shows_the_three_latest_contacts_above_the_contact_form(
    staff, client, session, make_actor
):
    actor = make_actor(name="Vzw De Vlaskop", kind="poverty_organisation", phone="03 778 30 60")
    for days, note in ((4, "oldest"), (1, "newest"), (3, "third"), (2, "second")):
        log_contact(
            session,
            actor_id=actor.id,
            channel="phone",
            outcome="reached",
            note=note,
            occurred_at=utcnow() - timedelta(days=days),
        )
    session.commit()

    page = client.get(f"/actors/{actor.id}").get_data(as_text=True)

    latest = page[page.index('id="latest-contacts"') : page.index('id="quick-contact"')]
    notes = re.findall(r'<div class="note">(\w+)</div>', latest)
    assert notes == ["newest", "second", "third"]
    assert (
        '<a class="to-timeline" href="#timeline">De hele contactgeschiedenis (4 contacten)</a>'
        in latest
    )
    assert page.index('data-testid="phone" href="tel:+3237783060"') < page.index(
        'id="quick-contact"'
    )


def test_an_actor_without_a_phone_says_so_where_the_call_link_would_be(staff, client, make_actor):
    actor = make_actor(name="Vzw De Vlaskop", kind="poverty_organisation")

    page = client.get(f"/actors/{actor.id}").get_data(as_text=True)

    assert '<span class="hint" id="no-phone">Geen telefoonnummer gekend.</span>' in page
    assert 'href="tel:' not in page
