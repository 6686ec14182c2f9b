"""Paths and methods the API does not have answer JSON, like every other API error."""

from tests.api.conftest import API


def test_an_unknown_api_path_answers_404_json(client, as_staff):
    response = client.get(f"{API}/stakeholders", headers=as_staff)

    assert response.status_code == 404
    assert response.json["errors"]["_"]


def test_a_method_the_route_lacks_answers_405_json(client, make_actor, as_staff):
    actor = make_actor()

    response = client.put(f"{API}/actors/{actor.id}", json={}, headers=as_staff)

    assert response.status_code == 405
    assert response.json["errors"]["_"]


def test_a_405_names_the_methods_the_route_has_in_allow(client, make_actor, as_staff):
    actor = make_actor()

    response = client.open(f"{API}/actors/{actor.id}", method="TRACE", headers=as_staff)

    assert response.status_code == 405
    assert {"GET", "PATCH", "DELETE"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert response.json["errors"]["_"]
