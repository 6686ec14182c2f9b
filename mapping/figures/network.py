"""The network map: actors coloured by reach status and shaped by kind, with their relations
and the city; above the node limit the group map, one node per kind × district."""

import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from crm.messages import N_
from crm.vocabulary import KIND_LABELS, ReachStatus
from mapping.analysis import Analysis
from mapping.build import CITY
from mapping.figures.style import (
    CITY_COLOUR,
    SHARE_COLOURSCALE,
    STATUS_COLOURS,
    Translate,
    actor_rows,
    identity,
    status_traces,
)
from mapping.links import ActorLinks, Group
from mapping.reach import actor_nodes

NODE_LIMIT = 2000  # above this many actors the network map shows the group map
GROUP_SPREAD = 0.06  # radius of a group of one actor around its anchor; grows with sqrt(size)


def network_figure(
    analysis: Analysis,
    *,
    seed: int = 7,
    node_limit: int = NODE_LIMIT,
    actor_ids: Iterable[int] | None = None,
    translate: Translate = identity,
) -> go.Figure:
    """The stakeholder network; the group map (one node per kind × district) above `node_limit`
    actors. `actor_ids` restricts the map to those actors (a filter, an ego network)."""
    links = analysis.links
    rows = actor_rows(links, actor_ids)
    codes = links.group_codes[rows]
    group_links = links.group_links(None if actor_ids is None else links.ids[rows].tolist())
    groups = [links.groups[c] for c in np.unique(codes).tolist()]
    anchors = _group_anchors(groups, group_links, seed=seed)
    if len(rows) > node_limit:
        cells = _group_cells(links, rows)
        return _group_map(cells, anchors, group_links, translate=translate)
    members: dict[Group, list] = defaultdict(list)
    for code, node in zip(codes.tolist(), links.ids[rows].tolist(), strict=True):
        members[links.groups[code]].append(node)
    G = analysis.graph.subgraph({CITY, *links.ids[rows].tolist()})
    return _actor_map(analysis, G, anchors, members, seed=seed, translate=translate)


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


def _group_anchors(groups: list[Group], group_links: dict[tuple, int], *, seed: int) -> dict:
    """A seeded spring layout of the kind × district groups (and the city), never of the actors:
    a few dozen nodes lay out in milliseconds, 10 000 actors would take minutes."""
    layout = nx.Graph()
    layout.add_node(CITY)
    layout.add_nodes_from(groups)
    for pair, weight in sorted(group_links.items(), key=str):
        layout.add_edge(*pair, weight=weight)
    if len(layout) == 1:
        return {CITY: np.zeros(2)}
    return nx.spring_layout(layout, seed=seed, weight="weight")


def _actor_positions(anchors, members, *, seed: int) -> dict:
    """Each actor in a disc around its group's anchor, the disc's area growing with the group."""
    rng = np.random.RandomState(seed)
    positions = {CITY: anchors[CITY]}
    for group in sorted(members):
        nodes = sorted(members[group])
        radius = GROUP_SPREAD * np.sqrt(len(nodes))
        r = radius * np.sqrt(rng.uniform(0, 1, len(nodes)))
        angle = rng.uniform(0, 2 * np.pi, len(nodes))
        offsets = np.column_stack((r * np.cos(angle), r * np.sin(angle)))
        for node, offset in zip(nodes, anchors[group] + offsets, strict=True):
            positions[node] = offset
    return positions


def _segments(edges, positions) -> tuple[np.ndarray, np.ndarray]:
    """x and y of line segments, each followed by a gap (NaN: plotly breaks the line there)."""
    xy = np.full((len(edges) * 3, 2), np.nan, dtype=np.float32)
    for i, (source, target) in enumerate(edges):
        xy[3 * i] = positions[source]
        xy[3 * i + 1] = positions[target]
    return xy[:, 0], xy[:, 1]


def _actor_map(analysis, G, anchors, members, *, seed, translate) -> go.Figure:
    actors = sorted(n for n, _ in actor_nodes(G))
    positions = _actor_positions(anchors, members, seed=seed)
    relations = [(s, t) for s, t in G.edges() if CITY not in (s, t)]
    city_links = [(s, t) for s, t in G.edges() if CITY in (s, t)]
    fig = go.Figure()
    x, y = _segments(relations, positions)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            line={"width": 0.6, "color": "#BBBBBB"},
            hoverinfo="skip",
            name=translate(N_("Relations")),
        )
    )
    x, y = _segments(city_links, positions)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            line={"width": 0.8, "color": STATUS_COLOURS[ReachStatus.DIRECT], "dash": "dot"},
            hoverinfo="skip",
            name=translate(N_("Reached directly by the city")),
        )
    )
    fig.add_traces(status_traces(analysis, positions, actors, size=9, translate=translate))
    city = np.asarray(positions[CITY], dtype=np.float32)
    fig.add_trace(
        go.Scatter(
            x=city[:1],
            y=city[1:],
            mode="markers+text",
            name=translate(N_("City")),
            marker={"color": CITY_COLOUR, "size": 16, "symbol": "star"},
            text=[translate(N_("City"))],
            textposition="top center",
            hoverinfo="text",
            hovertext=[translate(N_("City"))],
        )
    )
    _network_layout(fig, translate(N_("Stakeholder network")), level="actor")
    return fig


def _group_map(cells: list[GroupCell], anchors, group_links, *, translate) -> go.Figure:
    groups = [(c.kind, c.district) for c in cells]
    totals = np.array([c.total for c in cells], dtype=np.int64)
    direct = np.array([c.direct for c in cells], dtype=np.int64)
    shares = np.array([c.share_direct for c in cells], dtype=np.float32)
    fig = go.Figure()
    between = {pair: w for pair, w in group_links.items() if CITY not in pair}
    if between:
        # One trace per width class: a plotly line trace has one width for all its segments.
        heaviest = max(between.values())
        classes: dict[int, list] = defaultdict(list)
        for pair, weight in sorted(between.items(), key=str):
            classes[1 + int(round(5 * weight / heaviest))].append(pair)
        for width, pairs in sorted(classes.items()):
            x, y = _segments(pairs, anchors)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    line={"width": width, "color": "#BBBBBB"},
                    hoverinfo="skip",
                    showlegend=False,
                    name=translate(N_("Relations")),
                )
            )
    xy = np.array([anchors[g] for g in groups], dtype=np.float32).reshape(-1, 2)
    sizes = (12 + 38 * np.sqrt(totals / totals.max())) if len(groups) else totals
    fig.add_trace(
        go.Scatter(
            x=xy[:, 0],
            y=xy[:, 1],
            mode="markers",
            name=translate(N_("Groups")),
            marker={
                "size": sizes.astype(np.float32),
                "color": shares.astype(np.float32),
                "colorscale": SHARE_COLOURSCALE,
                "cmin": 0,
                "cmax": 1,
                "colorbar": {"title": {"text": translate(N_("Share reached directly"))}},
                "line": {"width": 1, "color": "#333333"},
            },
            customdata=[f"kind_district:{kind}/{district}" for kind, district in groups],
            hovertext=[
                translate(N_("%(kind)s in %(district)s: %(direct)d of %(total)d reached directly"))
                % {
                    "kind": translate(KIND_LABELS.get(kind, kind)),
                    "district": html.escape(district),
                    "direct": d,
                    "total": t,
                }
                for (kind, district), d, t in zip(groups, direct, totals, strict=True)
            ],
            hoverinfo="text",
            meta={"totals": totals.tolist(), "direct": direct.tolist()},
        )
    )
    _network_layout(fig, translate(N_("Stakeholder groups")), level="group")
    return fig


def _network_layout(fig: go.Figure, title: str, *, level: str) -> None:
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(
        title={"text": title},
        meta={"level": level},
        xaxis=hidden,
        yaxis={**hidden, "scaleanchor": "x"},
        hovermode="closest",
        template="plotly_white",
        legend={"itemsizing": "constant"},
    )
