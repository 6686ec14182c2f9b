"""The power/interest grid (Mendelow): actors by interest and influence in their quadrants,
coloured by reach status, those needing attention highlighted; above the node limit one bubble
per score. Quadrants and "high" are the rule of crm.power_interest."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from crm.messages import N_
from crm.power_interest import HIGH, high_power_or_interest, needs_attention, quadrant
from crm.vocabulary import QUADRANT_LABELS, Quadrant
from mapping.analysis import Analysis
from mapping.figures.network import NODE_LIMIT
from mapping.figures.style import (
    SHARE_COLOURSCALE,
    Translate,
    actor_rows,
    identity,
    status_traces,
)

JITTER = 0.25  # below 0.5: a jittered point stays inside its cell of the 1-5 grid


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
    def quadrant(self) -> Quadrant:
        return quadrant(self.influence, self.interest)


def power_interest_cells(
    analysis: Analysis, *, actor_ids: Iterable[int] | None = None
) -> list[PowerInterestCell]:
    """The actors counted per (influence, interest) score, highest influence first."""
    links = analysis.links
    rows = actor_rows(links, actor_ids)
    influence, interest = links.values("influence")[rows], links.values("interest")[rows]
    unreached = links.unreached[rows]
    attention = high_power_or_interest(influence, interest) & unreached  # needs_attention
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
    translate: Translate = identity,
) -> go.Figure:
    """Actors by interest (x) and influence (y), coloured by reach status, in their quadrants;
    above `node_limit` actors one bubble per score instead (`layout.meta.level`: 'cell')."""
    if len(actor_rows(analysis.links, actor_ids)) > node_limit:
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
    return links.ids[actor_rows(links, actor_ids)].tolist()


def _power_interest_actors_figure(analysis, actor_ids, *, seed, translate) -> go.Figure:
    positions = power_interest_positions(analysis, seed=seed, actor_ids=actor_ids)

    def attention(node: int) -> bool:
        return actor_needs_attention(analysis.actor(node))

    traces = status_traces(
        analysis, positions, positions, size=11, translate=translate, highlighted=attention
    )
    return go.Figure(traces)


def actor_needs_attention(data: dict) -> bool:
    """Whether an actor (its node attributes) needs attention on the grid (crm.power_interest)."""
    return needs_attention(
        influence=data["influence"], interest=data["interest"], status=data["status"]
    )


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
        Quadrant.MANAGE_CLOSELY: (5.45, 5.45, "right"),
        Quadrant.KEEP_SATISFIED: (0.55, 5.45, "left"),
        Quadrant.KEEP_INFORMED: (5.45, 0.55, "right"),
        Quadrant.MONITOR: (0.55, 0.55, "left"),
    }
    for name, (x, y, align) in corners.items():
        fig.add_annotation(
            x=x,
            y=y,
            text=f"<b>{translate(QUADRANT_LABELS[name])}</b>",
            showarrow=False,
            xanchor=align,
            yanchor="top" if y > 3 else "bottom",
            name=str(name),
        )
    ticks = {"range": [0.5, 5.5], "tickvals": [1, 2, 3, 4, 5], "zeroline": False}
    fig.update_layout(
        title={"text": translate(N_("Power and interest"))},
        xaxis={**ticks, "title": {"text": translate(N_("Interest"))}},
        yaxis={**ticks, "title": {"text": translate(N_("Influence"))}},
        template="plotly_white",
        hovermode="closest",
    )
