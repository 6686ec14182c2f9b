"""Logging contacts, editing them with a trace, deleting (admins), and "my follow-ups"."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.contacts import log_contact
from crm.models import ContactLog
from tests.conftest import FORM_TOKEN, contact_form_token, post_contact_form, post_form

CALL = {"channel": "phone", "direction": "outgoing", "outcome": "reached", "note": "Gebeld met Ann"}


@pytest.fixture
def staff(make_user, login):
    user = make_user("staff", name="Sofie Staff")
    login(user)
    return user


def contact_count(session) -> int:
    return session.scalar(select(func.count(ContactLog.id)))


def test_the_quick_form_defaults_to_a_phone_call_now(staff, client, make_actor):
    actor = make_actor()

    page = client.get(f"/actors/{actor.id}").get_data(as_text=True)

    assert 'id="quick-contact"' in page
    assert '<option selected value="phone">' in page
    assert (
        'type="datetime-local"' in page
        and 'name="occurred_at" type="datetime-local" value="20' in page
    )


def test_logging_a_call_puts_it_on_the_timeline_and_makes_the_actor_reached_directly(
    staff, client, make_actor, session
):
    actor = make_actor(name="Ann Claeys")

    response = post_contact_form(client, actor.id, CALL)

    assert response.status_code == 302
    page = client.get(f"/actors/{actor.id}?lang=en").get_data(as_text=True)
    assert '<li data-channel="phone" data-outcome="reached">' in page
    assert "Gebeld met Ann" in page and "Sofie Staff" in page
    assert 'class="badge direct"' in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("channel", "pigeon"),
        ("outcome", "maybe"),
        ("occurred_at", "2999-01-01T10:00"),
        ("occurred_at", "yesterday"),
        ("follow_up_on", "31/12/2026"),
    ],
)
def test_bad_contact_input_is_refused_and_nothing_is_stored(
    staff, client, make_actor, session, field, value
):
    actor = make_actor()

    response = post_contact_form(client, actor.id, {**CALL, field: value})

    assert response.status_code == 422
    assert 'class="error-text"' in response.get_data(as_text=True)
    assert contact_count(session) == 0


def test_a_visit_that_left_a_message_is_refused_in_dutch_and_nothing_is_stored(
    staff, client, make_actor, session
):
    actor = make_actor()

    response = post_contact_form(
        client,
        actor.id,
        {**CALL, "channel": "visit", "outcome": "left_message"},
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "De uitkomst &#39;Bericht ingesproken&#39; kan niet bij het kanaal &#39;Bezoek&#39;."
        in page
    )
    assert contact_count(session) == 0


# --- one tap is one contact: the form's one-time token -------------------------------------

REFUSED_FORM = (
    "Dit formulier is niet voor jou en deze actor gemaakt, of het werd gewijzigd. Er is niets "
    "opgeslagen: kijk de gegevens na en registreer het contact opnieuw."
)


def timeline_items(client, actor_id) -> int:
    page = client.get(f"/actors/{actor_id}").get_data(as_text=True)
    return page.count('<li data-channel="phone" data-outcome="reached">')


def test_the_same_rendered_form_sent_twice_stores_one_contact_and_says_so_calmly(
    staff, client, make_actor, session
):
    actor = make_actor(name="Praatcafé Belsele")
    form = {**CALL, "submission_token": contact_form_token(client, actor.id)}

    first = post_form(client, f"/actors/{actor.id}/contacts", form)
    second = post_form(client, f"/actors/{actor.id}/contacts", form, follow_redirects=True)

    assert first.status_code == 302
    assert (second.status_code, second.request.path) == (200, f"/actors/{actor.id}")
    page = second.get_data(as_text=True)
    assert '<div class="flash success" role="status">Dit contact was al opgeslagen.</div>' in page
    assert "error-text" not in page
    assert contact_count(session) == 1
    assert timeline_items(client, actor.id) == 1


def test_back_and_send_again_with_another_note_keeps_the_first_contact(
    staff, client, make_actor, session
):
    actor = make_actor()
    token = contact_form_token(client, actor.id)
    post_form(client, f"/actors/{actor.id}/contacts", {**CALL, "submission_token": token})

    again = post_form(
        client,
        f"/actors/{actor.id}/contacts",
        {**CALL, "note": "Nog eens", "submission_token": token},
    )

    assert again.status_code == 302
    assert session.scalars(select(ContactLog.note)).all() == ["Gebeld met Ann"]


def test_two_renderings_of_the_form_are_two_contacts(staff, client, make_actor, session):
    # A second call later the same day is a new contact: each rendering has its own token.
    actor = make_actor()

    post_contact_form(client, actor.id, CALL)
    post_contact_form(client, actor.id, CALL)

    assert contact_count(session) == 2


@pytest.mark.parametrize(
    "token",
    [None, "", "WzEsMSwiYWJjIl0.forged-signature", "not a token at all"],
    ids=["missing", "empty", "forged", "garbage"],
)
def test_a_form_without_a_genuine_token_is_refused_and_stores_nothing(
    staff, client, make_actor, session, token
):
    actor = make_actor()
    data = CALL if token is None else {**CALL, "submission_token": token}

    response = post_form(client, f"/actors/{actor.id}/contacts", data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<div class="error-text" role="alert">{REFUSED_FORM}</div>' in page
    assert 'rows="3">\r\nGebeld met Ann</textarea>' in page  # what was typed is kept
    assert contact_count(session) == 0


def test_a_token_of_another_actors_form_is_refused(staff, client, make_actor, session):
    first, second = make_actor(), make_actor()
    token = contact_form_token(client, first.id)

    response = post_form(
        client, f"/actors/{second.id}/contacts", {**CALL, "submission_token": token}
    )

    assert response.status_code == 422
    assert REFUSED_FORM in response.get_data(as_text=True)
    assert contact_count(session) == 0


def test_a_token_of_a_colleagues_form_is_refused(
    staff, client, make_actor, make_user, login, session
):
    actor = make_actor()
    colleagues_token = contact_form_token(client, actor.id)  # rendered for Sofie
    login(make_user("staff"))

    response = post_form(
        client, f"/actors/{actor.id}/contacts", {**CALL, "submission_token": colleagues_token}
    )

    assert response.status_code == 422
    assert contact_count(session) == 0


def test_the_refused_form_comes_back_with_a_fresh_token_that_saves(
    staff, client, make_actor, session
):
    actor = make_actor()
    refused = post_form(client, f"/actors/{actor.id}/contacts", CALL).get_data(as_text=True)
    fresh_token = FORM_TOKEN.search(refused).group(1)

    response = post_form(
        client, f"/actors/{actor.id}/contacts", {**CALL, "submission_token": fresh_token}
    )

    assert response.status_code == 302
    assert contact_count(session) == 1


def test_the_channel_field_carries_the_outcomes_each_channel_can_have(staff, client, make_actor):
    actor = make_actor()

    page = client.get(f"/actors/{actor.id}").get_data(as_text=True)

    assert 'data-outcomes="{&#34;phone&#34;: [&#34;reached&#34;' in page
    assert "&#34;online&#34;: [&#34;reached&#34;, &#34;planned&#34;]" in page


def test_editing_a_contact_keeps_who_edited_it_and_when(staff, client, make_actor, session):
    actor = make_actor()
    contact = log_contact(
        session, actor_id=actor.id, channel="phone", outcome="no_answer", user_id=staff.id
    )
    session.commit()

    response = post_form(
        client,
        f"/contacts/{contact.id}/edit",
        {
            "channel": "phone",
            "direction": "outgoing",
            "outcome": "reached",
            "occurred_at": "2026-01-05T10:00",
            "note": "Toch bereikt",
        },
    )

    assert response.status_code == 302
    edited = session.get(ContactLog, contact.id)
    assert (
        edited.outcome == "reached"
        and edited.edited_by_id == staff.id
        and edited.edited_at is not None
    )
    assert "edited by Sofie Staff" in client.get(f"/actors/{actor.id}?lang=en").get_data(
        as_text=True
    )


def test_staff_cannot_edit_a_colleagues_contact_nor_delete_any(
    staff, client, make_actor, make_user, session
):
    colleague = make_user("staff")
    actor = make_actor()
    contact = log_contact(
        session, actor_id=actor.id, channel="phone", outcome="reached", user_id=colleague.id
    )
    session.commit()

    assert client.get(f"/contacts/{contact.id}/edit").status_code == 403
    assert client.get(f"/contacts/{contact.id}/delete").status_code == 403
    assert post_form(client, f"/contacts/{contact.id}/delete", {}).status_code == 403
    assert contact_count(session) == 1


def test_an_admin_deletes_a_contact_after_confirming(make_user, login, client, make_actor, session):
    login(make_user("admin"))
    actor = make_actor()
    contact = log_contact(session, actor_id=actor.id, channel="phone", outcome="reached")
    session.commit()

    assert "confirm-delete" in client.get(f"/contacts/{contact.id}/delete").get_data(as_text=True)
    post_form(client, f"/contacts/{contact.id}/delete", {})

    assert contact_count(session) == 0


def test_my_follow_ups_lists_my_open_ones_overdue_first_and_marks_them_done(
    staff, client, make_actor, make_user, session
):
    actor = make_actor(name="Ann Claeys")
    other = make_user("staff")
    today = date.today()
    later = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="no_answer",
        user_id=staff.id,
        follow_up_on=today + timedelta(days=3),
        note="later",
    )
    overdue = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="no_answer",
        user_id=staff.id,
        occurred_at="2026-01-01T09:00",
        follow_up_on=date(2026, 1, 2),
        note="overdue",
    )
    log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="no_answer",
        user_id=other.id,
        follow_up_on=today,
        note="not mine",
    )
    session.commit()

    page = client.get("/follow-ups").get_data(as_text=True)

    assert page.index(f'data-contact-id="{overdue.id}"') < page.index(
        f'data-contact-id="{later.id}"'
    )
    assert "not mine" not in page
    post_form(client, f"/follow-ups/{overdue.id}/done", {})
    assert f'data-contact-id="{overdue.id}"' not in client.get("/follow-ups").get_data(as_text=True)


def test_empty_follow_ups_explain_how_to_get_some(staff, client):
    assert "No open follow-ups" in client.get("/follow-ups?lang=en").get_data(as_text=True)
