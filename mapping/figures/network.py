"""The stakeholder map: who the city reaches, group by group, and around one actor its network.

Four pictures, chosen by how many actors are shown (docs/architecture.md#maps):
- above `node_limit` actors, the **group map**: one bubble per kind × district in a grid (kinds
  in rows, districts in columns), sized by its actors, coloured by the share reached directly,
  labelled with that share and "x/y";
- up to `node_limit`, the **band map** (the default view of a city): one band per kind, each
  actor a dot in it, the dots ordered by reach status from reached directly to not reached, so
  the green part of a band is its share reached directly; a tick marks the threshold, the band's
  label says "x of y reached directly", and the actors that matter are named;
- up to `NETWORK_LIMIT` actors (a filtered group), the **ring map**: the city in the middle, the
  actors on rings by reach status (reached directly closest), their relations drawn;
- an ego network: the actor in the middle, its relations on the first ring, theirs on the second.

Every layout is deterministic: the same data gives the same picture. A force-directed layout
of a city is a ball nobody reads (and costs minutes at 10 000 actors: docs/performance.md).
"""

import html
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from crm.messages import N_
from crm.power_interest import is_high
from crm.vocabulary import KIND_LABELS, KIND_PLURAL_LABELS, ReachStatus
from mapping.analysis import Analysis
from mapping.build import CITY
from mapping.figures.labels import Box, Label, annotation, around, place_labels
from mapping.figures.style import (
    CITY_COLOUR,
    SHARE_COLOURSCALE,
    STATUS_COLOURS,
    Translate,
    actor_rows,
    identity,
    kind_order,
    legend_layout,
    legend_traces,
    status_traces,
)
from mapping.links import NO_DISTRICT, ActorLinks

NODE_LIMIT = 2000  # above this many actors the map shows the group map
NETWORK_LIMIT = 150  # up to this many actors the map draws them on rings with their relations

# The plot widths labels must fit: a phone (390 px screen) and a desktop. Labels that only fit
# the desktop are called WIDE_ONLY; static/maps.js hides them on a narrow plot.
PHONE_PLOT_PX = 340
DESKTOP_PLOT_PX = 760
WIDE_ONLY = "wide-only"
GROUP_LABEL = "group-label"
ACTOR_LABEL = "actor-label"
LABEL_FONT = 12
SMALL_FONT = 11

# The band map: COLUMNS dots a row, each row ROW_PX high on every screen (the figure's height
# follows the rows), BAND_GAP rows above each band for its label.
COLUMNS = 75
ROW_PX = 11
BAND_GAP = 3
BAND_MARKER = 8
BAND_NAMES = 10  # at most this many actors named on the band map: more hide the proportions
MARGIN = {"l": 10, "r": 10, "t": 60, "b": 20}
# The ring map and the ego network: rings one unit apart, room for labels around them.
RING_OF = {
    ReachStatus.DIRECT: 1,
    ReachStatus.DIGITAL_ONLY: 2,
    ReachStatus.ATTEMPTED: 3,
    ReachStatus.NONE: 4,
}
RING_MARKER = 11
RING_ROOM = 1.4  # beyond the outer ring: room for the labels of its actors
RING_DESKTOP_PX = 540  # the side of a ring map's square plot on a desktop
RING_HEIGHT_PX = 640
# The group map: one row per kind, GROUP_ROW_PX high; bubbles at most GROUP_BUBBLE_PX wide.
GROUP_ROW_PX = 100
GROUP_BUBBLE_PX = 38
STATUS_ORDER = {status: i for i, status in enumerate(RING_OF)}
# Words put together with numbers (never N_() inside an f-string: pybabel does not look there).
NETWORK_TITLE = N_("Stakeholder network")
CITY_NAME = N_("City")
THRESHOLD_TICK = N_("threshold")


def network_figure(
    analysis: Analysis,
    *,
    node_limit: int = NODE_LIMIT,
    actor_ids: Iterable[int] | None = None,
    ego: int | None = None,
    translate: Translate = identity,
) -> go.Figure:
    """The stakeholder map of `actor_ids` (default every actor); `ego`: the actor whose network
    `actor_ids` is, drawn in the middle. `layout.meta.level` is 'group' for the group map,
    'actor' otherwise; `layout.meta.layout` names the picture ('group', 'bands', 'rings', 'ego')."""
    links = analysis.links
    rows = actor_rows(links, actor_ids)
    if len(rows) > node_limit:
        figure = _group_map(_group_cells(links, rows), analysis, translate=translate)
        return _finish(figure, level="group", layout="group")
    nodes = links.ids[rows].tolist()
    if ego is not None and ego in nodes:
        figure, layout = _ego_map(analysis, nodes, ego, translate=translate), "ego"
    elif len(nodes) <= NETWORK_LIMIT:
        figure, layout = _ring_map(analysis, nodes, translate=translate), "rings"
    else:
        figure, layout = _band_map(analysis, nodes, translate=translate), "bands"
    legends = legend_traces({analysis.actor(n)["kind"] for n in nodes}, translate=translate)
    figure.add_traces(legends)
    figure.data = figure.data[-len(legends) :] + figure.data[: -len(legends)]  # legends first
    figure.update_layout(**legend_layout(translate))
    return _finish(figure, level="actor", layout=layout)


def _finish(figure: go.Figure, *, level: str, layout: str) -> go.Figure:
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    figure.update_layout(
        meta={"level": level, "layout": layout},
        xaxis={**hidden, **figure.layout.xaxis.to_plotly_json()},
        yaxis={**hidden, **figure.layout.yaxis.to_plotly_json()},
        hovermode="closest",
        template="plotly_white",
        font={"size": LABEL_FONT},
    )
    return figure


# --- which actors matter -------------------------------------------------------------------


def notable_actors(analysis: Analysis, nodes: Iterable[int]) -> list[int]:
    """The actors worth a name on the map, most important first: poverty organisations not
    reached directly, brokers to under-reached groups, then actors of high influence (the
    highest first)."""
    shown = set(nodes)
    poverty = [n for n in analysis.poverty_flagged if n in shown]
    reaches: dict[int, int] = {}  # a broker to several groups: the most unreached it knows
    for broker in analysis.brokers:
        if broker.actor_id in shown and broker.actor_id not in poverty:
            known = reaches.get(broker.actor_id, 0)
            reaches[broker.actor_id] = max(known, broker.unreached_neighbours)
    brokers = sorted(reaches, key=lambda n: (-reaches[n], n))
    G = analysis.graph
    influential = sorted(
        (n for n in shown - set(poverty) - set(brokers) if is_high(G.nodes[n]["influence"])),
        key=lambda n: (-G.nodes[n]["influence"], G.nodes[n]["name"].casefold(), n),
    )
    return poverty + brokers + influential


def _name(analysis: Analysis, node: int) -> str:
    return html.escape(str(analysis.actor(node)["name"]))


# --- the band map --------------------------------------------------------------------------


def _band_map(analysis: Analysis, nodes: list[int], *, translate: Translate) -> go.Figure:
    G = analysis.graph
    notable = notable_actors(analysis, nodes)
    rank = {node: i for i, node in enumerate(notable)}
    by_kind: dict[str, list[int]] = defaultdict(list)
    for node in nodes:
        by_kind[G.nodes[node]["kind"]].append(node)
    positions: dict[int, tuple[float, float]] = {}
    group_labels, shapes = [], []
    top = 0.0
    threshold = analysis.settings.threshold
    for kind in kind_order(by_kind):
        members = sorted(
            by_kind[kind],
            key=lambda n: (
                STATUS_ORDER[G.nodes[n]["status"]],
                rank.get(n, len(rank)),
                G.nodes[n]["name"].casefold(),
                n,
            ),
        )
        rows = math.ceil(len(members) / COLUMNS)
        first_row = top - BAND_GAP
        for i, node in enumerate(members):
            column, row = divmod(i, rows)  # column by column: a status is a block of columns
            positions[node] = (float(column), first_row - row)
        direct = sum(G.nodes[n]["status"] == ReachStatus.DIRECT for n in members)
        name = translate(KIND_PLURAL_LABELS.get(kind, kind))
        count = translate(N_("%(direct)d of %(total)d reached directly")) % {
            "direct": direct,
            "total": len(members),
        }
        text = f"<b>{name}</b> · {count}"
        group_labels.append(Label(text, -0.5, first_row + 0.7, LABEL_FONT, "left", "bottom"))
        shapes.append(_threshold_tick(threshold * len(members) / rows, first_row, rows))
        top = first_row - rows + 1 - 1
    bottom = top + 1
    figure = go.Figure()
    figure.add_traces(
        status_traces(analysis, positions, sorted(positions), size=BAND_MARKER, translate=translate)
    )
    figure.add_trace(_threshold_legend(threshold, translate))
    actor_labels = _band_actor_labels(analysis, notable, positions, group_labels, bottom)
    figure.update_layout(
        title={"text": translate(N_("Stakeholder map: reach per kind"))},
        annotations=[annotation(label, name=GROUP_LABEL) for label in group_labels]
        + [
            annotation(label, name=WIDE_ONLY, background="rgba(255,255,255,0.85)")
            for label in actor_labels
        ],
        shapes=shapes,
        xaxis={"range": [-0.5, COLUMNS - 0.5], "fixedrange": True},
        yaxis={"range": [bottom - 0.5, 0.5], "fixedrange": True},
        height=round((0.5 - bottom + 0.5) * ROW_PX) + MARGIN["t"] + MARGIN["b"],
        margin=MARGIN,
    )
    return figure


def band_scale(px_wide: float) -> tuple[float, float]:
    """Pixels per data unit of the band map on a plot `px_wide` wide: (x, y)."""
    return px_wide / COLUMNS, ROW_PX


def _threshold_tick(column: float, first_row: float, rows: int) -> dict:
    """A short black line across a band where the threshold share of its dots ends."""
    x = column - 0.5
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "y0": first_row + 0.6,
        "y1": first_row - rows + 0.4,
        "line": {"color": "#000000", "width": 2},
        "name": "threshold",
    }


def _threshold_legend(threshold: float, translate: Translate) -> go.Scatter:
    return go.Scatter(
        x=[None],
        y=[None],
        mode="lines",
        name=translate(N_("Threshold")) + f" {threshold:.0%}",
        legend="legend",
        line={"color": "#000000", "width": 2},
        hoverinfo="skip",
    )


def _band_actor_labels(analysis, notable, positions, group_labels, bottom) -> list[Label]:
    """Names of the notable actors, on a desktop plot, never over another label."""
    px_x, px_y = band_scale(DESKTOP_PLOT_PX)
    taken = [label.box(px_x, px_y) for label in group_labels]
    area = Box(-0.5, bottom - 0.5, COLUMNS - 0.5, 0.5)
    candidates = (
        around(_name(analysis, n), *positions[n], offset=0.6, font_size=SMALL_FONT) for n in notable
    )
    placed = place_labels(candidates, px_per_unit=px_x, px_per_unit_y=px_y, area=area, taken=taken)
    return placed[:BAND_NAMES]


# --- the ring map and the ego network ------------------------------------------------------


def _ring_map(analysis: Analysis, nodes: list[int], *, translate: Translate) -> go.Figure:
    G = analysis.graph
    rings: dict[int, list[int]] = defaultdict(list)
    for node in nodes:
        rings[RING_OF[G.nodes[node]["status"]]].append(node)
    order = {kind: i for i, kind in enumerate(kind_order({G.nodes[n]["kind"] for n in nodes}))}
    positions: dict = {CITY: (0.0, 0.0)}
    for radius, members in rings.items():
        members.sort(key=lambda n: (order[G.nodes[n]["kind"]], G.nodes[n]["name"].casefold(), n))
        positions.update(_on_ring(members, radius, turn=0.07 * radius))
    direct = len(rings.get(RING_OF[ReachStatus.DIRECT], []))
    count = translate(N_("%(direct)d of %(total)d reached directly")) % {
        "direct": direct,
        "total": len(nodes),
    }
    title = f"{translate(NETWORK_TITLE)}: {count}"
    reach = max(rings, default=1) + RING_ROOM
    figure = _drawn_network(
        analysis, nodes, positions, title=title, translate=translate, rings=RING_OF.values()
    )
    city_label = _city(figure, translate)
    notable = notable_actors(analysis, nodes)
    everyone = notable + sorted(set(nodes) - set(notable), key=lambda n: -_priority(analysis, n))
    _name_actors(figure, analysis, everyone, positions, reach=reach, first=city_label)
    _square(figure, reach)
    return figure


def _ego_map(analysis: Analysis, nodes: list[int], ego: int, *, translate: Translate) -> go.Figure:
    G = analysis.graph
    shown = set(nodes)
    actors = G.subgraph(shown)  # the city is not shown: it is no path between actors
    distance = nx.single_source_shortest_path_length(actors, ego)
    first = sorted(
        (n for n in shown if distance.get(n) == 1),
        key=lambda n: (G.nodes[n]["kind"], G.nodes[n]["name"].casefold(), n),
    )
    positions: dict = {ego: (0.0, 0.0)}
    positions.update(_on_ring(first, 1, turn=0.0))
    angle = {n: math.atan2(y, x) for n, (x, y) in positions.items() if n != ego}

    def parent_angle(node: int) -> float:
        parents = [angle[p] for p in actors[node] if p in angle and distance.get(p) == 1]
        return min(parents, default=math.pi)

    second = sorted(
        (n for n in shown if distance.get(n, 2) >= 2),  # a filter may cut the path: ring 2
        key=lambda n: (parent_angle(n), G.nodes[n]["kind"], G.nodes[n]["name"].casefold(), n),
    )
    positions.update(_on_ring(second, 2, turn=0.0))
    title = translate(N_("The network of %(name)s")) % {"name": _name(analysis, ego)}
    rings = sorted({1} | ({2} if second else set()))
    figure = _drawn_network(
        analysis, nodes, positions, title=title, translate=translate, ego=ego, rings=rings
    )
    ring = np.array([positions[ego]], dtype=np.float32)
    figure.add_trace(
        go.Scatter(
            x=ring[:, 0],
            y=ring[:, 1],
            mode="markers",
            marker={"symbol": "circle-open", "size": 30, "color": "#000000", "line": {"width": 3}},
            hoverinfo="skip",
            showlegend=False,
            name=_name(analysis, ego),
        )
    )
    notable = [n for n in notable_actors(analysis, nodes) if n != ego]
    others = sorted(set(nodes) - set(notable) - {ego}, key=lambda n: -_priority(analysis, n))
    ego_label = Label(f"<b>{_name(analysis, ego)}</b>", 0.0, -0.3, LABEL_FONT + 1, "center", "top")
    reach = rings[-1] + RING_ROOM
    _name_actors(figure, analysis, notable + others, positions, reach=reach, first=ego_label)
    _square(figure, reach)
    return figure


def _on_ring(members: list[int], radius: float, *, turn: float) -> dict:
    """`members` evenly around a circle, clockwise from the top (`turn`: a fraction of a turn
    further, so that the rings do not line up)."""
    count = len(members)
    return {
        node: (
            radius * math.cos(math.pi / 2 - 2 * math.pi * (i / count + turn)),
            radius * math.sin(math.pi / 2 - 2 * math.pi * (i / count + turn)),
        )
        for i, node in enumerate(members)
    }


def _priority(analysis: Analysis, node: int) -> float:
    recommendation = analysis.recommendation_for(node)
    return recommendation.priority if recommendation is not None else 0.0


def _drawn_network(analysis, nodes, positions, *, title, translate, rings, ego=None) -> go.Figure:
    """Relations, the city's direct contacts and the actors of a ring map or ego network, on
    faint circles of the `rings`' radii."""
    G = analysis.graph.subgraph(positions)
    relations = sorted((s, t) for s, t in G.edges() if CITY not in (s, t))
    # An edge of the city comes as (city, actor) or (actor, city): sort by the actor alone.
    reached = sorted(t if s == CITY else s for s, t in G.edges() if CITY in (s, t))
    city_links = [(CITY, actor) for actor in reached]
    figure = go.Figure(
        _lines(relations, positions, name=translate(N_("Relations")), colour="#AAAAAA")
    )
    if city_links:
        figure.add_trace(
            _lines(
                city_links,
                positions,
                name=translate(N_("Reached directly by the city")),
                colour=STATUS_COLOURS[ReachStatus.DIRECT],
                dash="dot",
            )
        )
    highlighted = None if ego is None else (lambda n: n == ego)
    figure.add_traces(
        status_traces(
            analysis,
            positions,
            sorted(nodes),
            size=RING_MARKER,
            translate=translate,
            highlighted=highlighted,
        )
    )
    figure.update_layout(
        title={"text": title},
        shapes=[
            {
                "type": "circle",
                "x0": -r,
                "y0": -r,
                "x1": r,
                "y1": r,
                "line": {"color": "#DDDDDD", "width": 1, "dash": "dot"},
                "layer": "below",
                "name": "ring",
            }
            for r in rings
        ],
        height=RING_HEIGHT_PX,
        margin=MARGIN,
    )
    return figure


def _square(figure: go.Figure, reach: float) -> None:
    """Show -reach..reach on both axes, one unit as long on each (circles stay round)."""
    figure.update_layout(
        xaxis={"range": [-reach, reach]},
        yaxis={"range": [-reach, reach], "scaleanchor": "x"},
    )


def ring_scale(px_wide: float, reach: float) -> float:
    """Pixels per data unit of a ring map on a square plot `px_wide` wide that shows
    -reach..reach."""
    return px_wide / (2 * reach)


def _city(figure: go.Figure, translate: Translate) -> Label:
    """The city in the middle of a ring map; its label, placed by `_name_actors`."""
    figure.add_trace(
        go.Scatter(
            x=np.zeros(1, dtype=np.float32),
            y=np.zeros(1, dtype=np.float32),
            mode="markers",
            name=translate(CITY_NAME),
            legend="legend",
            marker={"color": CITY_COLOUR, "size": 18, "symbol": "star"},
            hoverinfo="text",
            hovertext=[translate(CITY_NAME)],
        )
    )
    return Label(f"<b>{translate(CITY_NAME)}</b>", 0.0, -0.25, LABEL_FONT, "center", "top")


def _name_actors(figure, analysis, candidates, positions, *, reach, first=None) -> None:
    """Name the actors, in order, outward from the centre first: as many as fit a phone, then
    (WIDE_ONLY, hidden on a phone) as many more as fit a desktop."""
    phone, desktop = ring_scale(PHONE_PLOT_PX, reach), ring_scale(RING_DESKTOP_PX, reach)
    area = Box(-reach, -reach, reach, reach)
    fixed = [first] if first is not None else []
    options = {n: _outward(_name(analysis, n), *positions[n]) for n in candidates}
    on_phone = place_labels(
        (options[n] for n in candidates),
        px_per_unit=phone,
        area=area,
        taken=[label.box(phone) for label in fixed],
    )
    named = set(on_phone)
    on_desktop = place_labels(
        (options[n] for n in candidates if named.isdisjoint(options[n])),
        px_per_unit=desktop,
        area=area,
        taken=[label.box(desktop) for label in fixed + on_phone],
    )
    for label in fixed + on_phone:
        figure.add_annotation(annotation(label, name=ACTOR_LABEL))
    for label in on_desktop:
        figure.add_annotation(annotation(label, name=WIDE_ONLY))


def _outward(text: str, x: float, y: float) -> list[Label]:
    """A marker's label away from the centre first, then around the marker."""
    angle = math.atan2(y, x)
    gap = 0.22
    lx, ly = x + gap * math.cos(angle), y + gap * math.sin(angle)
    xanchor = "left" if math.cos(angle) > 0.35 else "right" if math.cos(angle) < -0.35 else "center"
    yanchor = "bottom" if math.sin(angle) > 0.35 else "top" if math.sin(angle) < -0.35 else "middle"
    inward = "left" if x < 0 else "right"  # a long name at the edge runs toward the middle
    return [
        Label(text, lx, ly, SMALL_FONT, xanchor, yanchor),
        *around(text, x, y, offset=gap, font_size=SMALL_FONT),
        Label(text, x, y + gap, SMALL_FONT, inward, "bottom"),
        Label(text, x, y - gap, SMALL_FONT, inward, "top"),
    ]


def _lines(edges, positions, *, name: str, colour: str, dash: str = "solid") -> go.Scatter:
    """One line trace of `edges` (in the status legend)."""
    x, y = _segments(edges, positions)
    return go.Scatter(
        x=x,
        y=y,
        mode="lines",
        line={"width": 0.8, "color": colour, "dash": dash},
        hoverinfo="skip",
        name=name,
        legend="legend",
    )


def _segments(edges, positions) -> tuple[np.ndarray, np.ndarray]:
    """x and y of line segments, each followed by a gap (NaN: plotly breaks the line there)."""
    xy = np.full((len(edges) * 3, 2), np.nan, dtype=np.float32)
    for i, (source, target) in enumerate(edges):
        xy[3 * i] = positions[source]
        xy[3 * i + 1] = positions[target]
    return xy[:, 0], xy[:, 1]


# --- the group map -------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCell:
    """One node of the group map: the actors of one kind in one district (NO_DISTRICT: none)."""

    kind: str
    district: str
    total: int
    direct: int

    @property
    def share_direct(self) -> float:
        return round(self.direct / self.total, 4) if self.total else 0.0


def group_map_cells(
    analysis: Analysis, *, actor_ids: Iterable[int] | None = None
) -> list[GroupCell]:
    """The groups of the group map (of `actor_ids`, default every actor), sorted."""
    return _group_cells(analysis.links, actor_rows(analysis.links, actor_ids))


def _group_cells(links: ActorLinks, rows: np.ndarray) -> list[GroupCell]:
    codes = links.group_codes[rows]
    present = np.unique(codes)
    totals = np.bincount(codes, minlength=len(links.groups))[present]
    direct = np.bincount(codes[~links.unreached[rows]], minlength=len(links.groups))[present]
    return [
        GroupCell(*links.groups[code], total=total, direct=reached)
        for code, total, reached in zip(
            present.tolist(), totals.tolist(), direct.tolist(), strict=True
        )
    ]


def group_grid(cells: list[GroupCell]) -> tuple[list[str], list[str]]:
    """The rows (kinds, in the vocabulary's order) and columns (districts by name, actors
    without a district last) of the group map."""
    kinds = kind_order({c.kind for c in cells})
    districts = sorted({c.district for c in cells}, key=lambda d: (d == NO_DISTRICT, d))
    return kinds, districts


def _group_map(cells: list[GroupCell], analysis: Analysis, *, translate: Translate) -> go.Figure:
    kinds, districts = group_grid(cells)
    row = {kind: i for i, kind in enumerate(kinds)}
    column = {district: i for i, district in enumerate(districts)}
    totals = np.array([c.total for c in cells], dtype=np.int64)
    x = np.array([column[c.district] for c in cells], dtype=np.float32)
    y = np.array([-row[c.kind] - 0.42 for c in cells], dtype=np.float32)
    biggest = max(totals.max(initial=1), 1)
    sizes = (10 + (GROUP_BUBBLE_PX - 10) * np.sqrt(totals / biggest)).astype(np.float32)
    threshold = analysis.settings.threshold
    figure = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name=translate(N_("Groups")),
            showlegend=False,
            marker={
                "size": sizes,
                "color": np.array([c.share_direct for c in cells], dtype=np.float32),
                "colorscale": SHARE_COLOURSCALE,
                "cmin": 0,
                "cmax": 1,
                "colorbar": _share_colour_bar(threshold, translate),
                "line": {"width": 1, "color": "#333333"},
            },
            customdata=[f"kind_district:{c.kind}/{c.district}" for c in cells],
            hovertext=[_group_hover(c, translate) for c in cells],
            hoverinfo="text",
            meta={"totals": totals.tolist(), "direct": [c.direct for c in cells]},
        )
    )
    labels = [
        Label(
            f"<b>{c.share_direct:.0%}</b><br>{c.direct}/{c.total}",
            float(column[c.district]),
            -row[c.kind] - 0.64,
            SMALL_FONT,
            "center",
            "top",
        )
        for c in cells
    ]
    labels += [
        Label(
            f"<b>{translate(KIND_PLURAL_LABELS.get(kind, kind))}</b>",
            -0.5,
            -i - 0.02,
            LABEL_FONT,
            "left",
            "top",
        )
        for i, kind in enumerate(kinds)
    ]
    no_district = translate(N_("No district"))
    figure.update_layout(
        title={"text": translate(N_("Stakeholder groups: reached directly per kind and district"))},
        annotations=[annotation(label, name=GROUP_LABEL) for label in labels],
        xaxis={
            "visible": True,
            "range": [-0.5, len(districts) - 0.5],
            "side": "top",
            "tickvals": list(range(len(districts))),
            "ticktext": [no_district if d == NO_DISTRICT else html.escape(d) for d in districts],
            "showgrid": False,
            "zeroline": False,
            "showline": False,
            "fixedrange": True,
        },
        yaxis={"range": [-len(kinds), 0.05], "fixedrange": True},
        height=len(kinds) * GROUP_ROW_PX + 110,
        margin={"l": 10, "r": 10, "t": 90, "b": 20},
        showlegend=False,
    )
    return figure


def group_scale(px_wide: float, columns: int) -> tuple[float, float]:
    """Pixels per data unit of the group map on a plot `px_wide` wide: (x, y)."""
    return px_wide / max(columns, 1), GROUP_ROW_PX


def _share_colour_bar(threshold: float, translate: Translate) -> dict:
    """A colour bar in percent with the threshold marked on it."""
    ticks = [t for t in (0.0, 0.25, 0.5, 0.75, 1.0) if abs(t - threshold) > 0.08]
    values = sorted([*ticks, threshold])
    text = [
        f"{translate(THRESHOLD_TICK)} {v:.0%}" if v == threshold else f"{v:.0%}" for v in values
    ]
    return {
        "title": {"text": translate(N_("Share reached directly")), "side": "top"},
        "tickvals": values,
        "ticktext": text,
        "len": 0.8,
        "thickness": 14,
    }


def _group_hover(cell: GroupCell, translate: Translate) -> str:
    district = translate(N_("No district")) if cell.district == NO_DISTRICT else cell.district
    return translate(N_("%(kind)s in %(district)s: %(direct)d of %(total)d reached directly")) % {
        "kind": translate(KIND_LABELS.get(cell.kind, cell.kind)),
        "district": html.escape(district),
        "direct": cell.direct,
        "total": cell.total,
    }
