"""The map pages: network map with filters and ego network, grid, dashboard, report, plotly.js."""

import gzip
import json
import re

import pytest
from sqlalchemy import func, select

from crm.contacts import log_contact
from crm.models import Actor
from crm.relations import add_relation

MAX_FIGURE_BYTES = 2 * 1024 * 1024
FIGURE_JSON = re.compile(
    r'<script type="application/json" class="figure-json" data-figure="([^"]+)">(.*?)</script>',
    re.S,
)


@pytest.fixture
def staff(make_user, login):
    user = make_user("staff", name="Sara Staff")
    login(user)
    return user


@pytest.fixture
def sinaai(make_actor, session):
    """Four actors: jan - mia - bakkerij in a chain, kompas apart in Belsele.

    Jan and mia are reached directly: Sinaai (2 of 3) is above the threshold; kompas, a poverty
    organisation nobody visited, is flagged on its own."""
    actors = {
        "jan": make_actor(name="Jan Peeters", district="Sinaai", themes=["wonen"]),
        "mia": make_actor(name="Mia Claes", district="Sinaai", themes=["wonen"]),
        "bakkerij": make_actor(name="Bakkerij Jansens", kind="business", district="Sinaai"),
        "kompas": make_actor(
            name="Vzw Kompas", kind="poverty_organisation", district="Belsele", influence=5
        ),
    }
    add_relation(
        session, source_id=actors["jan"].id, target_id=actors["mia"].id, type="knows", strength=2
    )
    add_relation(
        session,
        source_id=actors["mia"].id,
        target_id=actors["bakkerij"].id,
        type="knows",
        strength=2,
    )
    log_contact(session, actor_id=actors["mia"].id, channel="visit", outcome="reached")
    log_contact(session, actor_id=actors["jan"].id, channel="phone", outcome="reached")
    session.commit()
    return {name: actor.id for name, actor in actors.items()}


def figures_of(response) -> dict[str, dict]:
    """The figures embedded in a page, by name (each checked to be under 2 MB)."""
    page = response.get_data(as_text=True)
    found = {}
    for name, text in FIGURE_JSON.findall(page):
        assert len(text.encode()) < MAX_FIGURE_BYTES
        found[name] = json.loads(text)
    return found


def network_actor_ids(figure: dict) -> set[int]:
    """The actor ids on the network map (the node traces' customdata)."""
    ids = set()
    for trace in figure["data"]:
        custom = trace.get("customdata")
        if isinstance(custom, dict):  # a typed array: {"dtype": ..., "bdata": ...}
            import base64

            import numpy as np

            custom = np.frombuffer(base64.b64decode(custom["bdata"]), dtype=custom["dtype"])
        if custom is not None:
            ids |= {int(c) for c in custom if str(c).isdigit()}
    return ids


@pytest.mark.parametrize(
    "path", ["/maps", "/maps/power-interest", "/maps/dashboard", "/maps/report"]
)
def test_map_pages_need_a_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_plotly_js_needs_a_login_too(client):
    assert client.get("/assets/plotly.min.js").status_code == 302


def test_the_menu_links_to_the_maps(client, staff):
    page = client.get("/actors").get_data(as_text=True)

    assert 'href="/maps"' in page


def test_the_network_map_speaks_dutch_in_its_hover_texts_labels_and_legends(client, staff, sinaai):
    figure = figures_of(client.get("/maps"))["network"]

    hovers = [h for trace in figure["data"] for h in trace.get("hovertext") or ()]
    jan = next(h for h in hovers if "Jan Peeters" in h)
    assert "Soort: Bewoner" in jan and "Deelgemeente: Sinaai" in jan
    assert "Laatste rechtstreeks contact: " in jan
    kompas = next(h for h in hovers if "Vzw Kompas" in h)
    assert "Volgende stap: Zoek contactgegevens" in kompas
    english = re.compile(r"Last direct contact|Next action|Kind:|District:|reached directly|City")
    texts = hovers + [a["text"] for a in figure["layout"]["annotations"]]
    texts += [t["name"] for t in figure["data"] if "name" in t] + [
        figure["layout"]["title"]["text"]
    ]
    assert [t for t in texts if english.search(t)] == []
    assert figure["layout"]["title"]["text"] == "Stakeholdernetwerk: 2 van 4 rechtstreeks"


def test_network_map_embeds_the_figure_with_every_actor_and_a_table(client, staff, sinaai):
    response = client.get("/maps")

    assert response.status_code == 200
    figure = figures_of(response)["network"]
    assert figure["layout"]["meta"] == {"level": "actor", "layout": "rings"}
    assert network_actor_ids(figure) == set(sinaai.values())
    page = response.get_data(as_text=True)
    assert 'id="network-table"' in page
    assert page.count("<tr data-actor-id=") == 4
    assert "plotly.min.js" in page and "maps.js" in page
    assert "<script>" not in page  # no inline script: the CSP forbids it


def test_district_filter_narrows_the_network_map(client, staff, sinaai):
    figure = figures_of(client.get("/maps?district=Belsele"))["network"]

    assert network_actor_ids(figure) == {sinaai["kompas"]}


def test_kind_and_theme_filters_narrow_the_network_map(client, staff, sinaai):
    by_kind = figures_of(client.get("/maps?kind=business"))["network"]
    by_theme = figures_of(client.get("/maps?theme=wonen"))["network"]

    assert network_actor_ids(by_kind) == {sinaai["bakkerij"]}
    assert network_actor_ids(by_theme) == {sinaai["jan"], sinaai["mia"]}


def test_ego_network_of_one_hop_and_of_two_hops(client, staff, sinaai):
    one = figures_of(client.get(f"/maps?actor={sinaai['jan']}&hops=1"))["network"]
    two = figures_of(client.get(f"/maps?actor={sinaai['jan']}&hops=2"))["network"]

    assert network_actor_ids(one) == {sinaai["jan"], sinaai["mia"]}
    assert network_actor_ids(two) == {sinaai["jan"], sinaai["mia"], sinaai["bakkerij"]}


def test_flagged_groups_only_leaves_out_actors_of_groups_doing_fine(client, staff, sinaai):
    figure = figures_of(client.get("/maps?flagged=1"))["network"]

    assert network_actor_ids(figure) == {sinaai["kompas"]}


def test_above_the_node_limit_the_map_shows_groups(client, staff, sinaai, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAP_NODE_LIMIT", 2)

    response = client.get("/maps")

    figure = figures_of(response)["network"]
    assert figure["layout"]["meta"] == {"level": "group", "layout": "group"}
    page = response.get_data(as_text=True)
    assert 'id="group-level"' in page and 'id="network-groups-table"' in page


def test_the_group_table_drills_down_into_each_group_also_the_one_without_district(
    client, staff, sinaai, make_actor, app, monkeypatch
):
    nowhere = make_actor(name="Anna Zonder", district=None).id
    monkeypatch.setitem(app.config, "MAP_NODE_LIMIT", 2)

    page = client.get("/maps").get_data(as_text=True)

    links = dict(
        re.findall(r'<tr data-group="([^"]+)">\s*<td><a class="drill-down" href="([^"]+)"', page)
    )
    assert set(links) == {
        "resident/Sinaai",
        "business/Sinaai",
        "poverty_organisation/Belsele",
        "resident/—",
    }
    assert "No district" in page or "Geen deelgemeente" in page
    drilled = figures_of(client.get(links["resident/—"].replace("&amp;", "&")))["network"]
    assert network_actor_ids(drilled) == {nowhere}
    drilled = figures_of(client.get(links["resident/Sinaai"].replace("&amp;", "&")))["network"]
    assert network_actor_ids(drilled) == {sinaai["jan"], sinaai["mia"]}


def test_the_district_filter_offers_the_actors_without_district(client, staff, sinaai):
    page = client.get("/maps?district=—").get_data(as_text=True)

    assert re.search(r'<option value="—" selected>', page)
    assert network_actor_ids(figures_of(client.get("/maps?district=—"))["network"]) == set()


def test_power_interest_counts_actors_per_score_above_the_node_limit(
    client, staff, sinaai, app, monkeypatch
):
    monkeypatch.setitem(app.config, "MAP_NODE_LIMIT", 3)

    response = client.get("/maps/power-interest")

    figure = figures_of(response)["power-interest"]
    assert figure["layout"]["meta"] == {"level": "cell"}
    page = response.get_data(as_text=True)
    assert 'id="cell-level"' in page and 'id="power-interest-cells"' in page
    assert "<tr data-actor-id=" not in page  # no row per actor above the limit
    rows = [
        (quadrant, *re.findall(r"<td[^>]*>(\d+)</td>", cells))
        for quadrant, cells in re.findall(r'<tr data-quadrant="(\w+)">(.*?)</tr>', page, re.S)
    ]
    # influence, interest, known, direct, digital only, attempted, not reached, need attention:
    # kompas: influence 5, interest 3, not reached; the three others: 3 and 3, two reached
    assert rows == [
        ("keep_satisfied", "5", "3", "1", "0", "0", "0", "1", "1"),
        ("monitor", "3", "3", "3", "2", "0", "0", "1", "0"),
    ]
    assert "In het oog houden" in page and "Opvolgen<" not in page  # not the follow-ups' word


def test_power_interest_grid_with_its_table(client, staff, sinaai):
    response = client.get("/maps/power-interest")

    assert "power-interest" in figures_of(response)
    page = response.get_data(as_text=True)
    assert 'id="power-interest-table"' in page
    kompas_row = re.search(rf'<tr data-actor-id="{sinaai["kompas"]}"[^>]*>', page).group(0)
    assert 'data-quadrant="keep_satisfied"' in kompas_row and "attention" in kompas_row


def test_dashboard_shows_the_reach_charts_and_their_tables(client, staff, sinaai):
    response = client.get("/maps/dashboard")

    assert set(figures_of(response)) == {
        "reach-by-kind",
        "reach-by-district",
        "reach-heatmap",
        "reach-over-time",
        "channel-mix",
    }
    page = response.get_data(as_text=True)
    for table in ("kind-table", "district-table", "kind-district-table"):
        assert f'id="{table}"' in page


def test_dashboard_district_filter_keeps_that_district_only(client, staff, sinaai):
    figures = figures_of(client.get("/maps/dashboard?district=Sinaai"))

    assert list(figures["reach-by-district"]["data"][0]["x"]) == ["Sinaai"]


def test_print_report_lists_the_flagged_groups_with_the_charts(client, staff, sinaai):
    response = client.get("/maps/report")

    page = response.get_data(as_text=True)
    assert len(figures_of(response)) == 5
    assert 'id="flagged-groups"' in page and 'id="poverty-count"' in page
    assert "maps-print.css" in page and "maps-print.js" in page


def test_print_report_names_each_flag_once_above_its_groups(client, staff, sinaai):
    # Every group of the four actors has fewer than 3 known actors but Sinaai (2 of 3 direct):
    # 3 kinds, Belsele, 3 kinds in a district and the theme wonen.
    page = client.get("/maps/report").get_data(as_text=True)

    flagged = page[page.index('id="flagged-groups"') : page.index('id="poverty-count"')]
    assert 'id="flagged-too_few_known"' in flagged
    assert 'id="flagged-under_reached"' not in flagged
    assert flagged.count("Te weinig gekend") == 1
    assert "<caption>Te weinig gekend (8)</caption>" in flagged
    assert 'data-group="kind_district:poverty_organisation/Belsele"' in flagged
    assert 'data-group="district:Sinaai"' not in flagged


def test_print_report_lists_only_the_flagged_groups_the_filters_keep(client, staff, sinaai):
    page = client.get("/maps/report?district=Sinaai").get_data(as_text=True)

    flagged = page[page.index('id="flagged-groups"') : page.index('id="table-view"')]
    assert 'data-group="kind_district:resident/Sinaai"' in flagged
    assert 'data-group="district:Belsele"' not in flagged


def test_pages_are_gzipped_when_the_browser_accepts_it(client, staff, sinaai):
    response = client.get("/maps", headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert b"figure-json" in gzip.decompress(response.get_data())


def test_the_network_table_view_is_paged_and_the_map_shows_every_actor(client, staff, session):
    from demo.city import load_demo_data

    load_demo_data(session.connection(), actors=160, contacts=0, seed=3)
    session.commit()
    shown = session.scalar(select(func.count()).where(Actor.archived.is_(False)))

    first = client.get("/maps")
    second = client.get("/maps?page=2")

    rows = re.compile(r'<tr data-actor-id="(\d+)"')
    assert len(rows.findall(first.get_data(as_text=True))) == 100
    assert len(rows.findall(second.get_data(as_text=True))) == shown - 100
    assert "Pagina 1 van 2" in first.get_data(as_text=True)
    assert len(network_actor_ids(figures_of(first)["network"])) == shown


@pytest.mark.parametrize("path", ["/maps", "/maps/power-interest", "/maps/dashboard"])
def test_an_empty_city_says_nothing_is_mapped_yet_not_that_no_filter_matches(staff, client, path):
    page = client.get(f"{path}?lang=en").get_data(as_text=True)

    assert "these filters" not in page
    assert "No actors yet." in page or "No groups yet: add actors first." in page
