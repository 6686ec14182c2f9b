"""Relations between actors through the API."""

import pytest

from tests.api.conftest import API

RELATIONS = f"{API}/relations"


def test_a_relation_is_added_with_201(client, make_actor, as_staff):
    member, association = (
        make_actor(name="Jan"),
        make_actor(name="Vzw Kompas", kind="civic_association"),
    )

    response = client.post(
        RELATIONS,
        json={
            "source_id": member.id,
            "target_id": association.id,
            "type": "member_of",
            "strength": 3,
            "starts_on": "2020-09-01",
            "ends_on": None,
        },
        headers=as_staff,
    )

    assert response.status_code == 201
    assert {k: v for k, v in response.json.items() if k != "id"} == {
        "source_id": member.id,
        "target_id": association.id,
        "type": "member_of",
        "strength": 3,
        "starts_on": "2020-09-01",
        "ends_on": None,
    }


def test_a_relation_gets_strength_1_by_default(client, make_actor, as_staff):
    one, two = make_actor(), make_actor()

    response = client.post(
        RELATIONS,
        json={"source_id": one.id, "target_id": two.id, "type": "knows"},
        headers=as_staff,
    )

    assert response.json["strength"] == 1


def test_an_actor_cannot_have_a_relation_with_itself(client, make_actor, as_staff, relation_count):
    actor = make_actor()

    response = client.post(
        RELATIONS,
        json={"source_id": actor.id, "target_id": actor.id, "type": "knows"},
        headers=as_staff,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["target_id"]
    assert relation_count() == 0


def test_a_duplicate_relation_is_refused(client, make_actor, as_staff, relation_count):
    one, two = make_actor(), make_actor()
    body = {"source_id": one.id, "target_id": two.id, "type": "works_for"}
    client.post(RELATIONS, json=body, headers=as_staff)

    response = client.post(RELATIONS, json=body, headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["target_id"]
    assert relation_count() == 1


def test_a_symmetric_relation_the_other_way_round_is_a_duplicate(
    client, make_actor, as_staff, relation_count
):
    one, two = make_actor(), make_actor()
    client.post(
        RELATIONS,
        json={"source_id": one.id, "target_id": two.id, "type": "knows"},
        headers=as_staff,
    )

    response = client.post(
        RELATIONS,
        json={"source_id": two.id, "target_id": one.id, "type": "knows"},
        headers=as_staff,
    )

    assert response.status_code == 422
    assert relation_count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "enemy_of"}, "type"),
        ({"strength": 4}, "strength"),
        ({"strength": 0}, "strength"),
        ({"starts_on": "2021-02-30"}, "starts_on"),
        ({"starts_on": "2022-01-01", "ends_on": "2021-01-01"}, "ends_on"),
        ({"target_id": 2147483647}, "target_id"),
        ({"target_id": 99999999999999999999}, "target_id"),
        ({"target_id": -1}, "target_id"),
        ({"target_id": 0}, "target_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_relation_is_refused_naming_the_field(
    client, make_actor, as_staff, relation_count, change, field
):
    one, two = make_actor(), make_actor()
    body = {"source_id": one.id, "target_id": two.id, "type": "knows", **change}

    response = client.post(RELATIONS, json=body, headers=as_staff)

    assert response.status_code == 422
    assert field in response.json["errors"]
    assert relation_count() == 0


def test_source_target_and_type_are_required(client, as_staff):
    response = client.post(RELATIONS, json={}, headers=as_staff)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"source_id", "target_id", "type"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("source_id", "1"), ("target_id", 1.5), ("strength", "2"), ("type", 3), ("target_id", True)],
)
def test_a_relation_value_of_the_wrong_json_type_is_refused_with_400(
    client, make_actor, as_staff, field, value
):
    one, two = make_actor(), make_actor()
    body = {"source_id": one.id, "target_id": two.id, "type": "knows", field: value}

    response = client.post(RELATIONS, json=body, headers=as_staff)

    assert response.status_code == 400
    assert list(response.json["errors"]) == [field]


def test_a_relation_is_removed_with_204(client, make_actor, as_staff, relation_count):
    one, two = make_actor(), make_actor()
    created = client.post(
        RELATIONS,
        json={"source_id": one.id, "target_id": two.id, "type": "knows"},
        headers=as_staff,
    )

    response = client.delete(f"{RELATIONS}/{created.json['id']}", headers=as_staff)
    again = client.delete(f"{RELATIONS}/{created.json['id']}", headers=as_staff)

    assert response.status_code == 204
    assert again.status_code == 404
    assert relation_count() == 0


@pytest.mark.parametrize("relation_id", ["-1", "0", "99999999999999999999", "01", "١", "777"])
def test_removing_a_relation_that_cannot_exist_answers_404(client, as_staff, relation_id):
    response = client.delete(f"{RELATIONS}/{relation_id}", headers=as_staff)

    assert response.status_code == 404
    assert response.json["errors"]["_"]


def test_deleting_an_actor_removes_its_relations(
    client, make_actor, as_staff, as_admin, relation_count
):
    one, two = make_actor(), make_actor()
    client.post(
        RELATIONS,
        json={"source_id": one.id, "target_id": two.id, "type": "knows"},
        headers=as_staff,
    )

    client.delete(f"{API}/actors/{one.id}", headers=as_admin)

    assert relation_count() == 0
