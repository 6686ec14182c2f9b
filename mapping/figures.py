"""Maps and charts of the reach analysis: pure functions, an `Analysis` in, a plotly Figure out.

Figures are built from the analysis result only, never from the database (DESIGN.md §4). Every
text goes through `translate` (a callable from English msgid to the user's language, identity by
default), so the app gives Dutch or English labels without this module importing Flask.

Colours are colour-blind safe: the Okabe-Ito palette for the four reach statuses, 'Cividis' for
shares. Coordinates are numpy float32 arrays: plotly serialises them as compact typed arrays
(PERFORMANCE.md, "Web and plotly").
"""

import html
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from crm.messages import N_
from crm.vocabulary import (
    CHANNEL_LABELS,
    KIND_LABELS,
    QUADRANT_LABELS,
    REACH_STATUS_LABELS,
    Kind,
    ReachStatus,
)
from mapping.analysis import Analysis
from mapping.build import CITY
from mapping.dashboard import DIRECT
from mapping.links import NO_DISTRICT, ActorLinks, Group
from mapping.reach import GroupReach, actor_nodes

Translate = Callable[[str], str]

STATUS_COLOURS = {  # Okabe-Ito
    ReachStatus.DIRECT: "#009E73",
    ReachStatus.DIGITAL_ONLY: "#56B4E9",
    ReachStatus.ATTEMPTED: "#E69F00",
    ReachStatus.NONE: "#999999",
}
CITY_COLOUR = "#000000"
SHARE_COLOURSCALE = "Cividis"
KIND_SYMBOLS = {
    Kind.RESIDENT: "circle",
    Kind.BUSINESS: "square",
    Kind.KNOWLEDGE_INSTITUTION: "diamond",
    Kind.POVERTY_ORGANISATION: "triangle-up",
    Kind.CIVIC_ASSOCIATION: "pentagon",
    Kind.PUBLIC_BODY: "hexagon",
    Kind.OTHER: "cross",
}
ACTION_LABELS = {
    "visit": N_("Visit"),
    "call": N_("Call"),
    "introduce": N_("Ask for an introduction"),
    "find_details": N_("Find contact details"),
}
NODE_LIMIT = 2000  # above this many actors the network map shows the group map
HIGH = 3  # power and interest above this (4 or 5) are high; 1, 2 and 3 are low
JITTER = 0.25  # below 0.5: a jittered point stays inside its cell of the 1-5 grid
GROUP_SPREAD = 0.06  # radius of a group of one actor around its anchor; grows with sqrt(size)
UNKNOWN = "—"  # no direct contact yet
# Channel mix: direct channels in solid Okabe-Ito colours, the other channels hatched (the two
# blocks stay apart without colour vision, and in a black-and-white print).
CHANNEL_COLOURS = {
    "phone": "#0072B2",
    "visit": "#009E73",
    "meeting": "#56B4E9",
    "event": "#CC79A7",
    "intermediary": "#F0E442",
    "letter": "#E69F00",
    "email": "#D55E00",
    "newsletter": "#999999",
    "online": "#000000",
    "sms": "#BBBBBB",
}


def _identity(text: str) -> str:
    return text


# --- network map ------------------------------------------------------------------------------


def network_figure(
    analysis: Analysis,
    *,
    seed: int = 7,
    node_limit: int = NODE_LIMIT,
    actor_ids: Iterable[int] | None = None,
    translate: Translate = _identity,
) -> go.Figure:
    """The stakeholder network; the group map (one node per kind × district) above `node_limit`
    actors. `actor_ids` restricts the map to those actors (a filter, an ego network)."""
    links = analysis.links
    rows = _rows(links, actor_ids)
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
    return _group_cells(analysis.links, _rows(analysis.links, actor_ids))


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


def _rows(links: ActorLinks, actor_ids: Iterable[int] | None) -> np.ndarray:
    """The rows of `actor_ids` in the link matrix (every actor for None), in id order."""
    if actor_ids is None:
        rows = np.arange(len(links.order), dtype=np.int64)
    else:
        rows = np.unique(links.rows_of(actor_ids))
    return rows[np.argsort(links.ids[rows], kind="stable")]


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
    for status, colour in STATUS_COLOURS.items():
        nodes = [n for n in actors if G.nodes[n]["status"] == status]
        if not nodes:
            continue
        xy = np.array([positions[n] for n in nodes], dtype=np.float32)
        fig.add_trace(
            go.Scatter(
                x=xy[:, 0],
                y=xy[:, 1],
                mode="markers",
                name=translate(REACH_STATUS_LABELS[status]),
                marker={
                    "color": colour,
                    "size": 9,
                    "symbol": [KIND_SYMBOLS.get(G.nodes[n]["kind"], "circle") for n in nodes],
                    "line": {"width": 0.5, "color": "#333333"},
                },
                customdata=np.array(nodes),
                hovertext=[_actor_hover(analysis, n, G.nodes[n], translate) for n in nodes],
                hoverinfo="text",
                meta={"status": str(status)},
            )
        )
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


def _actor_hover(analysis: Analysis, node: int, data: dict, translate: Translate) -> str:
    last = data.get("last_direct_at")
    last_text = last.date().isoformat() if last else UNKNOWN
    lines = [
        f"<b>{html.escape(str(data['name']))}</b>",
        f"{translate(N_('Kind'))}: {translate(KIND_LABELS.get(data['kind'], data['kind']))}",
        f"{translate(N_('District'))}: {html.escape(data.get('district') or NO_DISTRICT)}",
        f"{translate(N_('Last direct contact'))}: {last_text}",
    ]
    recommendation = analysis.recommendation_for(node)
    if recommendation is not None:
        action = translate(ACTION_LABELS.get(recommendation.action, recommendation.action))
        reason = html.escape(recommendation.reason.render(translate))
        lines.append(f"{translate(N_('Next action'))}: {action} ({reason})")
    return "<br>".join(lines)


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


# --- power / interest grid --------------------------------------------------------------------


def quadrant(influence: int, interest: int) -> str:
    """The Mendelow quadrant: a value above 3 (4 or 5) is high, 1 to 3 is low.

    3 counts as low because it is also what an actor without a known influence or interest
    gets: unknown actors land in `monitor`, not in `manage_closely`.
    """
    if influence > HIGH:
        return "manage_closely" if interest > HIGH else "keep_satisfied"
    return "keep_informed" if interest > HIGH else "monitor"


def needs_attention(data: dict) -> bool:
    """High power or high interest, and not reached directly: highlighted on the grid."""
    high = data["influence"] > HIGH or data["interest"] > HIGH
    return high and data["status"] != ReachStatus.DIRECT


def power_interest_positions(
    analysis: Analysis, *, seed: int = 7, actor_ids: Iterable[int] | None = None
) -> dict[int, tuple]:
    """(interest, influence) of every actor (or of `actor_ids`), jittered (by less than JITTER)
    where actors tie."""
    nodes = _chosen_actors(analysis, actor_ids)
    G = analysis.graph
    points = np.array(
        [(G.nodes[n]["interest"], G.nodes[n]["influence"]) for n in nodes], dtype=np.float64
    ).reshape(-1, 2)
    ties = Counter(map(tuple, points.tolist()))
    tied = np.array([ties[tuple(p)] > 1 for p in points.tolist()], dtype=bool)
    offsets = np.random.RandomState(seed).uniform(-JITTER, JITTER, points.shape)
    points[tied] += offsets[tied]
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, points.tolist(), strict=True)}


@dataclass(frozen=True)
class PowerInterestCell:
    """The actors with one influence and interest score: how many, reached directly, needing
    attention (high influence or interest, not reached directly)."""

    influence: int
    interest: int
    total: int
    direct: int
    attention: int

    @property
    def quadrant(self) -> str:
        return quadrant(self.influence, self.interest)


def power_interest_cells(
    analysis: Analysis, *, actor_ids: Iterable[int] | None = None
) -> list[PowerInterestCell]:
    """The actors counted per (influence, interest) score, highest influence first."""
    links = analysis.links
    rows = _rows(links, actor_ids)
    influence, interest = links.values("influence")[rows], links.values("interest")[rows]
    unreached = links.unreached[rows]
    attention = ((influence > HIGH) | (interest > HIGH)) & unreached  # as `needs_attention`
    scores, codes = np.unique(
        np.column_stack((-influence, interest)).reshape(-1, 2), axis=0, return_inverse=True
    )
    codes = codes.reshape(-1)
    totals = np.bincount(codes, minlength=len(scores))
    direct = np.bincount(codes[~unreached], minlength=len(scores))
    needing = np.bincount(codes[attention], minlength=len(scores))
    return [
        PowerInterestCell(-minus_influence, score, total, reached, attending)
        for (minus_influence, score), total, reached, attending in zip(
            scores.tolist(), totals.tolist(), direct.tolist(), needing.tolist(), strict=True
        )
    ]


def power_interest_figure(
    analysis: Analysis,
    *,
    seed: int = 7,
    node_limit: int = NODE_LIMIT,
    actor_ids: Iterable[int] | None = None,
    translate: Translate = _identity,
) -> go.Figure:
    """Actors by interest (x) and influence (y), coloured by reach status, in their quadrants;
    above `node_limit` actors one bubble per score instead (`layout.meta.level`: 'cell')."""
    if len(_rows(analysis.links, actor_ids)) > node_limit:
        fig = _power_interest_cells_figure(analysis, actor_ids, translate=translate)
        level = "cell"
    else:
        fig = _power_interest_actors_figure(analysis, actor_ids, seed=seed, translate=translate)
        level = "actor"
    _quadrants(fig, translate)
    fig.update_layout(meta={"level": level})
    return fig


def _chosen_actors(analysis: Analysis, actor_ids: Iterable[int] | None) -> list[int]:
    links = analysis.links
    return links.ids[_rows(links, actor_ids)].tolist()


def _power_interest_actors_figure(analysis, actor_ids, *, seed, translate) -> go.Figure:
    G = analysis.graph
    positions = power_interest_positions(analysis, seed=seed, actor_ids=actor_ids)
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        nodes = [n for n in positions if G.nodes[n]["status"] == status]
        if not nodes:
            continue
        xy = np.array([positions[n] for n in nodes], dtype=np.float32)
        flagged = [needs_attention(G.nodes[n]) for n in nodes]
        fig.add_trace(
            go.Scatter(
                x=xy[:, 0],
                y=xy[:, 1],
                mode="markers",
                name=translate(REACH_STATUS_LABELS[status]),
                marker={
                    "color": colour,
                    "size": 11,
                    "symbol": [KIND_SYMBOLS.get(G.nodes[n]["kind"], "circle") for n in nodes],
                    "line": {
                        "width": [3 if f else 0.5 for f in flagged],
                        "color": ["#000000" if f else "#666666" for f in flagged],
                    },
                },
                customdata=np.array(nodes),
                hovertext=[_actor_hover(analysis, n, G.nodes[n], translate) for n in nodes],
                hoverinfo="text",
                meta={"status": str(status)},
            )
        )
    return fig


def _power_interest_cells_figure(analysis, actor_ids, *, translate) -> go.Figure:
    cells = power_interest_cells(analysis, actor_ids=actor_ids)
    totals = np.array([c.total for c in cells], dtype=np.float64)
    shares = np.array([c.direct / c.total for c in cells], dtype=np.float32)
    sizes = 14 + 46 * np.sqrt(totals / totals.max()) if cells else totals
    text = N_(
        "Influence %(influence)d, interest %(interest)d: %(total)d actors, "
        "%(direct)d reached directly, %(attention)d need attention"
    )
    fig = go.Figure(
        go.Scatter(
            x=np.array([c.interest for c in cells], dtype=np.float32),
            y=np.array([c.influence for c in cells], dtype=np.float32),
            mode="markers+text",
            name=translate(N_("Actors per score")),
            text=[f"{c.total}" for c in cells],
            textposition="middle center",
            textfont={"color": "#FFFFFF"},
            marker={
                "size": sizes.astype(np.float32),
                "color": shares,
                "colorscale": SHARE_COLOURSCALE,
                "cmin": 0,
                "cmax": 1,
                "colorbar": {"title": {"text": translate(N_("Share reached directly"))}},
                "line": {
                    "width": [3 if c.attention else 0.5 for c in cells],
                    "color": ["#000000" if c.attention else "#666666" for c in cells],
                },
            },
            hovertext=[
                translate(text)
                % {
                    "influence": c.influence,
                    "interest": c.interest,
                    "total": c.total,
                    "direct": c.direct,
                    "attention": c.attention,
                }
                for c in cells
            ],
            hoverinfo="text",
            meta={"attention": [c.attention for c in cells]},
        )
    )
    return fig


def _quadrants(fig: go.Figure, translate: Translate) -> None:
    """The quadrant lines, labels and axes of the power/interest grid."""
    # The quadrant lines run between 3 (low) and 4 (high), on the cell borders of the grid.
    line = {"color": "#444444", "width": 1, "dash": "dash"}
    fig.add_vline(x=HIGH + 0.5, line=line)
    fig.add_hline(y=HIGH + 0.5, line=line)
    corners = {
        "manage_closely": (5.45, 5.45, "right"),
        "keep_satisfied": (0.55, 5.45, "left"),
        "keep_informed": (5.45, 0.55, "right"),
        "monitor": (0.55, 0.55, "left"),
    }
    for name, (x, y, align) in corners.items():
        fig.add_annotation(
            x=x,
            y=y,
            text=f"<b>{translate(QUADRANT_LABELS[name])}</b>",
            showarrow=False,
            xanchor=align,
            yanchor="top" if y > 3 else "bottom",
            name=name,
        )
    ticks = {"range": [0.5, 5.5], "tickvals": [1, 2, 3, 4, 5], "zeroline": False}
    fig.update_layout(
        title={"text": translate(N_("Power and interest"))},
        xaxis={**ticks, "title": {"text": translate(N_("Interest"))}},
        yaxis={**ticks, "title": {"text": translate(N_("Influence"))}},
        template="plotly_white",
        hovermode="closest",
    )


# --- reach dashboard --------------------------------------------------------------------------


def _group_label(dimension: str, key: str, translate: Translate) -> str:
    return translate(KIND_LABELS.get(key, key)) if dimension == "kind" else key


def _kind_order(kinds: Iterable[str]) -> list[str]:
    known = [str(k) for k in Kind]
    return sorted(kinds, key=lambda k: (known.index(k) if k in known else len(known), k))


def reach_bar_figure(
    analysis: Analysis,
    *,
    dimension: str = "kind",
    groups: Iterable[GroupReach] | None = None,
    translate: Translate = _identity,
) -> go.Figure:
    """Share reached directly per kind or per district, with the threshold as a line (`groups`:
    the analysis's groups to show, default all)."""
    if dimension not in ("kind", "district"):
        raise ValueError(f"dimension must be 'kind' or 'district', not {dimension!r}")
    shown = analysis.groups if groups is None else groups
    by_key = {g.key: g for g in shown if g.dimension == dimension}
    keys = _kind_order(by_key) if dimension == "kind" else sorted(by_key)
    bars = [by_key[k] for k in keys]
    colours = [
        STATUS_COLOURS[ReachStatus.DIRECT]
        if g.flag is None
        else STATUS_COLOURS[ReachStatus.ATTEMPTED]
        for g in bars
    ]
    fig = go.Figure(
        go.Bar(
            x=[_group_label(dimension, g.key, translate) for g in bars],
            y=[g.share_direct for g in bars],
            text=[f"{g.direct}/{g.total}" for g in bars],
            textposition="outside",
            marker={"color": colours},
            customdata=[g.ident for g in bars],
            hovertext=[g.sentence.render(translate) for g in bars],
            hoverinfo="text",
            name=translate(N_("Share reached directly")),
        )
    )
    threshold = analysis.settings.threshold
    fig.add_hline(
        y=threshold,
        line={"color": "#000000", "width": 2, "dash": "dash"},
        annotation_text=translate(N_("Threshold")) + f" {threshold:.0%}",
        annotation_position="top right",
    )
    title = (
        N_("Reached directly per kind")
        if dimension == "kind"
        else N_("Reached directly per district")
    )
    fig.update_layout(
        title={"text": translate(title)},
        xaxis={"title": {"text": translate(N_("Kind") if dimension == "kind" else N_("District"))}},
        yaxis={
            "title": {"text": translate(N_("Share reached directly"))},
            "range": [0, 1.1],
            "tickformat": ".0%",
        },
        template="plotly_white",
        showlegend=False,
    )
    return fig


def reach_heatmap_figure(
    analysis: Analysis,
    *,
    groups: Iterable[GroupReach] | None = None,
    translate: Translate = _identity,
) -> go.Figure:
    """Share reached directly per kind (rows) and district (columns); blank where nobody is
    (`groups`: the analysis's groups to show, default all)."""
    shown = analysis.groups if groups is None else groups
    cells = {tuple(g.key.split("/", 1)): g for g in shown if g.dimension == "kind_district"}
    kinds = _kind_order({kind for kind, _ in cells})
    districts = sorted({district for _, district in cells})
    z = [
        [cells[(k, d)].share_direct if (k, d) in cells else None for d in districts] for k in kinds
    ]
    text = [
        [
            f"{cells[(k, d)].direct}/{cells[(k, d)].total}" if (k, d) in cells else ""
            for d in districts
        ]
        for k in kinds
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=districts,
            y=[translate(KIND_LABELS.get(k, k)) for k in kinds],
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale=SHARE_COLOURSCALE,
            colorbar={
                "title": {"text": translate(N_("Share reached directly"))},
                "tickformat": ".0%",
            },
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": translate(N_("Reached directly per kind and district"))},
        xaxis={"title": {"text": translate(N_("District"))}},
        yaxis={"title": {"text": translate(N_("Kind"))}, "autorange": "reversed"},
        template="plotly_white",
    )
    return fig


def reach_over_time_figure(analysis: Analysis, *, translate: Translate = _identity) -> go.Figure:
    """Distinct actors reached directly and reached at all per Brussels calendar month (the
    analysis's last 24 months, oldest first)."""
    months = analysis.reach_over_time
    x = [m.month.strftime("%Y-%m") for m in months]
    fig = go.Figure()
    lines = (
        ("direct", N_("Reached directly"), STATUS_COLOURS[ReachStatus.DIRECT], "solid", "circle"),
        (
            "reached",
            N_("Reached at all"),
            STATUS_COLOURS[ReachStatus.DIGITAL_ONLY],
            "dash",
            "square",
        ),
    )
    for attribute, label, colour, dash, symbol in lines:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=np.array([getattr(m, attribute) for m in months], dtype=np.int32),
                mode="lines+markers",
                name=translate(label),
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": symbol, "size": 6, "color": colour},
                hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
                meta={"series": attribute},
            )
        )
    fig.update_layout(
        title={"text": translate(N_("Actors reached per month"))},
        xaxis={"title": {"text": translate(N_("Month"))}, "type": "category"},
        yaxis={
            "title": {"text": translate(N_("Actors reached"))},
            "rangemode": "tozero",
            "tickformat": "d",
        },
        template="plotly_white",
        hovermode="x unified",
    )
    return fig


def channel_mix_figure(analysis: Analysis, *, translate: Translate = _identity) -> go.Figure:
    """Share of each channel in the contacts per kind (reach window): stacked horizontal bars,
    direct channels first and solid, the other channels after them and hatched."""
    mix = analysis.channel_mix
    kinds = _kind_order(mix)
    totals = {kind: sum(mix[kind].values()) for kind in kinds}
    channels = [c for c in CHANNEL_LABELS if any(c in mix[k] for k in kinds)]
    channels += sorted({c for k in kinds for c in mix[k]} - set(channels))
    labels = [translate(KIND_LABELS.get(k, k)) for k in kinds]
    fig = go.Figure()
    for channel in sorted(channels, key=lambda c: c not in DIRECT):  # stable: direct first
        direct = channel in DIRECT
        counts = [mix[k].get(channel, 0) for k in kinds]
        group = N_("Direct channels") if direct else N_("Other channels")
        fig.add_trace(
            go.Bar(
                x=np.array([n / totals[k] for n, k in zip(counts, kinds, strict=True)], np.float32),
                y=labels,
                orientation="h",
                name=translate(CHANNEL_LABELS.get(channel, channel)),
                legendgroup="direct" if direct else "other",
                legendgrouptitle={"text": translate(group)},
                marker={
                    "color": CHANNEL_COLOURS.get(channel, "#666666"),
                    "line": {"width": 0.5, "color": "#333333"},
                    "pattern": {"shape": "" if direct else "/", "fgcolor": "#FFFFFF"},
                },
                customdata=counts,
                hovertemplate="%{y}: %{customdata} (%{x:.0%})<extra>%{fullData.name}</extra>",
                meta={"channel": channel, "direct": direct},
            )
        )
    fig.update_layout(
        title={"text": translate(N_("Contacts per channel and kind"))},
        barmode="stack",
        xaxis={
            "title": {"text": translate(N_("Share of contacts"))},
            "range": [0, 1],
            "tickformat": ".0%",
        },
        yaxis={"title": {"text": translate(N_("Kind"))}, "autorange": "reversed"},
        legend={"groupclick": "toggleitem", "traceorder": "grouped"},
        template="plotly_white",
        meta={"totals": [totals[k] for k in kinds]},
    )
    return fig
