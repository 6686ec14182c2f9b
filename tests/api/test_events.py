"""Events, invitation lists and representation reports through the API, and bad input."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.api.openapi import OPENAPI
from app.api.payload import json_types
from app.api.schemas.events import EventCreate, InvitationBuild, InvitationPatch, InvitationsAdd
from crm.clock import utcnow
from crm.contacts import log_contact
from crm.events import WRITABLE_FIELDS
from crm.models import Event, Invitation
from tests.api.conftest import API
from tests.api.test_openapi import conforms
from tests.api.test_robustness import FUZZ, TEXTS, VALUES, assert_answered, bodies

EVENTS = f"{API}/events"
BAD_IDS = ["-1", "0", "01", "99999999999999999999", "2147483648", "١", "abc", "1.0", "%00"]
PHONE = "03 778 30 60"
BRUSSELS = ZoneInfo("Europe/Brussels")


def iso_z(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def in_days(days: int) -> datetime:
    """A moment `days` from now, naive UTC on the whole minute."""
    return (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)


def new_event(**fields) -> dict:
    return {
        "name": "Ideeënatelier mobiliteit",
        "type": "idea_atelier",
        "starts_at": iso_z(in_days(14)),
        "place": "Stadhuis, Grote Markt 1",
        "capacity": 20,
        **fields,
    }


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def poverty_organisation(make_actor):
    return make_actor(name="Vzw De Moeite", kind="poverty_organisation", phone=PHONE)


@pytest.fixture
def invitation_of(session):
    """An actor put on an event's list the way the builder does it."""
    from crm.invitations import add_invitations

    def put(event, actor):
        (invitation,) = add_invitations(session, event.id, actor_ids=[actor.id])
        session.commit()
        return invitation

    return put


@pytest.fixture
def event_count(stored):
    return lambda: stored(Event)


@pytest.fixture
def invitation_count(stored):
    return lambda: stored(Invitation)


def invitations_url(event) -> str:
    return f"{EVENTS}/{event.id}/invitations"


# --- creating and reading events ------------------------------------------------------------------


def test_a_coordinator_creates_an_event_and_reads_it_back(client, as_coordinator, as_staff):
    starts_at = in_days(30)

    created = client.post(
        EVENTS,
        json=new_event(starts_at=iso_z(starts_at), themes=["mobiliteit", "armoede"]),
        headers=as_coordinator,
    )
    url = f"{EVENTS}/{created.json['id']}"
    read = client.get(url, headers=as_staff)

    assert created.status_code == 201
    assert created.headers["Location"].endswith(url)
    assert read.status_code == 200
    assert read.json == created.json
    assert read.json["name"] == "Ideeënatelier mobiliteit"
    assert read.json["type"] == "idea_atelier"
    assert read.json["starts_at"] == iso_z(starts_at)
    assert read.json["place"] == "Stadhuis, Grote Markt 1"
    assert read.json["capacity"] == 20
    assert read.json["themes"] == ["armoede", "mobiliteit"]
    assert read.json["description"] == ""
    assert read.json["invitation_counts"] == {
        "to_invite": 0, "invited": 0, "confirmed": 0, "declined": 0, "attended": 0, "no_show": 0
    }  # fmt: skip


def test_event_json_has_every_documented_field(client, as_coordinator):
    response = client.post(EVENTS, json=new_event(), headers=as_coordinator)

    assert set(response.json) == {
        "id", "name", "type", "starts_at", "place", "capacity", "themes", "description",
        "created_at", "updated_at", "version", "invitation_counts",
    }  # fmt: skip
    conforms(response.json, "Event")


def test_a_start_without_an_offset_is_brussels_time(client, as_coordinator):
    local = in_days(40).replace(hour=19, minute=30)
    expected = local.replace(tzinfo=BRUSSELS).astimezone(UTC).replace(tzinfo=None)

    response = client.post(
        EVENTS,
        json=new_event(starts_at=local.isoformat(timespec="minutes")),
        headers=as_coordinator,
    )

    assert response.status_code == 201
    assert response.json["starts_at"] == iso_z(expected)
    assert response.json["starts_at"] != iso_z(local)


def test_a_start_with_an_offset_is_that_moment_in_utc(client, as_coordinator):
    local = in_days(40).replace(hour=19, minute=30)

    response = client.post(
        EVENTS,
        json=new_event(starts_at=local.isoformat(timespec="minutes") + "+05:00"),
        headers=as_coordinator,
    )

    assert response.json["starts_at"] == iso_z(local - timedelta(hours=5))


def test_an_administrator_may_create_an_event(client, as_admin):
    assert client.post(EVENTS, json=new_event(), headers=as_admin).status_code == 201


def test_staff_may_not_create_an_event_and_nothing_is_stored(client, as_staff, event_count):
    response = client.post(EVENTS, json=new_event(), headers=as_staff)

    assert response.status_code == 403
    assert response.json["errors"]["_"]
    assert event_count() == 0


def test_a_refusal_says_which_role_may_and_names_the_administrators_in_one_message(
    client, make_user, as_staff
):
    make_user("admin", name="An Peeters", email="an@sint-niklaas.be")

    dutch = client.post(EVENTS, json=new_event(), headers=as_staff)
    english = client.post(EVENTS + "?lang=en", json=new_event(), headers=as_staff)

    assert dutch.status_code == 403
    assert dutch.json == {
        "errors": {
            "_": [
                "Alleen coördinatoren en beheerders mogen evenementen aanmaken en wijzigen, hun "
                "uitnodigingslijsten samenstellen en mensen ervan afhalen. Vraag het aan een "
                "beheerder: An Peeters (an@sint-niklaas.be)."
            ]
        }
    }
    assert english.json["errors"]["_"] == [
        "Only coordinators and administrators may create and edit events, build their "
        "invitation lists and take people off them. Ask an administrator: An Peeters "
        "(an@sint-niklaas.be)."
    ]


def test_a_second_event_of_the_same_name_and_day_is_refused_with_409_until_confirmed(
    client, as_coordinator, event_count
):
    first = client.post(EVENTS, json=new_event(name="Open atelier"), headers=as_coordinator)
    body = new_event(name="OPEN  atelier", starts_at=iso_z(in_days(14) + timedelta(minutes=30)))

    refused = client.post(EVENTS + "?lang=en", json=body, headers=as_coordinator)
    confirmed = client.post(
        EVENTS, json={**body, "confirm_duplicate": True}, headers=as_coordinator
    )

    day = (in_days(14) + timedelta(minutes=30)).replace(tzinfo=ZoneInfo("UTC"))
    assert refused.status_code == 409
    assert refused.json == {
        "errors": {
            "name": [
                f"There is already an event “Open atelier” on "
                f"{day.astimezone(BRUSSELS).date().isoformat()} (number {first.json['id']})."
            ],
            "confirm_duplicate": ['Send "confirm_duplicate": true to create it anyway.'],
        },
        "current_version": None,
    }
    assert confirmed.status_code == 201
    assert event_count() == 2


def test_the_same_name_on_another_day_needs_no_confirmation(client, as_coordinator):
    client.post(EVENTS, json=new_event(name="Open atelier"), headers=as_coordinator)

    response = client.post(
        EVENTS,
        json=new_event(name="Open atelier", starts_at=iso_z(in_days(21))),
        headers=as_coordinator,
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "barbecue"),
        ("type", ""),
        ("capacity", 0),
        ("capacity", -5),
        ("capacity", 10_001),
        ("capacity", 10**30),
        ("starts_at", "tomorrow"),
        ("starts_at", "2025-13-45T10:00"),
        ("starts_at", "1999-12-31T10:00"),
        ("starts_at", "9999-12-31T23:59"),
        ("starts_at", ""),
        ("name", ""),
        ("name", "x" * 201),
        ("place", "p" * 10_000),
        ("themes", ["mobiliteit", "astrologie"]),
    ],
)
def test_a_bad_value_is_refused_with_422_naming_the_field_and_nothing_is_stored(
    client, as_coordinator, event_count, field, value
):
    response = client.post(EVENTS, json=new_event(**{field: value}), headers=as_coordinator)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert event_count() == 0


def test_an_unknown_type_is_explained_with_the_choices(client, as_coordinator):
    response = client.post(
        f"{EVENTS}?lang=en", json=new_event(type="barbecue"), headers=as_coordinator
    )

    message = response.json["errors"]["type"][0]
    assert "barbecue" in message and "idea_atelier" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", "abc"), ("capacity", "20"), ("capacity", 4.5), ("capacity", True),
     ("name", 42), ("themes", "armoede"), ("starts_at", 20250320), ("place", "a\x00b")],
)  # fmt: skip
def test_a_value_of_the_wrong_json_type_is_refused_with_400(
    client, as_coordinator, event_count, field, value
):
    response = client.post(EVENTS, json=new_event(**{field: value}), headers=as_coordinator)

    assert response.status_code == 400
    assert list(response.json["errors"]) == [field]
    assert event_count() == 0


def test_every_missing_field_is_reported_at_once(client, as_coordinator, event_count):
    response = client.post(EVENTS, json={"place": "Stadhuis"}, headers=as_coordinator)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "type", "starts_at", "capacity"}
    assert event_count() == 0


@pytest.mark.parametrize("field", ["id", "version", "created_by_id", "colour"])
def test_an_unknown_or_read_only_field_is_refused(client, as_coordinator, event_count, field):
    response = client.post(EVENTS, json=new_event(**{field: 1}), headers=as_coordinator)

    assert response.status_code == 422
    assert field in response.json["errors"]
    assert event_count() == 0


def test_a_body_that_is_not_a_json_object_is_refused(client, as_coordinator, event_count):
    response = client.post(EVENTS, json=[new_event()], headers=as_coordinator)

    assert response.status_code == 400
    assert event_count() == 0


@pytest.mark.parametrize("event_id", BAD_IDS)
def test_an_event_id_that_cannot_exist_answers_404(client, as_staff, event_id):
    response = client.get(f"{EVENTS}/{event_id}", headers=as_staff)

    assert response.status_code == 404
    assert response.json["errors"]["_"]


def test_an_event_that_does_not_exist_answers_404_on_every_route(client, event, as_coordinator):
    missing = f"{EVENTS}/{event.id + 1}"

    assert client.get(missing, headers=as_coordinator).status_code == 404
    assert client.get(f"{missing}/representation", headers=as_coordinator).status_code == 404
    response = client.post(
        f"{missing}/invitations", json={"actor_ids": [1]}, headers=as_coordinator
    )
    assert response.status_code == 404


def test_an_event_counts_its_invitations_per_status(
    client, session, event, make_actor, invitation_of, as_staff
):
    for n in range(3):
        invitation_of(event, make_actor(name=f"Resident {n}", email=f"r{n}@example.be"))
    confirmed = invitation_of(event, make_actor(name="Bakkerij Jansens", phone=PHONE))
    confirmed.status = "confirmed"
    session.commit()

    response = client.get(f"{EVENTS}/{event.id}", headers=as_staff)

    counts = response.json["invitation_counts"]
    assert (counts["to_invite"], counts["confirmed"], counts["attended"]) == (3, 1, 0)


# --- authentication and roles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/events"),
        ("get", "/events/1"),
        ("post", "/events/1/invitations"),
        ("patch", "/invitations/1"),
        ("get", "/events/1/representation"),
    ],
)
def test_every_route_needs_a_token(client, method, path):
    response = getattr(client, method)(f"{API}{path}", json={})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_staff_may_not_fill_an_invitation_list(
    client, event, poverty_organisation, as_staff, invitation_count
):
    by_ids = client.post(
        invitations_url(event), json={"actor_ids": [poverty_organisation.id]}, headers=as_staff
    )
    built = client.post(invitations_url(event), json={"build": {}}, headers=as_staff)

    assert (by_ids.status_code, built.status_code) == (403, 403)
    assert invitation_count() == 0


# --- putting actors on the list by id -------------------------------------------------------------


def test_actors_are_put_on_the_list_with_the_channel_of_the_rules(
    client, event, make_actor, poverty_organisation, as_coordinator, invitation_count
):
    resident = make_actor(name="Jan Peeters", email="jan@example.be", phone=PHONE)

    response = client.post(
        invitations_url(event),
        json={"actor_ids": [poverty_organisation.id, resident.id]},
        headers=as_coordinator,
    )

    assert response.status_code == 201
    by_actor = {i["actor_id"]: i for i in response.json["invitations"]}
    assert by_actor[poverty_organisation.id]["channel"] == "phone"
    assert by_actor[resident.id]["channel"] == "email"
    assert {i["status"] for i in by_actor.values()} == {"to_invite"}
    assert {i["channel_overridden"] for i in by_actor.values()} == {False}
    assert set(response.json) == {"invitations"}
    assert invitation_count() == 2
    conforms(response.json, "InvitationsAdded")


def test_a_channel_override_is_used_and_marked(client, event, make_actor, as_coordinator):
    resident = make_actor(email="jan@example.be", phone=PHONE)

    response = client.post(
        invitations_url(event),
        json={"actor_ids": [resident.id], "channels": {str(resident.id): "phone"}},
        headers=as_coordinator,
    )

    (invitation,) = response.json["invitations"]
    assert (invitation["channel"], invitation["channel_overridden"]) == ("phone", True)


def test_a_poverty_organisation_cannot_be_invited_by_email_and_nothing_is_stored(
    client, event, make_actor, as_coordinator, invitation_count
):
    resident = make_actor(email="jan@example.be")
    organisation = make_actor(kind="poverty_organisation", phone=PHONE, email="info@demoeite.be")

    response = client.post(
        f"{invitations_url(event)}?lang=en",
        json={
            "actor_ids": [resident.id, organisation.id],
            "channels": {str(organisation.id): "email"},
        },
        headers=as_coordinator,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["channels"]
    assert "never by e-mail" in response.json["errors"]["channels"][0]
    assert invitation_count() == 0


def test_a_channel_the_actor_cannot_be_reached_by_is_refused(
    client, event, make_actor, as_coordinator, invitation_count
):
    resident = make_actor(name="Jan Peeters", email="jan@example.be", do_not_phone=True)

    response = client.post(
        f"{invitations_url(event)}?lang=en",
        json={"actor_ids": [resident.id], "channels": {str(resident.id): "phone"}},
        headers=as_coordinator,
    )

    assert response.status_code == 422
    assert "Jan Peeters" in response.json["errors"]["channels"][0]
    assert invitation_count() == 0


def test_unknown_and_archived_actors_are_refused_and_nothing_is_stored(
    client, session, event, make_actor, as_coordinator, invitation_count
):
    from crm.actors import set_archived

    kept = make_actor(email="kept@example.be")
    archived = make_actor(email="gone@example.be")
    set_archived(session, archived.id, True, version=archived.version)
    session.commit()

    response = client.post(
        invitations_url(event),
        json={"actor_ids": [kept.id, archived.id, archived.id + 1000]},
        headers=as_coordinator,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["actor_ids"]
    assert len(response.json["errors"]["actor_ids"]) == 2
    assert invitation_count() == 0


def test_an_actor_no_channel_can_reach_is_refused(
    client, event, make_actor, as_coordinator, invitation_count
):
    organisation = make_actor(kind="poverty_organisation", email="info@demoeite.be")

    response = client.post(
        invitations_url(event), json={"actor_ids": [organisation.id]}, headers=as_coordinator
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["actor_ids"]
    assert invitation_count() == 0


@pytest.mark.parametrize("actor_ids", [[], [0], [-1], [2**31], [10**30]])
def test_ids_that_cannot_be_actors_are_refused_with_422(
    client, event, as_coordinator, invitation_count, actor_ids
):
    response = client.post(
        invitations_url(event), json={"actor_ids": actor_ids}, headers=as_coordinator
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["actor_ids"]
    assert invitation_count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"actor_ids": "1,2"},
        {"actor_ids": ["1"]},
        {"actor_ids": [1.5]},
        {"actor_ids": [True]},
        {"actor_ids": None},
        {"actor_ids": list(range(1, 102))},
        {"actor_ids": [1], "channels": ["phone"]},
        {"actor_ids": [1], "channels": {"1": 42}},
        {"actor_ids": [1], "channels": {"1": "ph\x00one"}},
        {"build": []},
        {"build": {"district": 42}},
        {"build": {"kind": [["resident"]]}},
        {"build": {"targets": ["poverty_organisation"]}},
    ],
)
def test_a_body_of_the_wrong_shape_is_refused_with_400(
    client, event, make_actor, as_coordinator, invitation_count, body
):
    make_actor(email="jan@example.be")

    response = client.post(invitations_url(event), json=body, headers=as_coordinator)

    assert response.status_code == 400
    assert response.json["errors"]
    assert invitation_count() == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"channels": {}}, {"actor_ids": [1], "build": {}}],
    ids=["neither", "channels", "both"],
)
def test_either_actor_ids_or_build_must_be_sent(
    client, event, make_actor, as_coordinator, invitation_count, body
):
    make_actor(email="jan@example.be")

    response = client.post(f"{invitations_url(event)}?lang=en", json=body, headers=as_coordinator)

    assert response.status_code == 422
    assert "actor_ids" in response.json["errors"]["_"][0]
    assert "build" in response.json["errors"]["_"][0]
    assert invitation_count() == 0


def test_a_channel_for_an_actor_not_in_the_list_is_refused(
    client, event, make_actor, as_coordinator, invitation_count
):
    resident = make_actor(email="jan@example.be", phone=PHONE)

    response = client.post(
        invitations_url(event),
        json={"actor_ids": [resident.id], "channels": {str(resident.id + 1): "phone"}},
        headers=as_coordinator,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["channels"]
    assert invitation_count() == 0


def test_channels_are_refused_with_build(client, event, as_coordinator, invitation_count):
    response = client.post(
        invitations_url(event),
        json={"build": {}, "channels": {"1": "phone"}},
        headers=as_coordinator,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["channels"]
    assert invitation_count() == 0


def test_an_actor_already_on_the_list_is_returned_unchanged(
    client, event, poverty_organisation, invitation_of, as_coordinator, invitation_count
):
    listed = invitation_of(event, poverty_organisation)

    response = client.post(
        invitations_url(event),
        json={"actor_ids": [poverty_organisation.id]},
        headers=as_coordinator,
    )

    assert response.status_code == 201
    assert [i["id"] for i in response.json["invitations"]] == [listed.id]
    assert invitation_count() == 1


# --- the builder ----------------------------------------------------------------------------------


@pytest.fixture
def stakeholder_map(make_actor):
    """Three poverty organisations (one reachable by e-mail only), four businesses, two
    residents, in two districts."""
    for n in range(2):
        make_actor(name=f"Vzw {n}", kind="poverty_organisation", phone=PHONE, district="Sinaai")
    make_actor(name="Vzw Mail", kind="poverty_organisation", email="info@mail.be")
    for n in range(4):
        make_actor(name=f"Bedrijf {n}", kind="business", email=f"b{n}@example.be")
    for n in range(2):
        make_actor(name=f"Bewoner {n}", kind="resident", phone=PHONE, district="Belsele")


def test_the_builder_honours_the_targets_within_capacity(
    client, make_event, stakeholder_map, as_coordinator, invitation_count
):
    event = make_event(capacity=5)
    targets = {"poverty_organisation": {"min": 2}, "business": {"max": 1}}

    response = client.post(
        f"{invitations_url(event)}?lang=en",
        json={"build": {"targets": targets}},
        headers=as_coordinator,
    )

    assert response.status_code == 201
    mix = {row["kind"]: row for row in response.json["mix"]}
    assert mix["poverty_organisation"]["count"] == 2
    assert mix["business"]["count"] == 1
    assert mix["resident"]["count"] == 2
    assert len(response.json["invitations"]) == 5
    assert (response.json["capacity"], response.json["already_listed"]) == (5, 0)
    assert response.json["left_out"] == [
        {
            "reason": "in_person_impossible",
            "label": "Poverty organisation that cannot be phoned or visited",
            "count": 1,
        }
    ]
    assert invitation_count() == 5
    conforms(response.json, "InvitationsAdded")


def test_the_builder_warns_in_the_request_language_when_a_needed_kind_is_missing(
    client, make_event, stakeholder_map, as_coordinator
):
    event = make_event(capacity=50)

    response = client.post(
        f"{invitations_url(event)}?lang=en",
        json={"build": {"kind": ["business", "resident"]}},
        headers=as_coordinator,
    )

    assert response.status_code == 201
    assert (
        "Poverty organisations: nobody on the list, and the trajectory needs them."
        in (response.json["warnings"])
    )
    assert {i["actor_id"] for i in response.json["invitations"]}
    assert len(response.json["invitations"]) == 6


def test_the_builder_selects_by_district(client, event, stakeholder_map, as_coordinator):
    response = client.post(
        invitations_url(event), json={"build": {"district": "Sinaai"}}, headers=as_coordinator
    )

    assert response.status_code == 201
    assert len(response.json["invitations"]) == 2
    assert {i["channel"] for i in response.json["invitations"]} == {"phone"}


def test_the_builder_counts_reach_in_the_configured_window(
    app, client, session, event, make_actor, as_coordinator
):
    visited = make_actor(name="Visited a month ago", phone=PHONE)
    log_contact(
        session,
        actor_id=visited.id,
        channel="visit",
        outcome="reached",
        occurred_at=(utcnow() - timedelta(days=30)).replace(tzinfo=UTC),
    )
    session.commit()
    body = {"build": {"status": "direct"}}

    app.config["REACH_WINDOW_DAYS"], old = 10, app.config["REACH_WINDOW_DAYS"]
    try:
        short_window = client.post(invitations_url(event), json=body, headers=as_coordinator)
    finally:
        app.config["REACH_WINDOW_DAYS"] = old
    default_window = client.post(invitations_url(event), json=body, headers=as_coordinator)

    assert short_window.json["invitations"] == []
    assert [i["actor_id"] for i in default_window.json["invitations"]] == [visited.id]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        ({"targets": {"aliens": {"min": 1}}}, "build.targets.aliens"),
        ({"targets": {"business": {"min": 5, "max": 2}}}, "build.targets.business"),
        ({"targets": {"business": {"min": -1}}}, "build.targets.business"),
        ({"targets": {"business": {"min": "abc"}}}, "build.targets.business"),
        ({"targets": {"business": 3}}, "build.targets.business"),
        ({"targets": {"business": {"minimum": 3}}}, "build.targets.business.minimum"),
        ({"kind": "aliens"}, "build.kind"),
        ({"quadrant": "top_left"}, "build.quadrant"),
        ({"status": "famous"}, "build.status"),
        ({"colour": "red"}, "build.colour"),
    ],
)
def test_a_bad_build_is_refused_naming_the_field_and_nothing_is_stored(
    client, event, stakeholder_map, as_coordinator, invitation_count, build, field
):
    response = client.post(invitations_url(event), json={"build": build}, headers=as_coordinator)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert invitation_count() == 0


def test_min_above_max_is_explained(client, event, as_coordinator):
    response = client.post(
        f"{invitations_url(event)}?lang=en",
        json={"build": {"targets": {"business": {"min": 5, "max": 2}}}},
        headers=as_coordinator,
    )

    assert response.json["errors"]["build.targets.business"] == [
        "The minimum (5) is above the maximum (2)."
    ]


# --- changing an invitation -----------------------------------------------------------------------


def invitation_url(invitation) -> str:
    return f"{API}/invitations/{invitation.id}"


def test_staff_check_in_an_invitee_which_logs_a_direct_contact(
    client, event, poverty_organisation, invitation_of, as_staff, contact_count
):
    invitation = invitation_of(event, poverty_organisation)

    response = client.patch(
        invitation_url(invitation), json={"status": "attended"}, headers=as_staff
    )
    actor = client.get(f"{API}/actors/{poverty_organisation.id}", headers=as_staff)

    assert response.status_code == 200
    assert response.json["status"] == "attended"
    assert contact_count() == 1
    assert actor.json["reach_status"] == "direct"
    conforms(response.json, "Invitation")


def test_staff_override_the_channel_within_the_rules(
    client, session, event, make_actor, invitation_of, as_staff
):
    invitation = invitation_of(event, make_actor(email="jan@example.be", phone=PHONE))

    response = client.patch(
        invitation_url(invitation), json={"status": "invited", "channel": "phone"}, headers=as_staff
    )

    assert response.status_code == 200
    stored = session.get(Invitation, invitation.id)
    assert (stored.channel, stored.channel_overridden, stored.status) == ("phone", True, "invited")


def test_a_coordinator_overrides_the_channel(
    client, event, make_actor, invitation_of, as_coordinator
):
    invitation = invitation_of(event, make_actor(email="jan@example.be", phone=PHONE))

    response = client.patch(
        invitation_url(invitation), json={"channel": "phone"}, headers=as_coordinator
    )

    assert response.status_code == 200
    assert (response.json["channel"], response.json["channel_overridden"]) == ("phone", True)
    assert response.json["status"] == "to_invite"


def test_a_poverty_organisation_cannot_be_switched_to_email(
    client, session, event, make_actor, invitation_of, as_coordinator
):
    organisation = make_actor(kind="poverty_organisation", phone=PHONE, email="info@x.be")
    invitation = invitation_of(event, organisation)

    response = client.patch(
        f"{invitation_url(invitation)}?lang=en",
        json={"channel": "email", "status": "invited"},
        headers=as_coordinator,
    )

    assert response.status_code == 422
    assert response.json["errors"]["channel"] == [
        "Poverty organisations are invited by phone or in person, never by e-mail only."
    ]
    stored = session.get(Invitation, invitation.id)
    assert (stored.channel, stored.status) == ("phone", "to_invite")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"status": "partying"}, 422, "status"),
        ({"channel": "pigeon"}, 422, "channel"),
        ({}, 422, "_"),
        ({"status": None}, 422, "_"),
        ({"version": 1, "status": "invited"}, 422, "version"),
        ({"status": 1}, 400, "status"),
        ({"status": ["invited"]}, 400, "status"),
    ],
)
def test_a_bad_change_is_refused_and_nothing_is_stored(
    client, session, event, poverty_organisation, invitation_of, as_coordinator, contact_count,
    body, status, field
):  # fmt: skip
    invitation = invitation_of(event, poverty_organisation)

    response = client.patch(invitation_url(invitation), json=body, headers=as_coordinator)

    assert response.status_code == status
    assert list(response.json["errors"]) == [field]
    assert session.get(Invitation, invitation.id).status == "to_invite"
    assert contact_count() == 0


@pytest.mark.parametrize("invitation_id", BAD_IDS)
def test_an_invitation_id_that_cannot_exist_answers_404(client, as_staff, invitation_id):
    response = client.patch(
        f"{API}/invitations/{invitation_id}", json={"status": "invited"}, headers=as_staff
    )

    assert response.status_code == 404
    assert response.json["errors"]["_"]


# --- the representation report --------------------------------------------------------------------


def test_the_representation_report_compares_who_came_with_the_map(
    client, event, make_actor, invitation_of, as_staff
):
    came = make_actor(kind="poverty_organisation", phone=PHONE, district="Sinaai")
    stayed_away = make_actor(kind="poverty_organisation", phone=PHONE, district="Belsele")
    make_actor(kind="poverty_organisation", phone=PHONE, district="Sinaai")
    attended = invitation_of(event, came)
    invitation_of(event, stayed_away)
    confirmed = invitation_of(event, make_actor(kind="business", email="b@example.be"))
    client.patch(invitation_url(confirmed), json={"status": "confirmed"}, headers=as_staff)
    client.patch(invitation_url(attended), json={"status": "attended"}, headers=as_staff)

    response = client.get(f"{EVENTS}/{event.id}/representation?lang=en", headers=as_staff)

    assert response.status_code == 200
    by_kind = {row["key"]: row for row in response.json["by_kind"]}
    poverty = by_kind["poverty_organisation"]
    assert (poverty["known"], poverty["listed"], poverty["attended"]) == (3, 2, 1)
    assert poverty["share_attended"] == round(1 / 3, 4)
    assert poverty["sentence"] == "Poverty organisations: 1 of 3 came"
    assert (by_kind["business"]["confirmed"], by_kind["business"]["attended"]) == (1, 0)
    by_district = {row["key"]: row for row in response.json["by_district"]}
    assert (by_district["Sinaai"]["known"], by_district["Sinaai"]["attended"]) == (2, 1)
    assert by_district["Belsele"]["attended"] == 0
    assert response.json["event"]["id"] == event.id
    conforms(response.json, "Representation")


@pytest.mark.parametrize("event_id", BAD_IDS)
def test_the_representation_of_an_event_that_cannot_exist_answers_404(client, as_staff, event_id):
    response = client.get(f"{EVENTS}/{event_id}/representation", headers=as_staff)

    assert response.status_code == 404


# --- the document ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema_name", "accepted"),
    [
        ("EventCreate", json_types(EventCreate)),
        ("InvitationsAdd", json_types(InvitationsAdd)),
        ("InvitationBuild", json_types(InvitationBuild)),
        ("InvitationPatch", json_types(InvitationPatch)),
    ],
)
def test_each_request_schema_names_exactly_the_accepted_fields(schema_name, accepted):
    assert set(OPENAPI["components"]["schemas"][schema_name]["properties"]) == set(accepted)


def test_the_api_accepts_every_writable_field_of_an_event_and_the_duplicate_confirmation():
    assert set(json_types(EventCreate)) == {*WRITABLE_FIELDS, "confirm_duplicate"}


def test_the_export_routes_are_documented():
    paths = OPENAPI["paths"]

    csv = paths["/events/{event_id}/invitations.csv"]["get"]
    xlsx = paths["/events/{event_id}/invitations.xlsx"]["get"]

    assert "text/csv" in csv["responses"]["200"]["content"]
    assert {"403", "404"} <= set(csv["responses"]) & set(xlsx["responses"])
    assert any(p["$ref"].endswith("/Dialect") for p in csv["parameters"])
    assert list(xlsx["responses"]["200"]["content"]) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ]


# --- whatever a client sends ----------------------------------------------------------------------

BUILDS = st.dictionaries(
    st.one_of(st.sampled_from(sorted(json_types(InvitationBuild))), st.text(max_size=8)),
    st.one_of(VALUES, st.dictionaries(st.one_of(st.sampled_from(["business"]), TEXTS), VALUES)),
    max_size=4,
)


@FUZZ
@given(body=bodies(json_types(EventCreate)))
def test_any_json_to_create_an_event_is_answered_without_a_server_error(
    client, as_coordinator, body
):
    assert_answered(client.post(EVENTS, json=body, headers=as_coordinator))


@FUZZ
@given(
    body=st.one_of(
        bodies(json_types(InvitationsAdd)),
        st.fixed_dictionaries({"build": BUILDS}),
        st.fixed_dictionaries(
            {"actor_ids": st.lists(st.integers(-3, 2**40), max_size=3)},
            optional={"channels": st.dictionaries(TEXTS, VALUES, max_size=3)},
        ),
    )
)
def test_any_json_to_fill_a_list_is_answered_without_a_server_error(
    client, event, as_coordinator, body
):
    assert_answered(client.post(invitations_url(event), json=body, headers=as_coordinator))


@FUZZ
@given(body=bodies(json_types(InvitationPatch)))
def test_any_json_to_change_an_invitation_is_answered_without_a_server_error(
    client, event, poverty_organisation, invitation_of, as_coordinator, body
):
    invitation = invitation_of(event, poverty_organisation)  # the same one for every example

    assert_answered(client.patch(invitation_url(invitation), json=body, headers=as_coordinator))
