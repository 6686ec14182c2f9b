"""The maps by name: one figure builder per chart of the pages and of `/api/v1/maps/<name>`,
plus the rows of each chart's table view (the same numbers, readable without the picture).
"""

from collections.abc import Callable
from dataclasses import dataclass

import plotly.io as pio
from plotly.graph_objects import Figure

from crm.power_interest import quadrant
from mapping import Analysis
from mapping import figures as mf
from mapping.filters import AnalysisFilter
from mapping.reach import GroupReach, actor_nodes

Translate = Callable[[str], str]
# Never more than 2 MB of figure data on a page (docs/performance.md#maps-and-pages).
MAX_FIGURE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class MapRequest:
    """Everything a figure depends on besides the analysis."""

    filters: AnalysisFilter
    node_limit: int
    translate: Translate


def network(analysis: Analysis, ask: MapRequest) -> Figure:
    """The stakeholder map (the group map above the node limit; the ego network of the
    filter's actor)."""
    return mf.network_figure(
        analysis,
        node_limit=ask.node_limit,
        actor_ids=ask.filters.actor_ids(analysis),
        ego=ask.filters.actor,
        translate=ask.translate,
    )


def power_interest(analysis: Analysis, ask: MapRequest) -> Figure:
    """The power/interest grid: one marker per actor when few, else the counts per cell."""
    return mf.power_interest_figure(
        analysis,
        node_limit=ask.node_limit,
        actor_ids=ask.filters.actor_ids(analysis),
        translate=ask.translate,
    )


def reach_by_kind(analysis: Analysis, ask: MapRequest) -> Figure:
    """Share reached directly per kind."""
    groups = ask.filters.groups_compatible(analysis.groups)
    return mf.reach_bar_figure(analysis, dimension="kind", groups=groups, translate=ask.translate)


def reach_by_district(analysis: Analysis, ask: MapRequest) -> Figure:
    """Share reached directly per district."""
    groups = ask.filters.groups_compatible(analysis.groups)
    return mf.reach_bar_figure(
        analysis, dimension="district", groups=groups, translate=ask.translate
    )


def reach_heatmap(analysis: Analysis, ask: MapRequest) -> Figure:
    """Share reached directly per kind and district."""
    groups = ask.filters.groups_compatible(analysis.groups)
    return mf.reach_heatmap_figure(analysis, groups=groups, translate=ask.translate)


def reach_over_time(analysis: Analysis, ask: MapRequest) -> Figure:
    """Actors reached (directly, and at all) per month, the last 24 months."""
    return mf.reach_over_time_figure(analysis, translate=ask.translate)


def channel_mix(analysis: Analysis, ask: MapRequest) -> Figure:
    """Per kind, how the contacts in the reach window split over the channels."""
    return mf.channel_mix_figure(analysis, translate=ask.translate)


FIGURES: dict[str, Callable[[Analysis, MapRequest], Figure]] = {
    "network": network,
    "power-interest": power_interest,
    "reach-by-kind": reach_by_kind,
    "reach-by-district": reach_by_district,
    "reach-heatmap": reach_heatmap,
    "reach-over-time": reach_over_time,
    "channel-mix": channel_mix,
}
DASHBOARD = (
    "reach-by-kind",
    "reach-by-district",
    "reach-heatmap",
    "reach-over-time",
    "channel-mix",
)
# These read the contact aggregates, loaded with the analysis only when asked for.
NEEDS_CONTACTS = frozenset({"reach-over-time", "channel-mix"})


def figure_json(figure: Figure) -> str:
    """The figure as plotly JSON: {"data": [...], "layout": {...}}."""
    return pio.to_json(figure, validate=False, pretty=False, engine="json")


def layout_of(figure: Figure) -> str:
    """The picture of the network map: 'group', 'bands', 'rings' or 'ego' (else '')."""
    meta = figure.layout.meta
    return meta.get("layout", "") if isinstance(meta, dict) else ""


def level_of(figure: Figure) -> str:
    """What a node of the figure is: 'actor', 'group' (the group map: a kind × district) or
    'cell' (the power/interest grid above the node limit: one influence and interest score)."""
    meta = figure.layout.meta
    return meta.get("level", "actor") if isinstance(meta, dict) else "actor"


# --- table views -------------------------------------------------------------------------------


def network_actor_rows(analysis: Analysis, filters: AnalysisFilter) -> list[dict]:
    """The actors on the network map, by name."""
    chosen = filters.actor_ids(analysis)
    rows = [
        {"id": node, **data}
        for node, data in actor_nodes(analysis.graph)
        if chosen is None or node in chosen
    ]
    return sorted(rows, key=lambda row: (row["name"].casefold(), row["id"]))


def group_map_cells(analysis: Analysis, filters: AnalysisFilter) -> list[mf.GroupCell]:
    """The groups on the group map, with their numbers."""
    return mf.group_map_cells(analysis, actor_ids=filters.actor_ids(analysis))


def groups_of(analysis: Analysis, dimension: str, filters: AnalysisFilter) -> list[GroupReach]:
    """The groups of one dimension the dashboard shows, by key."""
    groups = filters.groups_compatible(analysis.groups)
    return sorted((g for g in groups if g.dimension == dimension), key=lambda g: g.key)


def power_interest_rows(analysis: Analysis, filters: AnalysisFilter) -> list[dict]:
    """The actors of the grid with their quadrant, the ones needing attention first (asked at
    the grid's actor level only; above it the grid counts them: `power_interest_cells`)."""
    chosen = filters.actor_ids(analysis)
    G = analysis.graph
    nodes = [n for n, _ in actor_nodes(G)] if chosen is None else [n for n in chosen if n in G]
    rows = [
        {
            "id": node,
            **G.nodes[node],
            "quadrant": quadrant(G.nodes[node]["influence"], G.nodes[node]["interest"]),
            "attention": mf.actor_needs_attention(G.nodes[node]),
        }
        for node in nodes
    ]
    return sorted(rows, key=lambda r: (not r["attention"], r["name"].casefold(), r["id"]))


def power_interest_cells(analysis: Analysis, filters: AnalysisFilter) -> list[mf.PowerInterestCell]:
    """The actors of the grid counted per influence and interest score."""
    return mf.power_interest_cells(analysis, actor_ids=filters.actor_ids(analysis))
