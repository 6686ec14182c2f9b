"""Maps through the API: each chart as plotly figure JSON, filters, ego network, group level."""

import base64

import numpy as np
import pytest

from crm.contacts import log_contact
from crm.relations import add_relation
from tests.api.conftest import API
from tests.api.test_openapi import conforms

MAPS = f"{API}/maps"
NAMES = [
    "network",
    "power-interest",
    "reach-by-kind",
    "reach-by-district",
    "reach-heatmap",
    "reach-over-time",
    "channel-mix",
]


@pytest.fixture
def chain(make_actor, session):
    """jan - mia - bakkerij in Sinaai (mia reached by a visit), kompas alone in Belsele."""
    actors = {
        "jan": make_actor(name="Jan Peeters", district="Sinaai", themes=["wonen"]),
        "mia": make_actor(name="Mia Claes", district="Sinaai", themes=["wonen"]),
        "bakkerij": make_actor(name="Bakkerij Jansens", kind="business", district="Sinaai"),
        "kompas": make_actor(name="Vzw Kompas", kind="poverty_organisation", district="Belsele"),
    }
    for source, target in [("jan", "mia"), ("mia", "bakkerij")]:
        add_relation(
            session,
            source_id=actors[source].id,
            target_id=actors[target].id,
            type="knows",
            strength=2,
        )
    log_contact(session, actor_id=actors["mia"].id, channel="visit", outcome="reached")
    session.commit()
    return {name: actor.id for name, actor in actors.items()}


def values(array) -> list:
    """A plotly JSON array, plain or typed ({"dtype", "bdata"})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array or [])


def actor_ids(figure: dict) -> set[int]:
    return {
        int(c)
        for trace in figure["data"]
        for c in values(trace.get("customdata"))
        if str(c).isdigit()
    }


@pytest.mark.parametrize("name", NAMES)
def test_each_map_is_plotly_figure_json(client, as_staff, chain, name):
    response = client.get(f"{MAPS}/{name}", headers=as_staff)

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert set(response.json) == {"data", "layout"}
    assert response.json["data"]
    conforms(response.json, "PlotlyFigure")


@pytest.mark.parametrize("name", ["network", "reach-by-kind"])
def test_maps_need_a_token(client, name):
    response = client.get(f"{MAPS}/{name}")

    assert response.status_code == 401
    conforms(response.json, "Errors")


@pytest.mark.parametrize("name", ["nothing", "Network", "reach"])
def test_unknown_maps_are_not_found(client, as_staff, name):
    response = client.get(f"{MAPS}/{name}", headers=as_staff)

    assert response.status_code == 404
    conforms(response.json, "Errors")


def test_network_has_every_actor_at_actor_level(client, as_staff, chain):
    figure = client.get(f"{MAPS}/network", headers=as_staff).json

    assert figure["layout"]["meta"]["level"] == "actor"
    assert actor_ids(figure) == set(chain.values())


def test_network_is_the_group_map_above_the_node_limit(client, as_staff, chain, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAP_NODE_LIMIT", 3)

    figure = client.get(f"{MAPS}/network", headers=as_staff).json

    assert figure["layout"]["meta"] == {"level": "group", "layout": "group"}
    groups = {c for trace in figure["data"] for c in values(trace.get("customdata"))}
    assert "kind_district:resident/Sinaai" in groups


def test_filters_narrow_the_network(client, as_staff, chain):
    def ids(query: str) -> set[int]:
        return actor_ids(client.get(f"{MAPS}/network?{query}", headers=as_staff).json)

    assert ids("district=Belsele") == {chain["kompas"]}
    assert ids("kind=business") == {chain["bakkerij"]}
    assert ids("theme=wonen") == {chain["jan"], chain["mia"]}
    assert ids(f"actor={chain['jan']}") == {chain["jan"], chain["mia"]}
    assert ids(f"actor={chain['jan']}&hops=2") == {chain["jan"], chain["mia"], chain["bakkerij"]}


def test_filters_narrow_the_power_interest_grid(client, as_staff, chain):
    figure = client.get(f"{MAPS}/power-interest?kind=business", headers=as_staff).json

    assert actor_ids(figure) == {chain["bakkerij"]}


def test_district_filter_keeps_that_district_on_the_bars(client, as_staff, chain):
    figure = client.get(f"{MAPS}/reach-by-district?district=Sinaai", headers=as_staff).json

    assert values(figure["data"][0]["x"]) == ["Sinaai"]


@pytest.mark.parametrize("query", ["kind=giraffe", "hops=3", "hops=x"])
def test_bad_filters_are_refused(client, as_staff, query):
    response = client.get(f"{MAPS}/network?{query}", headers=as_staff)

    assert response.status_code == 422
    conforms(response.json, "Errors")


@pytest.mark.parametrize("actor", ["0", "abc", "99999"])
def test_an_unknown_ego_actor_is_not_found(client, as_staff, chain, actor):
    response = client.get(f"{MAPS}/network?actor={actor}", headers=as_staff)

    assert response.status_code == 404


def test_titles_follow_the_language(client, as_staff, chain):
    english = client.get(f"{MAPS}/reach-by-kind?lang=en", headers=as_staff).json
    dutch = client.get(f"{MAPS}/reach-by-kind?lang=nl", headers=as_staff).json

    assert english["layout"]["title"]["text"] == "Reached directly per kind"
    assert dutch["layout"]["title"]["text"] != english["layout"]["title"]["text"]


def test_maps_are_gzipped_when_accepted(client, as_staff, chain):
    response = client.get(f"{MAPS}/network", headers={**as_staff, "Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"
