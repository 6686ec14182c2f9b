"""Archived actors through the API: read-only until restored (422 on the actor's fields and
relations; `"archived": false` restores first)."""

import pytest

from crm.actors import set_archived
from crm.relations import add_relation
from tests.api.conftest import API

ACTORS = f"{API}/actors"
RELATIONS = f"{API}/relations"
REFUSED = "Buurtwerk De Klaproos is gearchiveerd: zet de actor eerst terug om hem te wijzigen."


@pytest.fixture
def archived(session, make_actor):
    actor = make_actor(name="Buurtwerk De Klaproos", kind="civic_association", notes="Oud.")
    actor = set_archived(session, actor.id, True)
    session.commit()
    return actor


def test_a_patch_of_an_archived_actors_fields_is_refused_with_422(client, archived, as_coordinator):
    url = f"{ACTORS}/{archived.id}"

    response = client.patch(
        url, json={"version": archived.version, "notes": "Verhuisd."}, headers=as_coordinator
    )

    assert response.status_code == 422
    assert response.json["errors"] == {"actor": [REFUSED]}
    after = client.get(url, headers=as_coordinator).json
    assert (after["notes"], after["version"]) == ("Oud.", archived.version)


def test_a_patch_that_restores_also_changes_the_fields(client, archived, as_coordinator):
    response = client.patch(
        f"{ACTORS}/{archived.id}",
        json={"version": archived.version, "archived": False, "notes": "Verhuisd."},
        headers=as_coordinator,
    )

    assert response.status_code == 200
    assert (response.json["archived"], response.json["notes"]) == (False, "Verhuisd.")


@pytest.mark.parametrize("side", ["source_id", "target_id"])
def test_a_relation_with_an_archived_actor_is_refused_with_422(
    client, make_actor, archived, as_staff, relation_count, side
):
    other = make_actor(name="Jan Peeters")
    ends = {"source_id": archived.id, "target_id": other.id}
    if side == "target_id":
        ends = {"source_id": other.id, "target_id": archived.id}

    response = client.post(RELATIONS, json={**ends, "type": "knows"}, headers=as_staff)

    assert response.status_code == 422
    assert response.json["errors"] == {side: [REFUSED]}
    assert relation_count() == 0


def test_removing_a_relation_of_an_archived_actor_is_refused_with_422(
    client, session, make_actor, as_staff, relation_count
):
    actor = make_actor(name="Buurtwerk De Klaproos", kind="civic_association")
    relation = add_relation(
        session, source_id=make_actor(name="Jan").id, target_id=actor.id, type="member_of"
    )
    set_archived(session, actor.id, True)
    session.commit()

    response = client.delete(f"{RELATIONS}/{relation.id}", headers=as_staff)

    assert response.status_code == 422
    assert response.json["errors"] == {"target_id": [REFUSED]}
    assert relation_count() == 1
