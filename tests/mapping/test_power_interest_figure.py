"""mapping/figures/power_interest.py: the power/interest grid readable at any size (issue 10),
checked on tiny literal analyses and on a cheap synthetic one of 100 000 actors."""

import itertools
import math
import time

import networkx as nx
import numpy as np
import pytest

from mapping import analyse_graph
from mapping.analysis import Analysis
from mapping.figures import power_interest as pi
from mapping.figures.labels import Box, Label, overlapping_pairs
from mapping.figures.power_interest import (
    PowerInterestCell,
    power_interest_cells,
    power_interest_figure,
    power_interest_level,
    power_interest_positions,
)
from mapping.links import ActorLinks
from tests.mapping.conftest import DEFAULTS, NOW, attempted, digital, direct, graph, row

QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
# The narrowest plot: 300 px for 5 columns, 350 px for 6 rows (the cells and two strips).
PX_X, PX_Y = 60, 350 / 6


def analysis_of(actors, relations=()):
    return analyse_graph(graph(actors, relations), settings=DEFAULTS, now=NOW)


def mixed_cells():
    """Influence 5 / interest 4: one actor of each status; 2 / 2: two reached, one not;
    1 / 5: one attempted."""
    return analysis_of(
        [
            row(1, "Schepen", influence=5, interest=4, **direct(3)),
            row(2, "Buurtcomité", influence=5, interest=4, **digital(3)),
            row(3, "Handelaarsbond", influence=5, interest=4, **attempted(3)),
            row(4, "Jeugdhuis", influence=5, interest=4),
            row(5, "Bewoner", influence=2, interest=2, **direct(1)),
            row(6, "School", influence=2, interest=2, **direct(2)),
            row(7, "Bakker", influence=2, interest=2),
            row(8, "Wijkwerking", influence=1, interest=5, **attempted(5)),
        ]
    )


def bars(fig):
    return {t.meta["status"]: t for t in fig.data if t.type == "bar"}


def trace_with_meta(fig, key):
    (trace,) = [t for t in fig.data if t.meta and key in t.meta]
    return trace


def actor_traces(fig):
    return [t for t in fig.data if t.meta and "status" in t.meta and t.type == "scatter"]


def actor_label_annotations(fig):
    return [a for a in fig.layout.annotations if a.name == "actor-label"]


def as_label(annotation) -> Label:
    return Label(
        annotation.text,
        annotation.x,
        annotation.y,
        annotation.font.size,
        annotation.xanchor,
        annotation.yanchor,
    )


# --- cells ------------------------------------------------------------------------------------


def test_cells_count_each_reach_status_per_score():
    assert power_interest_cells(mixed_cells()) == [
        PowerInterestCell(5, 4, direct=1, digital_only=1, attempted=1, none=1, attention=3),
        PowerInterestCell(2, 2, direct=2, digital_only=0, attempted=0, none=1, attention=0),
        PowerInterestCell(1, 5, direct=0, digital_only=0, attempted=1, none=0, attention=1),
    ]


def test_each_cell_is_one_bar_split_by_status_its_length_growing_with_its_count():
    fig = power_interest_figure(mixed_cells(), actor_limit=3)

    assert fig.layout.meta == {"level": "cell"}
    parts = {
        status: [
            (float(y), round(float(base), 3), round(float(x), 3))
            for y, base, x in zip(t.y, t.base, t.x, strict=True)
        ]
        for status, t in bars(fig).items()
    }
    # the fullest cell (4 actors) is 0.88 long from 0.44 left of its middle; one actor is 0.22
    assert parts == {
        "direct": [(5.0, 3.56, 0.22), (2.0, 1.56, 0.44)],
        "digital_only": [(5.0, 3.78, 0.22)],
        "attempted": [(5.0, 4.0, 0.22), (1.0, 4.56, 0.22)],
        "none": [(5.0, 4.22, 0.22), (2.0, 2.0, 0.22)],
    }
    assert {t.orientation for t in bars(fig).values()} == {"h"}
    assert fig.layout.barmode == "overlay"


def test_each_part_of_a_cell_says_how_many_of_the_cell_it_counts():
    fig = power_interest_figure(mixed_cells(), actor_limit=3)

    assert list(bars(fig)["none"].hovertext) == [
        "Influence 5, interest 4. Not reached: 1 of 4",
        "Influence 2, interest 2. Not reached: 1 of 3",
    ]
    assert (
        list(bars(fig)["direct"].hovertext)[1]
        == "Influence 2, interest 2. Reached directly: 2 of 3"
    )


def test_the_count_of_each_cell_is_written_in_it():
    fig = power_interest_figure(mixed_cells(), actor_limit=3)

    counts = trace_with_meta(fig, "counts")
    assert list(counts.text) == ["4", "3", "1"]
    assert [(float(x), float(y)) for x, y in zip(counts.x, counts.y, strict=True)] == [
        pytest.approx((3.56, 5.28)),
        pytest.approx((1.56, 2.28)),
        pytest.approx((4.56, 1.28)),
    ]


def test_cells_whose_actors_need_attention_are_marked_with_their_number():
    fig = power_interest_figure(mixed_cells(), actor_limit=3)

    attention = trace_with_meta(fig, "attention")
    assert attention.meta == {"attention": [3, 1]}  # 2 / 2 is low and low: never marked
    assert list(attention.text) == ["<b>3</b>", "<b>1</b>"]
    assert attention.marker.line.width == 3 and attention.marker.line.color == "#000000"
    assert list(attention.y) == pytest.approx([4.72, 0.72])  # under the bar of 5 and of 1
    assert attention.hovertext[0] == (
        "Influence 5, interest 4. Need attention "
        "(high influence or interest, not reached directly): 3 of 4"
    )


def test_a_cell_opens_no_actor_page():
    fig = power_interest_figure(mixed_cells(), actor_limit=3)

    for trace in fig.data:
        assert trace.customdata is None  # static/maps.js opens an actor on numeric customdata


def synthetic_analysis(actors: int, seed: int = 3) -> Analysis:
    """A stakeholder graph of `actors` random actors without relations, and its links: the grid
    reads nothing else, and this takes well under a second where the full analysis takes tens."""
    rng = np.random.RandomState(seed)
    statuses = np.array(["direct", "digital_only", "attempted", "none"])
    influence = rng.randint(1, 6, actors).tolist()
    interest = rng.randint(1, 6, actors).tolist()
    status = statuses[rng.randint(0, 4, actors)].tolist()
    G = nx.Graph()
    G.add_nodes_from(
        (
            n,
            {
                "name": f"Actor {n}",
                "kind": "resident",
                "district": "Sinaai",
                "influence": influence[n - 1],
                "interest": interest[n - 1],
                "status": status[n - 1],
            },
        )
        for n in range(1, actors + 1)
    )
    return Analysis(
        data_version=1,
        computed_at=NOW,
        settings=DEFAULTS,
        graph=G,
        groups=[],
        poverty_flagged=[],
        recommendations=[],
        brokers=[],
        links=ActorLinks(G),
    )


def test_100000_actors_make_at_most_100_bar_parts_a_small_json_and_build_fast():
    analysis = synthetic_analysis(100_000)

    started = time.perf_counter()
    fig = power_interest_figure(analysis)
    payload = fig.to_json()
    elapsed = time.perf_counter() - started

    assert fig.layout.meta == {"level": "cell"}
    points = sum(len(t.x) for t in fig.data if t.x is not None and t.x[0] is not None)
    assert sum(len(t.x) for t in bars(fig).values()) == 100  # 25 cells × 4 statuses
    assert points <= 25 * 4 + 25 + 25  # bar parts, counts, attention marks
    assert not actor_traces(fig)
    assert sum(trace_with_meta(fig, "counts").meta["counts"]) == 100_000
    assert len(payload.encode()) < 200_000
    assert elapsed < 0.5


# --- which level ------------------------------------------------------------------------------


def spread(actors: int):
    """`actors` actors spread over the 25 cells, one after the other."""
    cells = list(itertools.product(range(1, 6), repeat=2))
    return analysis_of(
        [
            row(n, f"Actor {n}", influence=cells[n % 25][0], interest=cells[n % 25][1])
            for n in range(1, actors + 1)
        ]
    )


def test_up_to_100_actors_are_drawn_one_by_one_above_that_counted():
    assert power_interest_level(spread(100)) == "actor"
    assert power_interest_level(spread(101)) == "cell"


def test_more_than_36_actors_in_one_cell_are_counted():
    in_one_cell = analysis_of([row(n, f"Actor {n}", influence=4) for n in range(1, 38)])

    assert power_interest_level(in_one_cell) == "cell"
    assert power_interest_level(in_one_cell, actor_ids=range(1, 37)) == "actor"


def test_the_node_limit_setting_can_only_lower_the_actor_limit():
    assert power_interest_level(spread(10), node_limit=9) == "cell"
    assert power_interest_level(spread(101), node_limit=2000) == "cell"


# --- actors -----------------------------------------------------------------------------------


def crowded(actors: int = 60):
    """`actors` actors in only six cells, every third needing attention."""
    cells = [(4, 4), (4, 5), (5, 4), (2, 2), (2, 3), (5, 5)]
    return analysis_of(
        [
            row(
                n,
                f"Buurtvereniging {n}",
                kind=("resident", "business", "poverty_organisation")[n % 3],
                influence=cells[n % 6][0],
                interest=cells[n % 6][1],
                **(direct(3) if n % 3 else {}),
            )
            for n in range(1, actors + 1)
        ]
    )


def test_actors_are_packed_inside_their_cell_the_same_way_every_time():
    analysis = crowded()

    positions = power_interest_positions(analysis)

    assert positions == power_interest_positions(analysis)
    for node, (x, y) in positions.items():
        data = analysis.actor(node)
        assert abs(x - data["interest"]) < 0.45 and abs(y - data["influence"]) < 0.45
    assert len(set(positions.values())) == len(positions)


def test_a_cell_of_four_is_a_two_by_two_grid_the_most_important_top_left():
    analysis = analysis_of(
        [
            row(1, "Anna", influence=4, interest=2, **direct(1)),
            row(2, "Bert", influence=4, interest=2),  # needs attention: first
            row(3, "Carla", influence=4, interest=2, **direct(1)),
            row(4, "Dirk", influence=4, interest=2, **direct(1)),
        ]
    )

    positions = power_interest_positions(analysis)

    assert {n: (round(x, 2), round(y, 2)) for n, (x, y) in positions.items()} == {
        2: (1.85, 4.15),
        1: (2.15, 4.15),
        3: (1.85, 3.85),
        4: (2.15, 3.85),  # 0.3 apart: small groups stay together, with room for names
    }


def test_no_two_markers_overlap_at_the_narrowest_plot():
    analysis = analysis_of([row(n, f"Actor {n}", influence=4) for n in range(1, 37)])
    fig = power_interest_figure(analysis)

    (trace,) = actor_traces(fig)
    size_px = trace.marker.size + 3  # the thick border of an actor needing attention
    points = list(zip(trace.x, trace.y, strict=True))
    assert len(points) == 36
    closest = min(math.dist(a, b) for a, b in itertools.combinations(points, 2))
    assert closest * PX_Y >= size_px
    assert trace.marker.size >= 5
    assert max(abs(x - 3) for x, _ in points) + size_px / 2 / PX_Y < 0.48  # inside the cell


def test_markers_are_coloured_by_status_shaped_by_kind_and_ringed_when_needing_attention():
    fig = power_interest_figure(mixed_cells())

    traces = {t.meta["status"]: t for t in actor_traces(fig)}
    assert {s: t.marker.color for s, t in traces.items()} == {
        "direct": "#009E73",
        "digital_only": "#56B4E9",
        "attempted": "#E69F00",
        "none": "#999999",
    }
    ringed = {
        node: width
        for t in traces.values()
        for node, width in zip(t.customdata.tolist(), t.marker.line.width, strict=True)
    }
    assert ringed == {1: 0.5, 2: 3, 3: 3, 4: 3, 5: 0.5, 6: 0.5, 7: 0.5, 8: 3}
    assert fig.layout.meta == {"level": "actor"}


def test_two_legends_reach_by_colour_and_kind_by_shape():
    fig = power_interest_figure(crowded())

    legend = [
        t.name for t in fig.data if t.showlegend is not False and t.legend in ("legend", None)
    ]
    kinds = [t.name for t in fig.data if t.legend == "legend2"]
    assert legend == [
        "Reached directly",
        "Digital only",
        "Attempted",
        "Not reached",
        "Needs attention",
    ]
    assert kinds == ["Resident", "Business", "Poverty organisation"]
    assert fig.layout.legend.title.text == "Reach"
    assert fig.layout.legend2.title.text == "Kind"


def test_no_two_names_overlap_nor_cover_a_marker_on_a_crowded_grid():
    fig = power_interest_figure(crowded())

    labels = [as_label(a) for a in actor_label_annotations(fig)]
    assert 5 <= len(labels) < 60  # a name that does not fit is left out
    assert overlapping_pairs(labels, px_per_unit=PX_X, px_per_unit_y=PX_Y) == []
    points = [(x, y) for t in actor_traces(fig) for x, y in zip(t.x, t.y, strict=True)]
    half = (actor_traces(fig)[0].marker.size + 3) / 2 / PX_Y
    markers = [Box(x - half, y - half, x + half, y + half) for x, y in points]
    for label in labels:
        box = label.box(PX_X, PX_Y)
        assert box.inside(Box(0.5, 0.5, 5.5, 5.5))
        assert not any(box.overlaps(marker) for marker in markers), label.text


def test_names_go_first_to_actors_needing_attention_then_to_high_influence():
    analysis = analysis_of(
        [
            row(1, "Zeer invloedrijke vereniging", influence=5, interest=1, **direct(1)),
            row(2, "Wijkcomité zonder contact", influence=4, interest=4),
            row(3, "Bewonersgroep Sinaai-dorp", influence=1, interest=1, **direct(1)),
        ]
    )

    labels = pi.actor_labels(
        analysis,
        power_interest_positions(analysis),
        sorted(power_interest_positions(analysis), key=pi._importance(analysis)),
        marker_px=12,
    )

    assert [label.text for label in labels][:2] == [
        "Wijkcomité zonder c…",
        "Zeer invloedrijke v…",
    ]


def test_a_name_is_cut_to_20_characters_and_escaped():
    fig = power_interest_figure(
        analysis_of([row(1, "Vzw <Samen> & Sterk in Belsele-dorp", influence=4)])
    )

    (label,) = actor_label_annotations(fig)
    assert label.text == "Vzw &lt;Samen&gt; &amp; Sterk…"


# --- quadrant names ---------------------------------------------------------------------------


@pytest.mark.parametrize("actor_limit", [100, 0])
def test_quadrant_names_stand_outside_the_cells_in_their_own_half_apart(actor_limit):
    fig = power_interest_figure(mixed_cells(), actor_limit=actor_limit)

    names = {a.name: a for a in fig.layout.annotations if a.name in QUADRANTS}
    boxes = {name: as_label(a).box(PX_X, PX_Y) for name, a in names.items()}
    assert set(boxes) == set(QUADRANTS)
    cells = Box(0.5, 0.5, 5.5, 5.5)
    for name, box in boxes.items():
        assert not box.overlaps(cells), name
        assert box.top <= 6.0 and box.bottom >= 0.0, name  # inside the plot's y range
        low, high = (3.5, 5.5) if name in ("manage_closely", "keep_informed") else (0.5, 3.5)
        assert low <= box.left and box.right <= high, name
    assert (
        overlapping_pairs(
            [as_label(a) for a in names.values()], px_per_unit=PX_X, px_per_unit_y=PX_Y
        )
        == []
    )
    assert {a.font.size for a in names.values()} == {12}
    assert (names["manage_closely"].y, names["monitor"].y) == (5.55, 0.45)
    assert tuple(fig.layout.yaxis.range) == pytest.approx((0.0, 6.0))


def test_the_dutch_quadrant_names_fit_their_half_of_a_phone():
    dutch = {  # the name, its quadrant, the columns of its half
        "Nauw betrekken": ("manage_closely", 2),
        "Tevreden houden": ("keep_satisfied", 3),
        "Informeren": ("keep_informed", 2),
        "In het oog houden": ("monitor", 3),
    }
    english = {
        "Manage closely": "Nauw betrekken",
        "Keep satisfied": "Tevreden houden",
        "Keep informed": "Informeren",
        "Monitor": "In het oog houden",
    }
    labels = pi.quadrant_labels(lambda text: english.get(text, text))

    for text, (name, columns) in dutch.items():
        box = labels[name].box(PX_X, PX_Y)
        assert f"<b>{text}</b>" == labels[name].text
        assert box.right - box.left <= columns


# --- translation ------------------------------------------------------------------------------


def marked(text: str) -> str:
    return "«" + text + "»"


def visible_texts(fig) -> list[str]:
    """Every text the figure shows that is not data (a number, an actor's name)."""
    layout = fig.layout
    texts = [
        layout.title.text,
        layout.xaxis.title.text,
        layout.yaxis.title.text,
        layout.legend.title.text,
    ]
    if any(t.legend == "legend2" for t in fig.data):
        texts.append(layout.legend2.title.text)
    texts += [t.name for t in fig.data if t.showlegend is not False]
    texts += [h for t in fig.data if t.hovertext is not None for h in t.hovertext]
    texts += [a.text for a in layout.annotations if a.name != "actor-label"]
    return texts


@pytest.mark.parametrize("actor_limit", [100, 0])
def test_every_visible_text_goes_through_translate(actor_limit):
    fig = power_interest_figure(mixed_cells(), actor_limit=actor_limit, translate=marked)

    texts = visible_texts(fig)
    assert len(texts) > 12
    for text in texts:
        assert "«" in text, text
    for trace in fig.data:
        for text in trace.text or ():
            assert text.removeprefix("<b>").removesuffix("</b>").isdigit()  # counts only
