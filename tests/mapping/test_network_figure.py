"""The stakeholder map's pictures (mapping/figures/network.py): the band map of a city, the ring
map of a few actors, the ego network, and labels that never overlap (issue 10)."""

import math
import re

import pytest

from crm.clock import utcnow
from demo.city import load_demo_data
from mapping import ReachSettings, analyse, analyse_graph
from mapping.figures import network_figure
from mapping.figures.labels import Label, labels_of, overlapping_pairs, place_labels
from mapping.figures.network import (
    DESKTOP_PLOT_PX,
    PHONE_PLOT_PX,
    RING_DESKTOP_PX,
    band_scale,
    group_scale,
    notable_actors,
    ring_scale,
)
from tests.mapping.conftest import DEFAULTS, NOW, attempted, digital, direct, graph, row


def analysis_of(actors, relations=()):
    return analyse_graph(graph(actors, relations, settings=DEFAULTS), settings=DEFAULTS, now=NOW)


def marker_traces(fig):
    return {t.meta["status"]: t for t in fig.data if t.meta and "status" in t.meta}


def place_of(fig) -> dict[int, tuple[float, float]]:
    """Every actor's position on the figure."""
    return {
        int(node): (float(x), float(y))
        for trace in marker_traces(fig).values()
        for node, x, y in zip(trace.customdata, trace.x, trace.y, strict=True)
    }


def radius(point) -> float:
    return round(math.hypot(*point), 6)


def a_city(count: int) -> list[dict]:
    """`count` residents and businesses, every fourth reached directly, some by e-mail only."""
    actors = []
    for n in range(1, count + 1):
        kind = "business" if n % 5 == 0 else "resident"
        contact = direct(3) if n % 4 == 0 else digital(2) if n % 4 == 1 else {}
        actors.append(row(n, f"Actor {n:03d}", kind=kind, **contact))
    return actors


# --- the band map: the default view of a city ----------------------------------------------


def test_a_city_above_the_ring_limit_is_drawn_as_bands_per_kind():
    fig = network_figure(analysis_of(a_city(200)))

    assert fig.layout.meta == {"level": "actor", "layout": "bands"}
    labels = sorted(a.text for a in fig.layout.annotations if a.name == "group-label")
    # 200 actors: 40 businesses (10 reached directly), 160 residents (40)
    assert labels == [
        "<b>Businesses</b> · 10 of 40 reached directly",
        "<b>Residents</b> · 40 of 160 reached directly",
    ]
    assert fig.layout.title.text == "Stakeholder map: reach per kind"


def test_a_band_shows_its_actors_reached_directly_first_then_digital_then_the_rest():
    fig = network_figure(analysis_of(a_city(200)))

    place = place_of(fig)
    residents = [n for n in range(1, 201) if n % 5]
    by_column = sorted(residents, key=lambda n: (place[n][0], -place[n][1]))
    statuses = [
        "direct" if n % 4 == 0 else "digital_only" if n % 4 == 1 else "none" for n in by_column
    ]
    assert statuses == sorted(statuses, key=["direct", "digital_only", "none"].index)
    # the residents' band lies above the businesses' band (the vocabulary's order)
    assert min(place[n][1] for n in residents) > max(place[n][1] for n in range(5, 201, 5))


def test_every_band_marks_where_the_threshold_share_ends():
    fig = network_figure(analysis_of(a_city(200)))

    ticks = [s for s in fig.layout.shapes if s.name == "threshold"]
    # residents: 160 actors in 3 rows (75 a row) -> half of them end after 80/3 columns
    # businesses: 40 actors in 1 row -> after 20 columns
    assert sorted(round(t.x0, 3) for t in ticks) == [19.5, round(80 / 3 - 0.5, 3)]
    assert [t.name for t in fig.data if t.mode == "lines"] == ["Threshold 50%"]


def test_the_band_map_has_a_legend_of_statuses_by_colour_and_of_kinds_by_shape():
    fig = network_figure(analysis_of(a_city(200)))

    status_legend = [(t.name, t.marker.color) for t in fig.data if t.legend == "legend"]
    kind_legend = [(t.name, t.marker.symbol) for t in fig.data if t.legend == "legend2"]
    assert status_legend == [
        ("Reached directly", "#009E73"),
        ("Digital only", "#56B4E9"),
        ("Attempted", "#E69F00"),
        ("Not reached", "#999999"),
        ("Threshold 50%", None),
    ]
    assert kind_legend == [("Resident", "circle"), ("Business", "square")]
    assert fig.layout.legend.title.text == "Reach"
    assert fig.layout.legend2.title.text == "Kind"
    assert not any(t.showlegend for t in marker_traces(fig).values())


def test_the_band_map_is_as_high_as_its_rows():
    small = network_figure(analysis_of(a_city(160)))
    big = network_figure(analysis_of(a_city(1600)))

    assert small.layout.height < big.layout.height


# --- which actors get a name ---------------------------------------------------------------


def test_notable_actors_are_poverty_organisations_to_visit_then_brokers_then_influence():
    analysis = analysis_of(
        [
            row(1, "Vzw De Brug", kind="poverty_organisation"),
            row(2, "Burgemeester", influence=5, **direct(2)),
            row(3, "Schepen", influence=4, **direct(2)),
            row(4, "Jan", influence=3, **direct(2)),
            row(5, "Buur 5"),
            row(6, "Buur 6"),
            row(7, "Buur 7"),
        ],
        [(4, 5, 1), (4, 6, 1), (4, 7, 1)],
    )

    # 1: a poverty organisation not reached directly; 4 knows three unreached residents;
    # then influence 5 before 4; influence 3 is not high.
    assert notable_actors(analysis, [1, 2, 3, 4, 5, 6, 7]) == [1, 4, 2, 3]


# --- the ring map and the ego network ------------------------------------------------------


def test_a_few_actors_lie_on_rings_around_the_city_by_reach_status():
    analysis = analysis_of(
        [
            row(1, "Jan Peeters", **direct(5)),
            row(2, "Bakkerij Claeys", kind="business", **digital(3)),
            row(3, "Bart Maes", **attempted(2)),
            row(4, "Els Wouters"),
        ]
    )
    fig = network_figure(analysis)

    assert fig.layout.meta == {"level": "actor", "layout": "rings"}
    rings = {node: radius(point) for node, point in place_of(fig).items()}
    assert rings == {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0}
    city = next(t for t in fig.data if t.name == "City")
    assert (float(city.x[0]), float(city.y[0])) == (0.0, 0.0)
    assert sorted(s.x1 for s in fig.layout.shapes if s.name == "ring") == [1, 2, 3, 4]


def test_every_actor_of_a_few_is_named_when_there_is_room():
    analysis = analysis_of([row(n, f"Buur {n}") for n in range(1, 6)])
    fig = network_figure(analysis)

    names = {a.text for a in fig.layout.annotations if a.name in ("actor-label", "wide-only")}
    assert names == {"<b>City</b>", "Buur 1", "Buur 2", "Buur 3", "Buur 4", "Buur 5"}


def ego_analysis():
    """Actor 1 knows 2 and 3; 3 knows 4; 5 stands apart."""
    return analysis_of(
        [
            row(1, "Vzw De Brug", kind="poverty_organisation"),
            row(2, "Jan Peeters", **direct(5)),
            row(3, "Els Wouters"),
            row(4, "Bart Maes"),
            row(5, "Marc Apart"),
        ],
        [(1, 2, 2), (1, 3, 1), (3, 4, 1)],
    )


def test_an_ego_network_has_its_actor_in_the_middle_highlighted_and_named():
    fig = network_figure(ego_analysis(), actor_ids=[1, 2, 3, 4], ego=1)

    assert fig.layout.meta == {"level": "actor", "layout": "ego"}
    place = place_of(fig)
    assert {node: radius(point) for node, point in place.items()} == {
        1: 0.0,
        2: 1.0,
        3: 1.0,
        4: 2.0,
    }
    ego_trace = marker_traces(fig)["none"]
    widths = dict(zip(ego_trace.customdata.tolist(), ego_trace.marker.line.width, strict=True))
    assert widths[1] == 3 and widths[3] == 0.5
    ring = next(t for t in fig.data if t.marker.symbol == "circle-open")
    assert (float(ring.x[0]), float(ring.y[0])) == (0.0, 0.0)
    assert "<b>Vzw De Brug</b>" in [a.text for a in fig.layout.annotations]
    assert fig.layout.title.text == "The network of Vzw De Brug"


def test_the_ego_network_draws_only_the_relations_between_its_actors():
    fig = network_figure(ego_analysis(), actor_ids=[1, 2, 3, 4], ego=1)

    relations = next(t for t in fig.data if t.name == "Relations")
    assert len(relations.x) == 9  # 1-2, 1-3, 3-4: two points and a gap each


# --- labels never overlap --------------------------------------------------------------------


def test_labels_that_would_overlap_are_moved_or_left_out():
    crowded = [[Label(f"Naam {n}", 0.0, 0.0, 12, "left", "middle")] for n in range(3)]
    spread = [
        [Label("Links", 0.0, 0.0, 12, "right", "middle"), Label("Links", 0, 5, 12)],
        [Label("Rechts", 0.0, 0.0, 12, "right", "middle"), Label("Rechts", 0, 5, 12)],
    ]

    assert [lb.text for lb in place_labels(crowded, px_per_unit=10)] == ["Naam 0"]
    placed = place_labels(spread, px_per_unit=10)
    assert [(lb.text, lb.y) for lb in placed] == [("Links", 0.0), ("Rechts", 5)]
    assert overlapping_pairs(placed, px_per_unit=10) == []


def test_no_two_labels_of_a_ring_map_overlap_on_a_phone_nor_on_a_desktop():
    analysis = analysis_of(a_city(150))
    fig = network_figure(analysis)
    reach = fig.layout.xaxis.range[1]

    phone = labels_of(fig, name="actor-label") + labels_of(fig, name="group-label")
    assert phone and overlapping_pairs(phone, px_per_unit=ring_scale(PHONE_PLOT_PX, reach)) == []
    desktop = phone + labels_of(fig, name="wide-only")
    assert overlapping_pairs(desktop, px_per_unit=ring_scale(RING_DESKTOP_PX, reach)) == []


@pytest.fixture
def city_of(session):
    """The analysis of a demo city (demo.city, as `flask bootstrap` loads it) of some size."""

    def load(actors: int):
        load_demo_data(session.connection(), actors=actors, contacts=actors * 10, seed=1)
        session.commit()
        return analyse(session, settings=ReachSettings(), now=utcnow())

    return load


def test_no_two_labels_overlap_on_the_demo_city_and_groups_say_x_of_y(city_of):
    analysis = city_of(2000)
    fig = network_figure(analysis)

    assert fig.layout.meta["layout"] == "bands"
    groups = labels_of(fig, name="group-label")
    assert len(groups) == 7
    assert (
        overlapping_pairs(
            groups,
            px_per_unit=band_scale(PHONE_PLOT_PX)[0],
            px_per_unit_y=band_scale(PHONE_PLOT_PX)[1],
        )
        == []
    )
    every = groups + labels_of(fig, name="wide-only")
    assert len(every) > len(groups)
    x, y = band_scale(DESKTOP_PLOT_PX)
    assert overlapping_pairs(every, px_per_unit=x, px_per_unit_y=y) == []
    kinds = {g.key: g for g in analysis.groups if g.dimension == "kind"}
    poverty = kinds["poverty_organisation"]
    expected = (
        f"<b>Poverty organisations</b> · {poverty.direct} of {poverty.total} reached directly"
    )
    assert expected in [g.text for g in groups]


def test_no_two_group_labels_overlap_on_5000_actors(city_of):
    analysis = city_of(5000)
    fig = network_figure(analysis)

    assert fig.layout.meta["level"] == "group"
    groups = labels_of(fig, name="group-label")
    columns = len(fig.layout.xaxis.tickvals)
    assert len(groups) > 20
    for plot_px in (PHONE_PLOT_PX, DESKTOP_PLOT_PX):
        x, y = group_scale(plot_px, columns)
        assert overlapping_pairs(groups, px_per_unit=x, px_per_unit_y=y) == [], plot_px


# --- every word is translated ---------------------------------------------------------------


def marked(text: str) -> str:
    return f"«{text}»"


LEGENDS = ("legend", "legend2")
VISIBLE_ENGLISH = re.compile(r"\b(of|reached|directly|City|Kind|Reach|Relations|network)\b")


@pytest.mark.parametrize("layout", ["bands", "rings", "ego", "group"])
def test_every_text_of_the_stakeholder_map_goes_through_translate(layout):
    analysis = analysis_of(a_city(200))
    options = {
        "bands": {},
        "rings": {"actor_ids": range(1, 20)},
        "ego": {"actor_ids": range(1, 20), "ego": 4},
        "group": {"node_limit": 10},
    }[layout]
    fig = network_figure(analysis, translate=marked, **options)

    texts = [fig.layout.title.text]
    texts += [a.text for a in fig.layout.annotations if a.name != "wide-only"]
    texts += [t.name for t in fig.data if t.showlegend is not False]
    layout = fig.layout.to_plotly_json()
    texts += [layout.get(name, {}).get("title", {}).get("text", "") for name in LEGENDS]
    texts += [h for t in fig.data for h in (t.hovertext or ())]
    names = {analysis.actor(n)["name"] for n in range(1, 201)}
    for text in texts:
        if text in names or text.strip("<b>/") in names:
            continue  # an actor's own name
        outside = re.sub(r"«.*»", "", re.sub(r"<[^>]+>", "", text))
        assert not VISIBLE_ENGLISH.search(outside), text
