"""API answers carry personal data: none of them is kept in a cache (issue 13)."""

import pytest

from tests.api.conftest import API


@pytest.mark.parametrize("path", ["/actors", "/reach", "/maps/network", "/openapi.json"])
def test_api_answers_are_kept_out_of_every_cache(client, as_staff, make_actor, path):
    make_actor(name="Jan Peeters", phone="03 778 30 60")

    response = client.get(API + path, headers=as_staff)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_an_actor_its_contacts_and_a_refusal_are_kept_out_of_every_cache(
    client, as_staff, make_actor
):
    actor = make_actor(name="Jan Peeters")

    for path, headers in [
        (f"/actors/{actor.id}", as_staff),
        (f"/actors/{actor.id}/contacts", as_staff),
        ("/actors", {}),  # 401
    ]:
        assert client.get(API + path, headers=headers).headers["Cache-Control"] == "no-store"
