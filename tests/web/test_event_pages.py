"""The event pages through the test client: events, the invitation list, the list builder,
check-in and the representation report."""

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from crm.clock import utcnow
from crm.events import update_event
from crm.invitations import add_invitations, mark_attendance, update_invitation
from crm.models import ContactLog, Event, Invitation, SavedFilter
from crm.users import set_can_export
from tests.conftest import post_form

PHONE = "03 778 30 60"
BRUSSELS = ZoneInfo("Europe/Brussels")
VALID_EVENT = {
    "name": "Ideeënatelier mobiliteit",
    "type": "idea_atelier",
    "place": "Stadhuis, Grote Markt 1",
    "capacity": "30",
    "themes": ["mobiliteit"],
    "description": "Tweede atelier",
}


# --- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def coordinator(make_user, login, client):
    user = make_user("coordinator", name="Chris Coordinator")
    login(user)
    client.get("/events?lang=en")
    return user


@pytest.fixture
def staff(make_user, login, client):
    user = make_user("staff", name="Sofie Staff")
    login(user)
    client.get("/events?lang=en")
    return user


@pytest.fixture
def invite(session):
    """Put actors on an event's list, optionally with a status."""

    def add(event, *actors, status=None):
        invitations = add_invitations(session, event.id, actor_ids=[a.id for a in actors])
        if status is not None:
            for invitation in invitations:
                update_invitation(session, invitation.id, status=status)
        session.commit()
        return invitations

    return add


def event_count(session) -> int:
    return session.scalar(select(func.count(Event.id)))


def invitation_count(session) -> int:
    return session.scalar(select(func.count(Invitation.id)))


def rows(page: str, table_id: str) -> dict[str, dict[str, str]]:
    """The data-* attributes of the rows of a table, by the row's data-kind or data-key."""
    start = page.index(f'id="{table_id}"')
    table = page[start : page.index("</table>", start)]
    found = {}
    for tag in re.findall(r"<tr (data-[^>]*)>", table):
        attributes = dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag))
        found[attributes.get("kind") or attributes.get("key")] = attributes
    return found


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def brussels_input(moment_utc: datetime) -> str:
    """A UTC moment as a datetime-local field in Brussels time."""
    local = moment_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(BRUSSELS)
    return local.strftime("%Y-%m-%dT%H:%M")


# --- login and roles -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/events", "/events/new", "/events/1", "/events/1/check-in"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/events/new"),
        ("post", "/events/new"),
        ("get", "/events/{event}/edit"),
        ("get", "/events/{event}/builder"),
        ("post", "/events/{event}/builder"),
        ("post", "/events/{event}/invitations/{invitation}/remove"),
    ],
)
def test_staff_may_not_create_events_build_lists_or_remove_invitations(
    staff, client, session, make_event, make_actor, invite, method, path
):
    event = make_event()
    (invitation,) = invite(event, make_actor(phone=PHONE))
    url = path.format(event=event.id, invitation=invitation.id)

    if method == "get":
        response = client.get(url)
    else:
        response = post_form(client, url, {"name": "x", "status": "invited", "action": "save"})

    assert response.status_code == 403
    assert event_count(session) == 1
    assert invitation_count(session) == 1
    assert session.get(Invitation, invitation.id).status == "to_invite"


def test_staff_change_the_status_and_override_the_channel_within_the_rules(
    staff, client, session, make_event, make_actor, invite
):
    event = make_event()
    (invitation,) = invite(event, make_actor(phone=PHONE, email="jan@example.be"))

    response = post_form(
        client,
        f"/events/{event.id}/invitations/{invitation.id}",
        {"status": "invited", "channel": "phone"},
    )

    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Invitation, invitation.id)
    assert (stored.status, stored.channel, stored.channel_overridden) == ("invited", "phone", True)


def test_staff_can_view_an_event_and_check_an_invitee_in(
    staff, client, session, make_event, make_actor, invite
):
    event = make_event()
    (invitation,) = invite(event, make_actor(name="Ann Claeys", phone=PHONE))

    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    response = post_form(client, f"/events/{event.id}/check-in", {"invitation": invitation.id})

    assert "Ann Claeys" in page
    assert 'id="build-list"' not in page and 'id="edit-event"' not in page
    assert response.status_code == 302
    assert session.get(Invitation, invitation.id).status == "attended"


def test_staff_see_the_event_page_without_the_controls_of_coordinators(
    staff, client, make_event, make_actor, invite
):
    event = make_event()
    (invitation,) = invite(event, make_actor(name="Ann Claeys", phone=PHONE))

    page = text_of(client.get(f"/events/{event.id}"))

    assert "Ann Claeys" in page
    assert 'id="edit-event"' not in page and 'id="build-list"' not in page
    assert f"/invitations/{invitation.id}/remove" not in page
    assert 'id="export-csv-excel"' not in page
    assert "Exporting is possible with the export permission; an administrator can give it." in page


def test_staff_allowed_to_export_see_the_export_links_and_no_hint(
    staff, client, session, make_event, make_actor, invite
):
    set_can_export(session, staff.id, True)
    session.commit()
    event = make_event()
    invite(event, make_actor(name="Ann Claeys", phone=PHONE))

    page = text_of(client.get(f"/events/{event.id}"))

    assert 'id="export-csv-excel"' in page
    assert 'id="export-hint"' not in page


def test_a_refused_page_names_the_role_that_may_and_the_administrators_to_ask(
    make_user, login, client, session, make_event
):
    make_user("admin", name="An Peeters", email="an@sint-niklaas.be")
    make_user("coordinator", name="Chris Coordinator")
    login(make_user("staff", name="Sofie Staff"))
    event = make_event()

    response = post_form(
        client, f"/events/{event.id}/edit?lang=nl", {**VALID_EVENT, "version": event.version}
    )

    assert response.status_code == 403
    page = text_of(response)
    assert (
        "Alleen coördinatoren en beheerders mogen evenementen aanmaken en wijzigen, hun "
        "uitnodigingslijsten samenstellen en mensen ervan afhalen." in page
    )
    assert "Vraag het aan een beheerder: An Peeters (an@sint-niklaas.be)." in page
    assert "Chris Coordinator" not in page
    assert session.get(Event, event.id).name == "Ideeënatelier mobiliteit"


def test_an_export_refused_to_staff_says_an_administrator_can_give_the_right(
    make_user, login, client, make_event
):
    make_user("admin", name="An Peeters", email="an@sint-niklaas.be")
    login(make_user("staff"))
    event = make_event()

    response = client.get(f"/events/{event.id}/invitations.xlsx?lang=nl")

    assert response.status_code == 403
    page = text_of(response)
    assert "Exporteren kan met de exportrechten; een beheerder kan die geven." in page
    assert "Vraag het aan een beheerder: An Peeters (an@sint-niklaas.be)." in page


# --- the list of events ----------------------------------------------------------------------


def test_the_event_list_shows_upcoming_events_soonest_first_and_past_events_apart(
    staff, client, make_event
):
    now = utcnow()
    later = make_event(name="Later atelier", starts_at=now + timedelta(days=30))
    sooner = make_event(name="Sooner atelier", starts_at=now + timedelta(days=3))
    past = make_event(name="Kick-off workshop", starts_at=now - timedelta(days=60))

    page = client.get("/events").get_data(as_text=True)

    upcoming = page[page.index('id="upcoming"') : page.index('id="past"')]
    assert upcoming.index(f'data-event-id="{sooner.id}"') < upcoming.index(
        f'data-event-id="{later.id}"'
    )
    assert f'data-event-id="{past.id}"' not in upcoming
    assert f'data-event-id="{past.id}"' in page[page.index('id="past"') :]


def test_without_events_a_coordinator_is_offered_to_plan_one_and_staff_is_not(
    make_user, login, client
):
    login(make_user("coordinator"))
    coordinator_page = client.get("/events?lang=en").get_data(as_text=True)
    login(make_user("staff"))
    staff_page = client.get("/events").get_data(as_text=True)

    assert "No upcoming events." in coordinator_page
    assert 'href="/events/new"' in coordinator_page
    assert "No upcoming events." in staff_page
    assert 'href="/events/new"' not in staff_page


# --- create and edit -------------------------------------------------------------------------


def test_a_coordinator_creates_an_event_typed_in_brussels_time(coordinator, client, session):
    starts_utc = (utcnow() + timedelta(days=40)).replace(hour=17, minute=30, second=0)

    response = post_form(
        client, "/events/new", {**VALID_EVENT, "starts_at": brussels_input(starts_utc)}
    )

    assert response.status_code == 302
    event = session.scalar(select(Event))
    assert event.name == "Ideeënatelier mobiliteit"
    assert event.starts_at == starts_utc
    assert event.capacity == 30
    assert [t.name for t in event.themes] == ["mobiliteit"]
    assert response.headers["Location"].endswith(f"/events/{event.id}")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "This field is required."),
        ("capacity", "0", "Choose a number from 1 to 10000."),
        ("capacity", "abc", "'abc' is not a whole number."),
        ("type", "alien", "'alien' is not a valid choice"),
        ("starts_at", "garbage", "'garbage' is not a date and time."),
        ("starts_at", "", "This field is required."),
        ("themes", ["Atlantis"], "Unknown theme(s): Atlantis."),
    ],
)
def test_bad_input_on_the_event_form_is_refused_on_its_field_and_nothing_stored(
    coordinator, client, session, field, value, message
):
    data = {**VALID_EVENT, "starts_at": brussels_input(utcnow() + timedelta(days=9))}

    response = post_form(client, "/events/new", {**data, field: value})

    assert response.status_code == 200
    page = text_of(response)
    field_html = page[
        page.index(f'id="{field}"') if field != "themes" else page.index("<legend>") :
    ]
    assert message in field_html[:2000]
    assert event_count(session) == 0


def test_a_stale_edit_gets_a_conflict_message_and_does_not_overwrite(
    coordinator, client, session, make_event
):
    event = make_event(name="Open atelier")
    form_page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form_page
    update_event(session, event.id, version=1, name="Open atelier (verplaatst)")
    session.commit()

    response = post_form(
        client,
        f"/events/{event.id}/edit",
        {
            **VALID_EVENT,
            "name": "My stale name",
            "starts_at": brussels_input(event.starts_at),
            "version": "1",
        },
    )

    assert response.status_code == 409
    assert "Someone else saved this event in the meantime" in text_of(response)
    session.expire_all()
    assert session.get(Event, event.id).name == "Open atelier (verplaatst)"


def test_the_edit_form_shows_the_stored_time_in_brussels_and_saves_changes(
    coordinator, client, session, make_event
):
    starts = (utcnow() + timedelta(days=20)).replace(hour=18, minute=0, second=0)
    event = make_event(starts_at=starts)

    form_page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    response = post_form(
        client,
        f"/events/{event.id}/edit",
        {**VALID_EVENT, "capacity": "45", "starts_at": brussels_input(starts), "version": "1"},
    )

    assert f'value="{brussels_input(starts)}"' in form_page
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Event, event.id)
    assert stored.capacity == 45 and stored.starts_at == starts


def test_lowering_the_capacity_below_the_list_warns(
    coordinator, client, session, make_event, make_actor, invite
):
    starts = (utcnow() + timedelta(days=20)).replace(hour=18, minute=0, second=0)
    event = make_event(starts_at=starts)
    invite(event, make_actor(phone=PHONE), make_actor(phone=PHONE))

    response = post_form(
        client,
        f"/events/{event.id}/edit?lang=en",
        {**VALID_EVENT, "capacity": "1", "starts_at": brussels_input(starts), "version": "1"},
        follow_redirects=True,
    )

    assert "2 actors are on the list, more than the capacity of 1." in response.get_data(
        as_text=True
    )


# --- the event page and its list -------------------------------------------------------------


def test_the_event_page_shows_the_start_in_brussels_time(staff, client, make_event):
    event = make_event(starts_at=(utcnow() + timedelta(days=50)).replace(hour=17, minute=5))
    local = event.starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(BRUSSELS)

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    starts = page[page.index('id="starts-at"') : page.index("</dd>", page.index('id="starts-at"'))]
    assert f"{local:%H:%M}" in starts and str(local.year) in starts
    assert "17:05" not in starts


def test_the_event_page_shows_the_list_with_status_counts(
    staff, client, make_event, make_actor, invite
):
    event = make_event()
    invite(event, make_actor(name="Ann", phone=PHONE), status="confirmed")
    invite(event, make_actor(name="Bart", phone=PHONE), make_actor(name="Cas", phone=PHONE))

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    counts = dict(re.findall(r'data-status="(\w+)" data-count="(\d+)"', page))
    assert counts["confirmed"] == "1" and counts["to_invite"] == "2" and counts["attended"] == "0"
    assert page.count('data-invitation-id="') == 3


def test_export_links_are_shown_only_to_users_who_may_export(
    make_user, login, client, session, make_event
):
    event = make_event()
    user = make_user("staff")
    login(user)

    before = client.get(f"/events/{event.id}").get_data(as_text=True)
    set_can_export(session, user.id, True)
    session.commit()
    after = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert 'id="exports"' not in before
    assert f"/events/{event.id}/invitations.csv?dialect=excel-be" in after
    assert f"/events/{event.id}/invitations.csv?dialect=plain" in after
    assert f"/events/{event.id}/invitations.xlsx" in after
    assert f"/events/{event.id}/call-sheet" in after


def test_a_coordinator_changes_an_invitation_status_and_channel(
    coordinator, client, session, make_event, make_actor, invite
):
    event = make_event()
    actor = make_actor(phone=PHONE, email="ann@example.be", preferred_channel="email")
    (invitation,) = invite(event, actor)

    response = post_form(
        client,
        f"/events/{event.id}/invitations/{invitation.id}",
        {"status": "invited", "channel": "phone"},
    )

    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Invitation, invitation.id)
    assert (stored.status, stored.channel, stored.channel_overridden) == ("invited", "phone", True)


def test_a_poverty_organisation_cannot_be_switched_to_email_and_nothing_changes(
    coordinator, client, session, make_event, make_actor, invite
):
    event = make_event()
    actor = make_actor(kind="poverty_organisation", phone=PHONE, email="info@vzw.be")
    (invitation,) = invite(event, actor)

    response = post_form(
        client,
        f"/events/{event.id}/invitations/{invitation.id}",
        {"status": "invited", "channel": "email"},
        follow_redirects=True,
    )

    assert "never by e-mail only" in text_of(response)
    session.expire_all()
    stored = session.get(Invitation, invitation.id)
    assert (stored.status, stored.channel) == ("to_invite", "phone")


def test_a_coordinator_takes_an_actor_off_the_list(
    coordinator, client, session, make_event, make_actor, invite
):
    event = make_event()
    (invitation,) = invite(event, make_actor(phone=PHONE))

    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    response = post_form(client, f"/events/{event.id}/invitations/{invitation.id}/remove", {})

    assert "data-confirm=" in page
    assert response.status_code == 302
    assert invitation_count(session) == 0


def test_an_invitation_of_another_event_is_not_found(
    coordinator, client, session, make_event, make_actor, invite
):
    event, other = make_event(), make_event(name="Other")
    (invitation,) = invite(other, make_actor(phone=PHONE))

    response = post_form(client, f"/events/{event.id}/invitations/{invitation.id}/remove", {})

    assert response.status_code == 404
    assert invitation_count(session) == 1


# --- the builder -----------------------------------------------------------------------------


@pytest.fixture
def map_of_actors(make_actor):
    """Five residents and two poverty organisations that can be phoned; one that cannot."""
    residents = [
        make_actor(name=f"Resident {n}", kind="resident", phone=PHONE, district="Belsele")
        for n in range(5)
    ]
    poverty = [
        make_actor(name=f"Vzw {n}", kind="poverty_organisation", phone=PHONE, district="Sinaai")
        for n in range(2)
    ]
    make_actor(name="Vzw Enkel Mail", kind="poverty_organisation", email="info@mail.be")
    return residents, poverty


def test_the_builder_preview_shows_the_mix_and_warnings_and_stores_nothing(
    coordinator, client, session, make_event, map_of_actors
):
    event = make_event(capacity=10)

    response = post_form(
        client,
        f"/events/{event.id}/builder",
        {"action": "preview", "min_poverty_organisation": "3", "max_resident": "4"},
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    mix = rows(page, "mix")
    assert mix["poverty_organisation"]["count"] == "2"
    assert mix["poverty_organisation"]["min"] == "3"
    assert mix["resident"] == {**mix["resident"], "count": "4", "max": "4", "available": "5"}
    warnings = text_of(response)[page.index('id="warnings"') :]
    assert "Poverty organisations: 2 on the list, the target is at least 3." in warnings
    assert "Businesses: nobody on the list, and the trajectory needs them." in warnings
    assert 'data-reason="in_person_impossible" data-count="1"' in page
    assert page.count('<tr data-actor-id="') == 6
    assert invitation_count(session) == 0


def test_saving_the_builder_honours_a_target_of_at_least_two_poverty_organisations(
    coordinator, client, session, make_event, map_of_actors
):
    event = make_event(capacity=3)

    response = post_form(
        client,
        f"/events/{event.id}/builder",
        {
            "action": "save",
            "kind": ["resident", "poverty_organisation"],
            "min_poverty_organisation": "2",
        },
        follow_redirects=True,
    )

    assert "3 actors added." in text_of(response)
    kinds = sorted(i.actor.kind for i in session.scalars(select(Invitation)))
    assert kinds == ["poverty_organisation", "poverty_organisation", "resident"]
    assert {i.channel for i in session.scalars(select(Invitation))} == {"phone"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"min_business": "abc"}, "'abc' is not a whole number."),
        ({"min_business": "5", "max_business": "2"}, "The minimum (5) is above the maximum (2)."),
        ({"kind": "alien"}, "'alien' is not a valid choice"),
        ({"quadrant": "top"}, "'top' is not a valid choice"),
    ],
)
def test_bad_builder_input_is_shown_on_the_form_and_nothing_stored(
    coordinator, client, session, make_event, map_of_actors, data, message
):
    event = make_event()

    response = post_form(client, f"/events/{event.id}/builder", {"action": "save", **data})

    assert response.status_code == 200
    assert message in text_of(response)
    assert 'id="proposal"' not in response.get_data(as_text=True)
    assert invitation_count(session) == 0


def test_builder_criteria_saved_as_a_filter_can_be_loaded_again(
    coordinator, client, session, make_event
):
    event = make_event()

    post_form(
        client,
        f"/events/{event.id}/builder",
        {
            "action": "save_filter",
            "save_as": "Armoede Sinaai",
            "kind": "poverty_organisation",
            "district": "Sinaai",
        },
    )
    saved = session.scalar(select(SavedFilter))
    page = client.get(f"/events/{event.id}/builder?filter={saved.id}").get_data(as_text=True)

    assert saved.name == "Armoede Sinaai"
    assert re.search(r'<input checked[^>]*value="poverty_organisation"', page)
    assert re.search(r'<input checked[^>]*value="Sinaai"', page)
    assert not re.search(r'<input checked[^>]*value="resident"', page)
    assert invitation_count(session) == 0


def test_a_filter_without_a_name_is_not_saved(coordinator, client, session, make_event):
    event = make_event()

    response = post_form(
        client,
        f"/events/{event.id}/builder",
        {"action": "save_filter", "save_as": "", "kind": "business"},
    )

    assert "This field is required." in text_of(response)
    assert session.scalar(select(func.count(SavedFilter.id))) == 0


# --- check-in --------------------------------------------------------------------------------


def test_checking_in_ticks_the_invitee_and_logs_an_event_contact_and_undo_removes_it(
    staff, client, session, make_event, make_actor, invite
):
    event = make_event(name="Ideeënatelier")
    actor = make_actor(name="Vzw De Moeite", kind="poverty_organisation", phone=PHONE)
    (invitation,) = invite(event, actor, status="confirmed")

    response = post_form(
        client, f"/events/{event.id}/check-in", {"invitation": invitation.id, "q": "moeite"}
    )

    assert response.status_code == 302
    assert "q=moeite" in response.headers["Location"]
    contact = session.scalar(select(ContactLog).where(ContactLog.actor_id == actor.id))
    assert (contact.channel, contact.outcome) == ("event", "reached")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'data-invitation-id="{invitation.id}" data-status="attended"', page)
    assert 'class="secondary undo"' in page

    post_form(client, f"/events/{event.id}/check-in", {"invitation": invitation.id, "undo": "1"})

    session.expire_all()
    assert session.get(Invitation, invitation.id).status == "confirmed"
    assert session.scalar(select(func.count(ContactLog.id))) == 0


def test_check_in_search_ignores_accents_and_case(staff, client, make_event, make_actor, invite):
    event = make_event()
    cafe = make_actor(name="Café Élise", kind="business", phone=PHONE)
    other = make_actor(name="Bakkerij Peeters", kind="business", phone=PHONE)
    invite(event, cafe, other)

    page = client.get(f"/events/{event.id}/check-in?q=cafe%20elise").get_data(as_text=True)

    assert page.count('data-invitation-id="') == 1
    assert "Café Élise" in html.unescape(page)


def test_the_check_in_page_is_one_column_with_big_buttons(staff, client, make_event):
    event = make_event()

    page = client.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    css = client.get("/static/events.css").get_data(as_text=True)

    assert 'name="viewport" content="width=device-width' in page
    assert "events.css" in page
    assert ".check-in-list button { min-height:3.25rem" in css


# --- representation --------------------------------------------------------------------------


def test_the_representation_report_counts_who_came_against_the_map(
    staff, client, session, make_event, make_actor, invite
):
    event = make_event(name="Open atelier")
    poverty = [
        make_actor(kind="poverty_organisation", phone=PHONE, district="Sinaai") for _ in range(3)
    ]
    residents = [make_actor(kind="resident", phone=PHONE, district="Belsele") for _ in range(2)]
    invite(event, poverty[0], status="invited")
    invite(event, residents[0], status="confirmed")
    (came,) = invite(event, residents[1], status="confirmed")
    mark_attendance(session, came.id)
    session.commit()

    response = client.get(f"/events/{event.id}/representation")

    page = response.get_data(as_text=True)
    by_kind = rows(page, "by-kind")
    assert by_kind["poverty_organisation"] == {
        **by_kind["poverty_organisation"],
        "known": "3",
        "listed": "1",
        "invited": "1",
        "confirmed": "0",
        "attended": "0",
        "missing": "true",
    }
    assert by_kind["resident"] == {
        **by_kind["resident"],
        "known": "2",
        "listed": "2",
        "invited": "2",
        "confirmed": "1",
        "attended": "1",
        "missing": "false",
    }
    by_district = rows(page, "by-district")
    assert (by_district["Belsele"]["known"], by_district["Belsele"]["attended"]) == ("2", "1")
    assert by_district["Sinaai"]["missing"] == "true"
    assert "Poverty organisations: 0 of 3 came" in text_of(response)


# --- safety ----------------------------------------------------------------------------------


def test_a_post_without_csrf_token_is_refused_and_stores_nothing(
    coordinator, client, session, make_event, make_actor, invite
):
    event = make_event()
    (invitation,) = invite(event, make_actor(phone=PHONE))

    create = client.post("/events/new", data={**VALID_EVENT, "starts_at": "2030-01-01T10:00"})
    check_in = client.post(f"/events/{event.id}/check-in", data={"invitation": invitation.id})

    assert create.status_code == 400 and check_in.status_code == 400
    assert event_count(session) == 1
    assert session.get(Invitation, invitation.id).status == "to_invite"


@pytest.mark.parametrize(
    "path",
    ["", "/edit", "/builder", "/check-in", "/representation"],
)
@pytest.mark.parametrize("event_id", ["999999", "99999999999999999999"])
def test_an_unknown_event_is_not_found(coordinator, client, path, event_id):
    assert client.get(f"/events/{event_id}{path}").status_code == 404


def test_an_actor_name_with_markup_is_escaped_on_every_event_page(
    coordinator, client, make_event, make_actor, invite
):
    event = make_event()
    actor = make_actor(name="<script>alert(1)</script>", phone=PHONE)
    invite(event, actor)
    make_actor(name="<b>new</b>", phone=PHONE)

    pages = [
        client.get(f"/events/{event.id}").get_data(as_text=True),
        client.get(f"/events/{event.id}/check-in").get_data(as_text=True),
        post_form(client, f"/events/{event.id}/builder", {"action": "preview"}).get_data(
            as_text=True
        ),
    ]

    for page in pages:
        assert "<script>alert(1)</script>" not in page
        assert "<b>new</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert "&lt;b&gt;new&lt;/b&gt;" in pages[2]


def test_the_event_page_says_who_the_exports_would_leave_out_and_why(
    coordinator, client, session, make_event, make_actor, invite
):
    event = make_event()
    blocked = make_actor(phone=PHONE)
    invite(event, blocked, make_actor(phone=PHONE))
    blocked.do_not_phone = True
    session.commit()

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert re.search(r'id="export-left-out"', page)
    assert 'data-reason="do_not_phone" data-count="1"' in page


def test_the_list_can_only_be_saved_from_a_preview(coordinator, client, make_event):
    event = make_event()

    before = client.get(f"/events/{event.id}/builder").get_data(as_text=True)
    after = post_form(client, f"/events/{event.id}/builder", {"action": "preview"}).get_data(
        as_text=True
    )

    assert 'id="save-list"' not in before
    assert 'id="save-list"' in after


def test_a_check_in_search_with_a_nul_byte_shows_nobody(
    staff, client, make_event, make_actor, invite
):
    event = make_event()
    invite(event, make_actor(name="Jan", phone=PHONE))

    response = client.get(f"/events/{event.id}/check-in?q=ja%00n")

    assert response.status_code == 200
    assert 'id="invitees"' not in response.get_data(as_text=True)


def test_someone_who_came_without_an_invitation_is_found_and_checked_in(
    staff, client, session, make_event, make_actor, invite
):
    event = make_event(starts_at=utcnow() - timedelta(hours=1))
    invite(event, make_actor(name="Jan Peeters", phone=PHONE))
    walk_in = make_actor(name="Jana Wuyts", email="jana@example.be")

    page = client.get(f"/events/{event.id}/check-in?q=jana").get_data(as_text=True)
    response = post_form(
        client, f"/events/{event.id}/walk-in", {"actor": str(walk_in.id), "q": "jana"}
    )

    assert f'<li data-actor-id="{walk_in.id}">' in page
    assert response.status_code == 302
    session.expire_all()
    invitation = session.scalar(select(Invitation).where(Invitation.actor_id == walk_in.id))
    assert (invitation.status, invitation.channel) == ("attended", "event")
    contact = session.scalar(select(ContactLog).where(ContactLog.actor_id == walk_in.id))
    assert (contact.channel, contact.outcome) == ("event", "reached")
    again = client.get(f"/events/{event.id}/check-in?q=jana").get_data(as_text=True)
    assert f'<li data-actor-id="{walk_in.id}">' not in again  # on the list now


def test_a_walk_in_of_an_unknown_actor_is_not_found(staff, client, make_event):
    event = make_event()

    response = post_form(client, f"/events/{event.id}/walk-in", {"actor": "99999"})

    assert response.status_code == 404


# --- a second event of the same name on the same day -----------------------------------------


def test_a_second_event_of_the_same_name_and_day_asks_for_confirmation_then_stores(
    coordinator, client, session, make_event
):
    starts_utc = (utcnow() + timedelta(days=40)).replace(hour=17, minute=30, second=0)
    first = make_event(name="Ideeënatelier Mobiliteit", starts_at=starts_utc)
    data = {
        **VALID_EVENT,
        "name": "ideeenatelier  mobiliteit",
        "starts_at": brussels_input(starts_utc + timedelta(hours=1)),
    }

    warned = post_form(client, "/events/new", data)
    confirmed = post_form(client, "/events/new", {**data, "confirm_duplicate": "y"})

    assert warned.status_code == 200
    page = text_of(warned)
    assert "There is already an event with this name on this day:" in page
    assert f'id="duplicate-event-link" href="/events/{first.id}">Ideeënatelier Mobiliteit' in page
    assert 'type="checkbox" name="confirm_duplicate" value="y"' in page
    assert "Create anyway: this is another event" in page
    assert confirmed.status_code == 302
    assert event_count(session) == 2


def test_moving_an_event_onto_its_namesakes_day_asks_to_save_anyway(
    coordinator, client, session, make_event
):
    starts_utc = (utcnow() + timedelta(days=40)).replace(hour=17, minute=30, second=0)
    make_event(name="Open atelier", starts_at=starts_utc)
    other = make_event(name="Open atelier", starts_at=starts_utc + timedelta(days=7))
    data = {
        **VALID_EVENT,
        "name": "Open atelier",
        "starts_at": brussels_input(starts_utc),
        "version": other.version,
    }

    warned = post_form(client, f"/events/{other.id}/edit", data)

    assert warned.status_code == 200
    assert "Save anyway: this is another event" in text_of(warned)
    session.expire_all()
    assert session.get(Event, other.id).starts_at == starts_utc + timedelta(days=7)


# --- several invitations at once ---------------------------------------------------------------


def test_the_event_page_offers_a_checkbox_per_row_and_one_action_bar(
    coordinator, client, make_event, make_actor, invite
):
    event = make_event()
    invitations = invite(event, *(make_actor(name=n, phone=PHONE) for n in ("Ann", "Bart")))

    page = text_of(client.get(f"/events/{event.id}"))

    for invitation in invitations:
        assert f'name="invitation" value="{invitation.id}" form="bulk-invitations"' in page
        assert f'name="seen" value="{invitation.id}:to_invite:phone"' in page
    assert 'id="select-all"' in page
    assert 'data-confirm-many="Change {count} invitations to {what}?"' in page


def test_staff_change_three_invitations_at_once(
    staff, client, session, make_event, make_actor, invite
):
    event = make_event()
    invitations = invite(event, *(make_actor(name=n, phone=PHONE) for n in ("Ann", "Bart", "Cas")))
    data = {
        "invitation": [str(i.id) for i in invitations],
        "seen": [f"{i.id}:to_invite:phone" for i in invitations],
        "status": "invited",
        "channel": "",
    }

    response = post_form(client, f"/events/{event.id}/bulk-change", data, follow_redirects=True)

    assert "3 invitations changed." in text_of(response)
    session.expire_all()
    assert [session.get(Invitation, i.id).status for i in invitations] == [
        "invited",
        "invited",
        "invited",
    ]


def test_a_bulk_change_with_one_refused_row_changes_none_and_says_which(
    coordinator, client, session, make_event, make_actor, invite
):
    event = make_event()
    fine = [make_actor(name=n, phone=PHONE, email=f"{n}@example.be") for n in ("Ann", "Bart")]
    dirk = make_actor(name="Dirk", phone=PHONE, email="dirk@example.be", do_not_phone=True)
    invitations = invite(event, *fine, dirk)
    data = {"invitation": [str(i.id) for i in invitations], "status": "invited", "channel": "phone"}

    response = post_form(client, f"/events/{event.id}/bulk-change", data, follow_redirects=True)

    page = text_of(response)
    assert "Nothing was changed: 1 of the 3 invitations cannot be." in page
    assert "Dirk cannot be invited this way: Do not phone." in page
    session.expire_all()
    assert [
        (session.get(Invitation, i.id).status, session.get(Invitation, i.id).channel)
        for i in invitations
    ] == [
        ("to_invite", "email"),
        ("to_invite", "email"),
        ("to_invite", "email"),
    ]


def test_a_bulk_change_without_a_ticked_row_says_so(coordinator, client, make_event):
    event = make_event()

    response = post_form(
        client, f"/events/{event.id}/bulk-change", {"status": "invited"}, follow_redirects=True
    )

    assert "Tick at least one invitation." in text_of(response)
