"""Bearer tokens on every route, and what each role may do."""

import pytest

from crm.users import set_role
from tests.api.conftest import API

EVERY_ROUTE = [
    ("get", "/actors"),
    ("post", "/actors"),
    ("get", "/actors/1"),
    ("patch", "/actors/1"),
    ("delete", "/actors/1"),
    ("get", "/actors/1/contacts"),
    ("post", "/actors/1/contacts"),
    ("post", "/relations"),
    ("delete", "/relations/1"),
    ("get", "/openapi.json"),
]


@pytest.mark.parametrize(("method", "path"), EVERY_ROUTE)
def test_every_route_answers_401_json_without_a_token(client, make_actor, method, path):
    make_actor()

    response = getattr(client, method)(API + path, json={})

    assert response.status_code == 401
    assert response.json["errors"]["_"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-real-token", "Bearer ", "Bearer", "Basic c3RhZmY6cGFzc3dvcmQ=", "token", ""],
)
def test_a_wrong_or_malformed_token_is_refused_with_401(client, as_staff, authorization):
    response = client.get(f"{API}/actors", headers={"Authorization": authorization})

    assert response.status_code == 401
    assert list(response.json) == ["errors"]


def test_a_valid_token_opens_the_api(client, as_staff):
    response = client.get(f"{API}/actors", headers=as_staff)

    assert response.status_code == 200


def test_the_bearer_scheme_name_is_case_insensitive(client, as_staff):
    token = as_staff["Authorization"].split(" ", 1)[1]

    response = client.get(f"{API}/actors", headers={"Authorization": f"bearer {token}"})

    assert response.status_code == 200


def test_the_token_of_a_deactivated_user_is_refused(client, session, staff, as_staff):
    set_role(session, staff.id, "staff", active=False)
    session.commit()

    response = client.get(f"{API}/actors", headers=as_staff)

    assert response.status_code == 401


def test_a_reissued_token_replaces_the_old_one(client, staff, api_token):
    old = api_token(staff)
    new = api_token(staff)

    assert client.get(f"{API}/actors", headers=old).status_code == 401
    assert client.get(f"{API}/actors", headers=new).status_code == 200


def test_a_logged_in_browser_session_without_token_gets_401(client, staff, login):
    login(staff)

    response = client.get(f"{API}/actors")

    assert response.status_code == 401


def test_writes_need_no_csrf_token(client, as_staff, actor_count):
    # TestConfig keeps CSRF on: this POST would be refused if the API were not exempt.
    response = client.post(
        f"{API}/actors", json={"name": "Buurtwerk", "kind": "civic_association"}, headers=as_staff
    )

    assert response.status_code == 201
    assert actor_count() == 1


def test_staff_may_not_delete_an_actor(client, make_actor, as_staff, actor_count):
    actor = make_actor()

    response = client.delete(f"{API}/actors/{actor.id}", headers=as_staff)

    assert response.status_code == 403
    assert response.json["errors"]["_"]
    assert actor_count() == 1


def test_a_coordinator_may_not_delete_an_actor(client, make_actor, as_coordinator, actor_count):
    actor = make_actor()

    response = client.delete(f"{API}/actors/{actor.id}", headers=as_coordinator)

    assert response.status_code == 403
    assert actor_count() == 1


def test_an_admin_deletes_an_actor_with_204(client, make_actor, as_admin, actor_count):
    actor = make_actor()

    response = client.delete(f"{API}/actors/{actor.id}", headers=as_admin)

    assert response.status_code == 204
    assert response.data == b""
    assert actor_count() == 0


def test_staff_may_not_archive_an_actor(client, make_actor, as_staff):
    actor = make_actor()

    response = client.patch(
        f"{API}/actors/{actor.id}",
        json={"version": actor.version, "archived": True},
        headers=as_staff,
    )

    assert response.status_code == 403
    assert client.get(f"{API}/actors/{actor.id}", headers=as_staff).json["archived"] is False


def test_a_coordinator_archives_and_restores_an_actor(client, make_actor, as_coordinator):
    actor = make_actor()
    url = f"{API}/actors/{actor.id}"

    archived = client.patch(
        url, json={"version": actor.version, "archived": True}, headers=as_coordinator
    )
    restored = client.patch(
        url, json={"version": archived.json["version"], "archived": False}, headers=as_coordinator
    )

    assert archived.status_code == 200
    assert archived.json["archived"] is True
    assert restored.status_code == 200
    assert restored.json["archived"] is False


def test_staff_may_create_update_log_and_relate(client, make_actor, as_staff):
    one, two = make_actor(), make_actor()

    created = client.post(
        f"{API}/actors", json={"name": "Wijkhuis", "kind": "civic_association"}, headers=as_staff
    )
    updated = client.patch(
        f"{API}/actors/{one.id}", json={"version": one.version, "interest": 5}, headers=as_staff
    )
    logged = client.post(
        f"{API}/actors/{one.id}/contacts",
        json={"channel": "phone", "outcome": "reached"},
        headers=as_staff,
    )
    related = client.post(
        f"{API}/relations",
        json={"source_id": one.id, "target_id": two.id, "type": "knows"},
        headers=as_staff,
    )
    removed = client.delete(f"{API}/relations/{related.json['id']}", headers=as_staff)

    assert [r.status_code for r in (created, updated, logged, related, removed)] == [
        201,
        200,
        201,
        201,
        204,
    ]
