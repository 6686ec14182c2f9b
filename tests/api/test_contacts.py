"""Logging and reading an actor's contacts through the API."""

from datetime import timedelta

import pytest

from crm.clock import utcnow
from tests.api.conftest import API


def contacts_url(actor) -> str:
    return f"{API}/actors/{actor.id}/contacts"


def iso(moment) -> str:
    return moment.isoformat() + "Z"


def test_a_logged_contact_is_answered_with_201_and_its_author(client, make_actor, staff, as_staff):
    actor = make_actor()
    occurred = utcnow() - timedelta(hours=2)

    response = client.post(
        contacts_url(actor),
        json={
            "channel": "visit",
            "outcome": "reached",
            "direction": "outgoing",
            "occurred_at": iso(occurred),
            "note": "Koffie gedronken met de voorzitter.",
            "follow_up_on": (occurred + timedelta(days=7)).date().isoformat(),
        },
        headers=as_staff,
    )

    assert response.status_code == 201
    assert response.json["actor_id"] == actor.id
    assert response.json["occurred_at"] == iso(occurred)
    assert response.json["follow_up_on"] == (occurred + timedelta(days=7)).date().isoformat()
    assert response.json["created_by"] == {"id": staff.id, "name": "Sara Staff"}
    assert response.json["edited_at"] is None
    assert set(response.json) == {
        "id", "actor_id", "channel", "direction", "outcome", "occurred_at", "note",
        "follow_up_on", "created_by", "created_at", "edited_at",
    }  # fmt: skip


def test_a_phone_call_that_reached_the_actor_makes_it_reached_directly(
    client, make_actor, as_staff
):
    actor = make_actor(kind="poverty_organisation")

    client.post(
        contacts_url(actor), json={"channel": "phone", "outcome": "reached"}, headers=as_staff
    )
    after = client.get(f"{API}/actors/{actor.id}", headers=as_staff).json

    assert after["reach_status"] == "direct"
    assert after["last_contact_at"].endswith("Z")


def test_an_email_that_reached_the_actor_is_digital_only(client, make_actor, as_staff):
    actor = make_actor()

    client.post(
        contacts_url(actor), json={"channel": "email", "outcome": "reached"}, headers=as_staff
    )

    assert (
        client.get(f"{API}/actors/{actor.id}", headers=as_staff).json["reach_status"]
        == "digital_only"
    )


def test_logging_a_contact_does_not_make_an_open_edit_stale(client, make_actor, as_staff):
    actor = make_actor()
    read_version = actor.version

    client.post(
        contacts_url(actor), json={"channel": "phone", "outcome": "no_answer"}, headers=as_staff
    )
    response = client.patch(
        f"{API}/actors/{actor.id}", json={"version": read_version, "interest": 4}, headers=as_staff
    )

    assert response.status_code == 200


def test_contacts_are_listed_newest_first_and_paged(client, make_actor, as_staff):
    actor = make_actor()
    now = utcnow()
    for days_ago, note in [(3, "oldest"), (1, "newest"), (2, "middle")]:
        client.post(
            contacts_url(actor),
            json={
                "channel": "phone",
                "outcome": "no_answer",
                "note": note,
                "occurred_at": iso(now - timedelta(days=days_ago)),
            },
            headers=as_staff,
        )

    first = client.get(f"{contacts_url(actor)}?per_page=2", headers=as_staff)
    second = client.get(f"{contacts_url(actor)}?per_page=2&page=2", headers=as_staff)

    assert first.status_code == 200
    assert [c["note"] for c in first.json["items"]] == ["newest", "middle"]
    assert [c["note"] for c in second.json["items"]] == ["oldest"]
    assert (first.json["total"], first.json["page"], first.json["per_page"]) == (3, 1, 2)


def test_the_contact_list_only_holds_the_actors_own_contacts(client, make_actor, as_staff):
    actor, other = make_actor(), make_actor()
    client.post(
        contacts_url(other), json={"channel": "phone", "outcome": "reached"}, headers=as_staff
    )

    response = client.get(contacts_url(actor), headers=as_staff)

    assert response.json["items"] == []
    assert response.json["total"] == 0


def test_the_contact_list_caps_per_page(app, client, make_actor, as_staff):
    actor = make_actor()

    response = client.get(f"{contacts_url(actor)}?per_page=5000", headers=as_staff)

    assert response.json["per_page"] == app.config["MAX_PER_PAGE"]


@pytest.mark.parametrize("query", ["page=0", "per_page=x"])
def test_bad_paging_of_contacts_is_refused_with_400(client, make_actor, as_staff, query):
    response = client.get(f"{contacts_url(make_actor())}?{query}", headers=as_staff)

    assert response.status_code == 400


@pytest.mark.parametrize("actor_id", ["-1", "0", "99999999999999999999", "01", "١", "12345"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_contacts_of_an_actor_that_cannot_exist_answer_404(
    client, as_staff, contact_count, method, actor_id
):
    response = getattr(client, method)(
        f"{API}/actors/{actor_id}/contacts",
        json={"channel": "phone", "outcome": "reached"},
        headers=as_staff,
    )

    assert response.status_code == 404
    assert response.json["errors"]["_"]
    assert contact_count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "telepathy"),
        ("outcome", "maybe"),
        ("direction", "sideways"),
        ("follow_up_on", "next week"),
    ],
)
def test_an_unknown_value_is_refused_naming_the_field(
    client, make_actor, as_staff, contact_count, field, value
):
    body = {"channel": "phone", "outcome": "reached", field: value}

    response = client.post(contacts_url(make_actor()), json=body, headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert contact_count() == 0


def test_channel_and_outcome_are_required(client, make_actor, as_staff, contact_count):
    response = client.post(contacts_url(make_actor()), json={"note": "?"}, headers=as_staff)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"channel", "outcome"}
    assert contact_count() == 0


def test_a_contact_in_the_future_is_refused(client, make_actor, as_staff, contact_count):
    tomorrow = iso(utcnow() + timedelta(days=1))

    response = client.post(
        contacts_url(make_actor()),
        json={"channel": "phone", "outcome": "reached", "occurred_at": tomorrow},
        headers=as_staff,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["occurred_at"]
    assert contact_count() == 0


@pytest.mark.parametrize(
    "occurred_at",
    [
        "yesterday",
        "0001-01-01T00:00",
        "9999-12-31T23:59:59-23:59",
        "1989-12-31T12:00:00Z",
        "2024-13-01T10:00",
    ],
)
def test_an_impossible_contact_moment_is_refused(
    client, make_actor, as_staff, contact_count, occurred_at
):
    response = client.post(
        contacts_url(make_actor()),
        json={"channel": "phone", "outcome": "reached", "occurred_at": occurred_at},
        headers=as_staff,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["occurred_at"]
    assert contact_count() == 0


def test_a_moment_without_offset_is_brussels_time(client, make_actor, as_staff):
    response = client.post(
        contacts_url(make_actor()),
        json={"channel": "phone", "outcome": "reached", "occurred_at": "2025-01-15T10:00:00"},
        headers=as_staff,
    )

    assert response.json["occurred_at"] == "2025-01-15T09:00:00Z"


@pytest.mark.parametrize("field", ["user_id", "created_by", "actor_id", "id"])
def test_a_contact_cannot_claim_another_author_or_actor(
    client, make_actor, as_staff, contact_count, field
):
    response = client.post(
        contacts_url(make_actor()),
        json={"channel": "phone", "outcome": "reached", field: 1},
        headers=as_staff,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert contact_count() == 0


@pytest.mark.parametrize(
    ("field", "value"), [("channel", 1), ("note", ["a"]), ("occurred_at", 1700000000)]
)
def test_a_contact_value_of_the_wrong_json_type_is_refused_with_400(
    client, make_actor, as_staff, field, value
):
    body = {"channel": "phone", "outcome": "reached", field: value}

    response = client.post(contacts_url(make_actor()), json=body, headers=as_staff)

    assert response.status_code == 400
    assert list(response.json["errors"]) == [field]


def test_a_nul_byte_in_a_note_is_refused(client, make_actor, as_staff, contact_count):
    body = {"channel": "phone", "outcome": "reached", "note": "ok\x00"}

    response = client.post(contacts_url(make_actor()), json=body, headers=as_staff)

    assert response.status_code == 400
    assert contact_count() == 0


def test_no_contact_is_logged_with_an_archived_actor(
    client, make_actor, as_coordinator, contact_count
):
    actor = make_actor()
    client.patch(
        f"{API}/actors/{actor.id}",
        json={"version": actor.version, "archived": True},
        headers=as_coordinator,
    )

    response = client.post(
        contacts_url(actor), json={"channel": "phone", "outcome": "reached"}, headers=as_coordinator
    )

    assert response.status_code == 422
    assert contact_count() == 0


def test_a_non_object_contact_body_is_refused_with_400(client, make_actor, as_staff):
    response = client.post(contacts_url(make_actor()), json=["phone", "reached"], headers=as_staff)

    assert response.status_code == 400


# --- Idempotency-Key: a retried request logs one contact -----------------------------------

VISIT = {"channel": "visit", "outcome": "reached", "note": "Koffie met de voorzitter"}
KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


def test_the_same_key_and_body_twice_logs_one_contact_and_answers_the_same(
    client, make_actor, as_staff, contact_count
):
    actor = make_actor(name="Praatcafé Belsele")
    headers = {**as_staff, "Idempotency-Key": KEY}

    first = client.post(contacts_url(actor), json=VISIT, headers=headers)
    again = client.post(contacts_url(actor), json=VISIT, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert again.json["note"] == "Koffie met de voorzitter"
    assert contact_count() == 1


def test_the_same_key_with_another_body_is_refused_and_stores_nothing(
    client, make_actor, as_staff, contact_count
):
    actor = make_actor()
    headers = {**as_staff, "Idempotency-Key": KEY, "Accept-Language": "en"}
    client.post(contacts_url(actor), json=VISIT, headers=headers)

    other = client.post(contacts_url(actor), json={**VISIT, "outcome": "declined"}, headers=headers)

    assert other.status_code == 422
    assert other.json == {
        "errors": {
            "idempotency_key": [
                "This key was used before for another contact: use a new key for a new contact."
            ]
        }
    }
    assert contact_count() == 1


def test_the_same_key_is_refused_in_dutch_by_default(client, make_actor, as_staff):
    actor = make_actor()
    headers = {**as_staff, "Idempotency-Key": KEY}
    client.post(contacts_url(actor), json=VISIT, headers=headers)

    other = client.post(contacts_url(actor), json={**VISIT, "note": "Anders"}, headers=headers)

    assert other.json["errors"]["idempotency_key"] == [
        "Deze sleutel werd al gebruikt voor een ander contact: gebruik een nieuwe sleutel voor "
        "een nieuw contact."
    ]


def test_a_colleagues_same_key_is_a_contact_of_its_own(
    client, make_actor, as_staff, make_user, api_token, contact_count
):
    actor = make_actor()
    as_colleague = api_token(make_user("staff", name="Tom Staff"))

    mine = client.post(
        contacts_url(actor), json=VISIT, headers={**as_staff, "Idempotency-Key": KEY}
    )
    theirs = client.post(
        contacts_url(actor), json=VISIT, headers={**as_colleague, "Idempotency-Key": KEY}
    )

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json["id"] != theirs.json["id"]
    assert theirs.json["created_by"]["name"] == "Tom Staff"
    assert contact_count() == 2


def test_without_a_key_every_request_logs_a_contact(client, make_actor, as_staff, contact_count):
    actor = make_actor()

    first = client.post(contacts_url(actor), json=VISIT, headers=as_staff)
    second = client.post(contacts_url(actor), json=VISIT, headers=as_staff)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json["id"] != second.json["id"]
    assert contact_count() == 2


def test_a_blank_key_is_refused(client, make_actor, as_staff, contact_count):
    actor = make_actor()

    response = client.post(
        contacts_url(actor), json=VISIT, headers={**as_staff, "Idempotency-Key": "  "}
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["idempotency_key"]
    assert contact_count() == 0
