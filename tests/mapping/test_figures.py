"""mapping/figures.py: the maps and charts of issue 4, checked through fig.data / fig.layout on
tiny literal analyses (no database)."""

import math
import time

import numpy as np
import plotly.colors
import pytest

from crm.power_interest import quadrant
from mapping import ReachSettings, analyse_graph
from mapping.figures import (
    CITY_COLOUR,
    KIND_SYMBOLS,
    STATUS_COLOURS,
    GroupCell,
    PowerInterestCell,
    group_map_cells,
    network_figure,
    power_interest_cells,
    power_interest_figure,
    reach_bar_figure,
    reach_heatmap_figure,
)
from tests.mapping.conftest import (
    DEFAULTS,
    NOW,
    attempted,
    dashboard_rows,
    digital,
    direct,
    graph,
    row,
)


def analysis_of(actors, relations=(), settings=DEFAULTS):
    return analyse_graph(graph(actors, relations, settings=settings), settings=settings, now=NOW)


def five_actors():
    """Two kinds in two districts: resident/Sint-Niklaas has two actors, the others one each."""
    return analysis_of(
        [
            row(1, "Jan Peeters", **direct(5)),
            row(2, "Bakkerij Claeys", kind="business", **digital(3)),
            row(3, "Bart Maes", **attempted(2)),
            row(4, "Els Wouters", district="Sinaai"),
            row(5, "Garage Sinaai", kind="business", district="Sinaai", **direct(1)),
        ],
        [(1, 2, 2), (2, 3, 1), (4, 5, 3)],
    )


def marker_traces(fig):
    """The actor marker traces, by the reach status they show."""
    return {t.meta["status"]: t for t in fig.data if t.meta and "status" in t.meta}


def trace_named(fig, name):
    (trace,) = [t for t in fig.data if t.name == name]
    return trace


# --- network map ------------------------------------------------------------------------------


def test_network_nodes_are_coloured_by_reach_status_one_trace_per_status():
    fig = network_figure(five_actors())

    traces = marker_traces(fig)
    assert {s: t.marker.color for s, t in traces.items()} == {
        "direct": "#009E73",
        "digital_only": "#56B4E9",
        "attempted": "#E69F00",
        "none": "#999999",
    }
    assert {s: sorted(t.customdata.tolist()) for s, t in traces.items()} == {
        "direct": [1, 5],
        "digital_only": [2],
        "attempted": [3],
        "none": [4],
    }
    assert {s: t.name for s, t in traces.items()} == {
        "direct": "Reached directly",
        "digital_only": "Digital only",
        "attempted": "Attempted",
        "none": "Not reached",
    }
    assert fig.layout.meta["level"] == "actor"


def test_network_marker_symbols_follow_the_kind():
    fig = network_figure(five_actors())

    direct_trace = marker_traces(fig)["direct"]
    assert list(zip(direct_trace.customdata.tolist(), direct_trace.marker.symbol, strict=True)) == [
        (1, KIND_SYMBOLS["resident"]),
        (5, KIND_SYMBOLS["business"]),
    ]


def test_network_has_the_city_node_in_black_and_relations_as_one_line_trace():
    fig = network_figure(five_actors())

    city = trace_named(fig, "City")
    assert city.marker.color == CITY_COLOUR == "#000000"
    relations = trace_named(fig, "Relations")
    assert relations.mode == "lines"
    # three relations, each two points and a gap
    assert len(relations.x) == 9
    assert [math.isnan(v) for v in relations.x] == [False, False, True] * 3
    city_links = trace_named(fig, "Reached directly by the city")
    assert len(city_links.x) == 6  # actors 1 and 5


def test_network_relation_segments_join_the_actor_markers():
    fig = network_figure(five_actors())

    where = {}
    for trace in marker_traces(fig).values():
        for node, x, y in zip(trace.customdata.tolist(), trace.x, trace.y, strict=True):
            where[(float(x), float(y))] = node
    relations = trace_named(fig, "Relations")
    pairs = {
        frozenset(
            (
                where[(float(relations.x[i]), float(relations.y[i]))],
                where[(float(relations.x[i + 1]), float(relations.y[i + 1]))],
            )
        )
        for i in range(0, len(relations.x), 3)
    }
    assert pairs == {frozenset({1, 2}), frozenset({2, 3}), frozenset({4, 5})}


def test_network_coordinates_are_float32_arrays():
    fig = network_figure(five_actors())

    trace = marker_traces(fig)["direct"]
    assert trace.x.dtype == np.float32 and trace.y.dtype == np.float32


def test_network_hover_shows_name_kind_district_last_direct_contact_and_next_action():
    analysis = analysis_of(
        [row(1, "Jan Peeters", **direct(10))]
        + [row(n, f"Buur {n}", phone="+32475123456") for n in (2, 3)]
    )
    fig = network_figure(analysis)

    assert marker_traces(fig)["direct"].hovertext == (
        "<b>Jan Peeters</b><br>Kind: Resident<br>District: Sint-Niklaas"
        "<br>Last direct contact: 2026-05-31",
    )
    hover = marker_traces(fig)["none"].hovertext[0]
    assert hover.startswith("<b>Buur 2</b><br>Kind: Resident<br>District: Sint-Niklaas")
    assert "Last direct contact: —" in hover
    assert "Next action: Call (" in hover


def test_network_hover_escapes_names():
    fig = network_figure(analysis_of([row(1, "<script>x</script>")]))

    assert "<script>" not in marker_traces(fig)["none"].hovertext[0]


def test_network_title_and_hidden_axes():
    fig = network_figure(five_actors())

    assert fig.layout.title.text == "Stakeholder network: 2 of 5 reached directly"
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_network_labels_go_through_translate():
    dutch = {
        "Stakeholder network": "Stakeholdersnetwerk",
        "Reached directly": "Direct bereikt",
        "%(direct)d of %(total)d reached directly": "%(direct)d van %(total)d rechtstreeks",
    }
    fig = network_figure(five_actors(), translate=lambda s: dutch.get(s, s))

    assert fig.layout.title.text == "Stakeholdersnetwerk: 2 van 5 rechtstreeks"
    assert marker_traces(fig)["direct"].name == "Direct bereikt"


def test_network_can_be_restricted_to_some_actors():
    fig = network_figure(five_actors(), actor_ids=[1, 2, 3])

    shown = sorted(n for t in marker_traces(fig).values() for n in t.customdata.tolist())
    assert shown == [1, 2, 3]
    assert len(trace_named(fig, "Relations").x) == 6  # 1-2 and 2-3


def test_the_same_data_gives_the_same_layout():
    def coordinates():
        traces = marker_traces(network_figure(five_actors()))
        return {s: (t.x.tolist(), t.y.tolist()) for s, t in sorted(traces.items())}

    assert coordinates() == coordinates()


# --- group map --------------------------------------------------------------------------------


def test_group_map_kicks_in_above_the_node_limit():
    fig = network_figure(five_actors(), node_limit=3)

    assert fig.layout.meta == {"level": "group", "layout": "group"}
    groups = trace_named(fig, "Groups")
    assert list(groups.customdata) == [
        "kind_district:business/Sinaai",
        "kind_district:business/Sint-Niklaas",
        "kind_district:resident/Sinaai",
        "kind_district:resident/Sint-Niklaas",
    ]
    assert groups.meta == {"totals": [1, 1, 1, 2], "direct": [1, 0, 0, 1]}
    sizes = groups.marker.size.tolist()
    assert sizes[0] == sizes[1] == sizes[2] < sizes[3]
    assert groups.marker.color.tolist() == [1.0, 0.0, 0.0, 0.5]
    assert (groups.marker.cmin, groups.marker.cmax) == (0, 1)
    assert groups.marker.colorscale[0][1] == plotly.colors.sequential.Cividis[0]
    assert fig.layout.title.text == "Stakeholder groups: reached directly per kind and district"


def test_group_map_puts_kinds_in_rows_and_districts_in_columns():
    fig = network_figure(five_actors(), node_limit=3)

    groups = trace_named(fig, "Groups")
    place = {
        ident: (float(x), round(float(y), 2))
        for ident, x, y in zip(groups.customdata, groups.x, groups.y, strict=True)
    }
    # residents first (the vocabulary's order), then businesses; districts by name
    assert place == {
        "kind_district:resident/Sinaai": (0.0, -0.42),
        "kind_district:resident/Sint-Niklaas": (1.0, -0.42),
        "kind_district:business/Sinaai": (0.0, -1.42),
        "kind_district:business/Sint-Niklaas": (1.0, -1.42),
    }
    assert list(fig.layout.xaxis.ticktext) == ["Sinaai", "Sint-Niklaas"]
    assert [t for t in fig.data if t.mode == "lines"] == []


def test_group_map_labels_each_group_with_its_share_and_counts():
    fig = network_figure(five_actors(), node_limit=3)

    labels = sorted(a.text for a in fig.layout.annotations if a.name == "group-label")
    assert labels == [
        "<b>0%</b><br>0/1",
        "<b>0%</b><br>0/1",
        "<b>100%</b><br>1/1",
        "<b>50%</b><br>1/2",
        "<b>Businesses</b>",
        "<b>Residents</b>",
    ]


def test_group_map_colour_bar_is_in_percent_and_marks_the_threshold():
    fig = network_figure(five_actors(), node_limit=3)

    bar = trace_named(fig, "Groups").marker.colorbar
    assert list(bar.tickvals) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert list(bar.ticktext) == ["0%", "25%", "threshold 50%", "75%", "100%"]
    assert bar.title.text == "Share reached directly"


def test_no_group_map_at_the_node_limit():
    assert network_figure(five_actors(), node_limit=5).layout.meta["level"] == "actor"


def test_group_map_counts_the_actors_after_the_filter():
    fig = network_figure(five_actors(), node_limit=3, actor_ids=[1, 2, 3])

    assert fig.layout.meta["level"] == "actor"


def test_actors_without_district_form_their_own_group_on_the_group_map():
    analysis = analysis_of(
        [
            row(1, "Jan Peeters", **direct(5)),
            row(2, "Els Wouters", district=None, **direct(2)),
            row(3, "Bart Maes", district=None),
        ]
    )

    fig = network_figure(analysis, node_limit=1)

    groups = trace_named(fig, "Groups")
    assert list(groups.customdata) == [
        "kind_district:resident/Sint-Niklaas",
        "kind_district:resident/—",
    ]
    assert groups.meta == {"totals": [1, 2], "direct": [1, 1]}
    assert group_map_cells(analysis) == [
        GroupCell("resident", "Sint-Niklaas", total=1, direct=1),
        GroupCell("resident", "—", total=2, direct=1),
    ]


def test_group_map_of_some_actors_counts_only_them():
    fig = network_figure(five_actors(), node_limit=1, actor_ids=[1, 2, 4, 5])

    groups = trace_named(fig, "Groups")
    assert groups.meta == {"totals": [1, 1, 1, 1], "direct": [1, 0, 0, 1]}


# --- power / interest -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (1, 1, "monitor"),
        (3, 3, "monitor"),
        (3, 4, "keep_informed"),
        (4, 3, "keep_satisfied"),
        (4, 4, "manage_closely"),
        (5, 5, "manage_closely"),
        (5, 1, "keep_satisfied"),
        (1, 5, "keep_informed"),
    ],
)
def test_quadrant_is_exact_at_the_boundaries(influence, interest, expected):
    assert quadrant(influence, interest) == expected


def test_power_interest_colours_statuses_and_highlights_important_actors_not_reached():
    analysis = analysis_of(
        [
            row(1, "Schepen", influence=5, interest=2, **direct(3)),
            row(2, "Buurtcomité", influence=2, interest=5, **digital(3)),
            row(3, "Bewoner", influence=2, interest=2),
            row(4, "Bedrijf", influence=4, interest=4, **attempted(3)),
        ]
    )
    fig = power_interest_figure(analysis)

    traces = marker_traces(fig)
    assert {s: t.marker.color for s, t in traces.items()} == {
        s: STATUS_COLOURS[s] for s in ("direct", "digital_only", "attempted", "none")
    }
    outline = {
        node: width
        for t in traces.values()
        for node, width in zip(t.customdata.tolist(), t.marker.line.width, strict=True)
    }
    assert outline == {1: 0.5, 2: 3, 3: 0.5, 4: 3}
    assert (traces["digital_only"].x[0], traces["digital_only"].y[0]) == (5, 2)


QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")


def scored_actors():
    return analysis_of(
        [
            row(1, "Schepen", influence=5, interest=4, **direct(3)),
            row(2, "Buurtcomité", influence=5, interest=4),
            row(3, "Bewoner", influence=2, interest=2),
            row(4, "Bedrijf", influence=5, interest=4, **direct(1)),
            row(5, "School", influence=2, interest=2, **direct(1)),
        ]
    )


def test_power_interest_counts_the_actors_per_cell_above_the_node_limit():
    fig = power_interest_figure(scored_actors(), node_limit=4)

    assert fig.layout.meta == {"level": "cell"}
    bars = {t.meta["status"]: t for t in fig.data if t.type == "bar"}
    assert {s: t.y.tolist() for s, t in bars.items()} == {
        "direct": [5.0, 2.0],
        "digital_only": [],
        "attempted": [],
        "none": [5.0, 2.0],
    }
    assert "Influence 5, interest 4. Not reached: 1 of 3" in bars["none"].hovertext
    (counts,) = [t for t in fig.data if t.meta and "counts" in t.meta]
    assert list(counts.text) == ["3", "2"]
    (attention,) = [t for t in fig.data if t.meta and "attention" in t.meta]
    assert attention.meta == {"attention": [1]}  # 2 needs attention; 3 is low and low
    assert len([a for a in fig.layout.annotations if a.name in QUADRANTS]) == 4


def test_power_interest_cells_are_exact():
    assert power_interest_cells(scored_actors()) == [
        PowerInterestCell(5, 4, direct=2, digital_only=0, attempted=0, none=1, attention=1),
        PowerInterestCell(2, 2, direct=1, digital_only=0, attempted=0, none=1, attention=0),
    ]
    assert power_interest_cells(scored_actors(), actor_ids=[3]) == [
        PowerInterestCell(2, 2, direct=0, digital_only=0, attempted=0, none=1, attention=0),
    ]
    assert PowerInterestCell(5, 4, 0, 0, 0, 1, 1).quadrant == "manage_closely"
    assert PowerInterestCell(5, 4, 2, 0, 0, 1, 1).total == 3


def test_power_interest_shows_every_actor_at_the_node_limit():
    assert power_interest_figure(scored_actors(), node_limit=5).layout.meta == {"level": "actor"}


def test_power_interest_can_be_restricted_to_some_actors():
    fig = power_interest_figure(scored_actors(), actor_ids=[2, 3, 99])

    shown = sorted(node for t in marker_traces(fig).values() for node in t.customdata.tolist())
    assert shown == [2, 3]


def test_power_interest_has_quadrant_lines_labels_title_and_axes():
    fig = power_interest_figure(scored_actors())

    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert sorted((s.x0, s.x1, s.y0, s.y1) for s in lines) == [
        (0.5, 5.5, 3.5, 3.5),
        (3.5, 3.5, 0, 1),
    ]
    labels = {
        a.name: (a.text, a.x > 3.5, a.y > 3.5)
        for a in fig.layout.annotations
        if a.name in QUADRANTS
    }
    assert labels == {
        "manage_closely": ("<b>Manage closely</b>", True, True),
        "keep_satisfied": ("<b>Keep satisfied</b>", False, True),
        "keep_informed": ("<b>Keep informed</b>", True, False),
        "monitor": ("<b>Monitor</b>", False, False),
    }
    assert fig.layout.title.text == "Power and interest"
    assert fig.layout.xaxis.title.text == "Interest"
    assert fig.layout.yaxis.title.text == "Influence"


# --- reach dashboard --------------------------------------------------------------------------


def dashboard_analysis():
    """Residents: 2 of 4 direct (two districts); businesses: 1 of 3 direct (one district)."""
    return analysis_of(dashboard_rows(), settings=ReachSettings(threshold=0.4))


def test_reach_bars_per_kind_and_the_threshold_line():
    fig = reach_bar_figure(dashboard_analysis())

    (bars,) = fig.data
    assert list(bars.x) == ["Resident", "Business"]
    assert list(bars.y) == [0.5, 0.3333]
    assert list(bars.text) == ["2/4", "1/3"]
    assert list(bars.marker.color) == [STATUS_COLOURS["direct"], STATUS_COLOURS["attempted"]]
    (line,) = fig.layout.shapes
    assert (line.y0, line.y1) == (0.4, 0.4)
    assert fig.layout.title.text == "Reached directly per kind"
    assert fig.layout.xaxis.title.text == "Kind"
    assert fig.layout.yaxis.title.text == "Share reached directly"


def test_reach_bars_per_district():
    fig = reach_bar_figure(dashboard_analysis(), dimension="district")

    (bars,) = fig.data
    assert list(bars.x) == ["Sinaai", "Sint-Niklaas"]
    assert list(bars.y) == [0.5, 0.4]
    assert list(bars.text) == ["1/2", "2/5"]
    assert fig.layout.xaxis.title.text == "District"


def test_reach_bars_and_heatmap_show_only_the_groups_given():
    analysis = five_actors()
    businesses = [g for g in analysis.groups if "business" in g.key]

    bars = reach_bar_figure(analysis, dimension="kind", groups=businesses).data[0]
    heatmap = reach_heatmap_figure(analysis, groups=businesses).data[0]

    assert list(bars.customdata) == ["kind:business"]
    assert list(heatmap.y) == ["Business"] and list(heatmap.x) == ["Sinaai", "Sint-Niklaas"]


def test_reach_bars_refuse_another_dimension():
    with pytest.raises(ValueError):
        reach_bar_figure(dashboard_analysis(), dimension="theme")


def test_reach_heatmap_values_are_the_shares_reached_directly():
    fig = reach_heatmap_figure(dashboard_analysis())

    (heat,) = fig.data
    assert list(heat.x) == ["Sinaai", "Sint-Niklaas"]
    assert list(heat.y) == ["Resident", "Business"]
    assert [list(r) for r in heat.z] == [[0.5, 0.5], [None, 0.3333]]
    assert [list(r) for r in heat.text] == [["1/2", "1/2"], ["", "1/3"]]
    assert (heat.zmin, heat.zmax) == (0, 1)
    assert heat.colorscale[0][1] == plotly.colors.sequential.Cividis[0]
    assert fig.layout.title.text == "Reached directly per kind and district"
    assert fig.layout.xaxis.title.text == "District"
    assert fig.layout.yaxis.title.text == "Kind"


def test_dashboard_labels_go_through_translate():
    dutch = {"Resident": "Inwoner", "Kind": "Soort"}
    fig = reach_heatmap_figure(dashboard_analysis(), translate=lambda s: dutch.get(s, s))

    assert list(fig.data[0].y) == ["Inwoner", "Business"]
    assert fig.layout.yaxis.title.text == "Soort"


# --- size and speed ---------------------------------------------------------------------------


def synthetic(actors: int, relations: int, seed: int = 1):
    rng = np.random.RandomState(seed)
    kinds = ["resident", "business", "civic_association", "poverty_organisation", "public_body"]
    districts = ["Sint-Niklaas", "Belsele", "Sinaai", "Nieuwkerken-Waas"]
    contacts = [direct, digital, attempted, lambda _days: {}]
    rows = [
        row(
            n,
            f"Actor {n}",
            kind=kinds[rng.randint(len(kinds))],
            district=districts[rng.randint(len(districts))],
            influence=int(rng.randint(1, 6)),
            interest=int(rng.randint(1, 6)),
            phone="+32475123456" if rng.rand() < 0.5 else None,
            **contacts[rng.randint(len(contacts))](int(rng.randint(1, 100))),
        )
        for n in range(1, actors + 1)
    ]
    links = [
        (int(a), int(b), int(s))
        for a, b, s in zip(
            rng.randint(1, actors + 1, relations),
            rng.randint(1, actors + 1, relations),
            rng.randint(1, 4, relations),
            strict=True,
        )
    ]
    return analysis_of(rows, links)


def test_a_2000_actor_network_is_under_2_mb_and_built_well_under_a_second():
    analysis = synthetic(2000, 5000)

    started = time.perf_counter()
    fig = network_figure(analysis)
    payload = fig.to_json()
    elapsed = time.perf_counter() - started

    assert fig.layout.meta["level"] == "actor"
    assert len(payload.encode()) < 2_000_000
    assert elapsed < 1.0


def test_the_2000_actor_dashboard_figures_are_small_and_fast():
    analysis = synthetic(2000, 5000)

    started = time.perf_counter()
    payloads = [
        power_interest_figure(analysis).to_json(),
        reach_bar_figure(analysis).to_json(),
        reach_bar_figure(analysis, dimension="district").to_json(),
        reach_heatmap_figure(analysis).to_json(),
        network_figure(analysis, node_limit=1000).to_json(),
    ]
    elapsed = time.perf_counter() - started

    assert all(len(p.encode()) < 2_000_000 for p in payloads)
    assert elapsed < 1.0


def test_every_figure_builds_for_an_empty_analysis():
    analysis = analysis_of([])

    figures = [
        network_figure(analysis),
        network_figure(analysis, node_limit=0),
        power_interest_figure(analysis),
        reach_bar_figure(analysis),
        reach_heatmap_figure(analysis),
    ]

    assert all(f.layout.title.text for f in figures)
    assert network_figure(analysis).layout.meta["level"] == "actor"
