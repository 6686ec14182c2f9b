"""The power/interest grid (Mendelow): the actors by interest (x) and influence (y), 1 to 5
each, in Mendelow's four quadrants, by reach status. Quadrants and "high" are the rule of
crm.power_interest.

Two levels (`layout.meta.level`), chosen by `power_interest_level`:

- 'actor': one marker per actor (colour: reach status, shape: kind, thick black border: needs
  attention), packed in a small grid inside its cell, the same data always giving the same
  picture; names only where they fit without overlapping (the table view lists everyone);
- 'cell': per cell one horizontal bar split by reach status, its length the cell's count, with
  the count and the number needing attention written in the cell. At most 25 cells × 4
  statuses, however many actors there are.

The quadrant names sit in strips above and below the cells (the y axis runs past the grid), so
they never cover a marker or a bar. Every size below is chosen for the narrowest plot, a phone's
(`PX_PER_UNIT_X`, `PX_PER_UNIT_Y`): what fits there fits on a desktop, where a data unit covers
more pixels.
"""

import html
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from crm.messages import N_
from crm.power_interest import HIGH, high_power_or_interest, needs_attention, quadrant
from crm.vocabulary import QUADRANT_LABELS, REACH_STATUS_LABELS, Quadrant, ReachStatus
from mapping.analysis import Analysis
from mapping.figures import labels as lb
from mapping.figures.network import NODE_LIMIT
from mapping.figures.style import (
    STATUS_COLOURS,
    Translate,
    actor_rows,
    identity,
    legend_layout,
    legend_traces,
    status_traces,
)

# Names are only readable for a few actors: the demo city's 80 poverty organisations fill at
# most 16 actors in one cell (a 4 × 4 packed grid of 11 px markers on a phone); a district's
# 224 actors would put 24 markers in a cell and leave room for hardly any name. Above 100
# actors, or above 36 in one cell (a 6 × 6 grid of 5 px markers on a phone: the smallest that
# can still be pointed at; a small city whose scores are unknown has everyone in 3 / 3), the
# grid counts.
ACTOR_LIMIT = 100
CELL_ACTOR_LIMIT = 36
SCORES = (1, 2, 3, 4, 5)
CELLS = lb.Box(0.5, 0.5, 5.5, 5.5)  # the 5 × 5 cells in data units
STRIP = 0.5  # data units above and below the cells: the strips of the quadrant names
# The figure's own size: a fixed height, so the vertical scale is the same on every screen.
FIGURE_HEIGHT_PX = 560
MARGIN_PX = {"l": 56, "r": 12, "t": 56, "b": 64}
# The narrowest plot: a 390 px phone gives the figure a 371 px box (measured on chromium),
# less the left and right margins; static/maps.js puts the legends under a phone's chart,
# which leaves the plot area 358 px of the 440 it has on a desktop (measured).
NARROWEST_PLOT_PX = 300
LOWEST_PLOT_PX = 350
PX_PER_UNIT_X = NARROWEST_PLOT_PX / (CELLS.right - CELLS.left)
PX_PER_UNIT_Y = LOWEST_PLOT_PX / (CELLS.top - CELLS.bottom + 2 * STRIP)
PX_PER_UNIT = min(PX_PER_UNIT_X, PX_PER_UNIT_Y)  # for what must fit both ways: markers
QUADRANT_FONT_PX = 12
QUADRANT_GAP = 0.05  # between the cells and their quadrant's name
# Where each quadrant's name stands: (x, y, yanchor). x is the middle of the quadrant's columns.
QUADRANT_PLACES = {
    Quadrant.KEEP_SATISFIED: ((CELLS.left + HIGH + 0.5) / 2, CELLS.top + QUADRANT_GAP, "bottom"),
    Quadrant.MANAGE_CLOSELY: ((HIGH + 0.5 + CELLS.right) / 2, CELLS.top + QUADRANT_GAP, "bottom"),
    Quadrant.MONITOR: ((CELLS.left + HIGH + 0.5) / 2, CELLS.bottom - QUADRANT_GAP, "top"),
    Quadrant.KEEP_INFORMED: ((HIGH + 0.5 + CELLS.right) / 2, CELLS.bottom - QUADRANT_GAP, "top"),
}
# Actor level: markers in a packed grid filling at most CELL_FILL of a cell, never further apart
# than MAX_SPACING (a small group stays together in the middle, with room for names around it).
CELL_FILL = 0.94
MAX_SPACING = 0.3
MARKER_MAX_PX = 14
BORDER_PX = 3  # the thick border of an actor needing attention (style.status_traces)
LABEL_FONT_PX = 12  # static/maps.js raises every smaller font to 12 px on a phone
LABEL_CHARS = 20  # a longer name is cut: the hover and the table give it in full
# Cell level, in data units from the cell's middle: the count above the bar, the number
# needing attention under it.
BAR_START = -0.44
BAR_LENGTH = 0.88  # the fullest cell's bar
BAR_THICKNESS = 0.22
COUNT_OFFSET = 0.28
ATTENTION_MARKER_PX = 10
ATTENTION_MARKER = {
    "symbol": "circle",
    "color": "#FFFFFF",
    "size": ATTENTION_MARKER_PX,
    "line": {"color": "#000000", "width": BORDER_PX},
}
CELL_BACKGROUND = "#F2F2F2"
# The hover text of one part of a cell's bar: its reach status (a vocabulary label) and count.
PART_HOVER = N_(
    "Influence %(influence)d, interest %(interest)d. %(status)s: %(count)d of %(total)d"
)


@dataclass(frozen=True)
class PowerInterestCell:
    """The actors with one influence and interest score: how many per reach status, and how
    many need attention (high influence or interest, not reached directly)."""

    influence: int
    interest: int
    direct: int
    digital_only: int
    attempted: int
    none: int
    attention: int

    @property
    def total(self) -> int:
        return self.direct + self.digital_only + self.attempted + self.none

    @property
    def quadrant(self) -> Quadrant:
        return quadrant(self.influence, self.interest)

    def count(self, status: str) -> int:
        """How many of the cell's actors have this reach status."""
        return getattr(self, ReachStatus(status).value)


def power_interest_cells(
    analysis: Analysis, *, actor_ids: Iterable[int] | None = None
) -> list[PowerInterestCell]:
    """The actors counted per (influence, interest) score and reach status, highest influence
    first, then lowest interest; only the scores some actor has."""
    links = analysis.links
    rows = actor_rows(links, actor_ids)
    influence, interest = links.values("influence")[rows], links.values("interest")[rows]
    attention = high_power_or_interest(influence, interest) & links.unreached[rows]
    statuses = list(STATUS_COLOURS)  # every reach status, in the vocabulary's order
    code_of = {status: code for code, status in enumerate(statuses)}
    status_codes = np.fromiter(
        (code_of[links.nodes[node]["status"]] for node in links.ids[rows].tolist()),
        dtype=np.int64,
        count=len(rows),
    )
    # One integer per score pair, ordered as the cells are listed: influence down, interest up.
    keys, cell_codes = np.unique((SCORES[-1] - influence) * 10 + interest, return_inverse=True)
    scores = np.column_stack((SCORES[-1] - keys // 10, keys % 10))
    per_status = np.bincount(
        cell_codes * len(statuses) + status_codes, minlength=len(scores) * len(statuses)
    ).reshape(len(scores), len(statuses))
    needing = np.bincount(cell_codes[attention], minlength=len(scores))
    return [
        PowerInterestCell(
            high,
            score,
            **{str(status): count for status, count in zip(statuses, counts, strict=True)},
            attention=attending,
        )
        for (high, score), counts, attending in zip(
            scores.tolist(), per_status.tolist(), needing.tolist(), strict=True
        )
    ]


def power_interest_level(
    analysis: Analysis,
    *,
    actor_ids: Iterable[int] | None = None,
    node_limit: int = NODE_LIMIT,
    actor_limit: int = ACTOR_LIMIT,
) -> str:
    """'actor' when the actors are few enough to draw one by one (at most `actor_limit` and
    `node_limit`, at most CELL_ACTOR_LIMIT in one cell), else 'cell'."""
    links = analysis.links
    rows = actor_rows(links, actor_ids)
    if len(rows) > min(node_limit, actor_limit):
        return "cell"
    cells = links.values("influence")[rows] * 10 + links.values("interest")[rows]
    fullest = np.bincount(cells).max() if len(rows) else 0
    return "cell" if fullest > CELL_ACTOR_LIMIT else "actor"


def power_interest_positions(
    analysis: Analysis, *, actor_ids: Iterable[int] | None = None
) -> dict[int, tuple[float, float]]:
    """Where each actor (or each of `actor_ids`) stands: (interest, influence) moved into a small
    packed grid of its cell, the most important actor (`importance`) top left."""
    links = analysis.links
    members: dict[tuple[int, int], list[int]] = defaultdict(list)
    for node in sorted(links.ids[actor_rows(links, actor_ids)].tolist(), key=_importance(analysis)):
        data = analysis.actor(node)
        members[(data["interest"], data["influence"])].append(node)
    positions = {}
    for (x, y), nodes in members.items():
        offsets = packed_offsets(len(nodes))
        for node, (dx, dy) in zip(nodes, offsets, strict=True):
            positions[node] = (x + dx, y + dy)
    return positions


def packed_offsets(count: int) -> list[tuple[float, float]]:
    """`count` points in rows of a square grid around (0, 0), filled left to right and top to
    bottom, `cell_spacing(count)` apart."""
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns) if count else 0
    spacing = cell_spacing(count)
    return [
        (
            (i % columns - (columns - 1) / 2) * spacing,
            ((rows - 1) / 2 - i // columns) * spacing,
        )
        for i in range(count)
    ]


def cell_spacing(count: int) -> float:
    """The distance in data units between two neighbouring markers of a cell of `count`."""
    return min(MAX_SPACING, CELL_FILL / max(1, math.ceil(math.sqrt(count))))


def marker_size_px(counts: Iterable[int]) -> float:
    """The marker size that keeps the markers of the fullest cell apart at PX_PER_UNIT, with
    their thick border and a pixel of air."""
    fullest = max(counts, default=1)
    return min(MARKER_MAX_PX, cell_spacing(fullest) * PX_PER_UNIT - BORDER_PX - 1)


def power_interest_figure(
    analysis: Analysis,
    *,
    node_limit: int = NODE_LIMIT,
    actor_limit: int = ACTOR_LIMIT,
    actor_ids: Iterable[int] | None = None,
    translate: Translate = identity,
) -> go.Figure:
    """Actors by interest (x) and influence (y) in their quadrants: one marker each when few
    (`layout.meta.level` 'actor'), else their counts per cell and reach status ('cell')."""
    level = power_interest_level(
        analysis, actor_ids=actor_ids, node_limit=node_limit, actor_limit=actor_limit
    )
    fig = go.Figure()
    if level == "cell":
        _draw_cells(fig, power_interest_cells(analysis, actor_ids=actor_ids), translate)
    else:
        _draw_actors(fig, analysis, actor_ids, translate)
    _draw_quadrants(fig, translate)
    fig.add_traces(_attention_legend(translate))
    fig.update_layout(**legend_layout(translate))
    fig.update_layout(meta={"level": level})
    return fig


def actor_needs_attention(data: dict) -> bool:
    """Whether an actor (its node attributes) needs attention on the grid (crm.power_interest)."""
    return needs_attention(
        influence=data["influence"], interest=data["interest"], status=data["status"]
    )


def _importance(analysis: Analysis):
    """The sort key of the actors, the most important first: needing attention, then the
    highest influence, the highest interest, then by name."""

    def key(node: int) -> tuple:
        data = analysis.actor(node)
        return (
            not actor_needs_attention(data),
            -data["influence"],
            -data["interest"],
            str(data["name"]).casefold(),
            node,
        )

    return key


# --- actor level -------------------------------------------------------------------------------


def _draw_actors(fig: go.Figure, analysis: Analysis, actor_ids, translate: Translate) -> None:
    positions = power_interest_positions(analysis, actor_ids=actor_ids)
    nodes = sorted(positions)
    per_cell = defaultdict(int)
    for node in nodes:
        data = analysis.actor(node)
        per_cell[(data["interest"], data["influence"])] += 1
    size = marker_size_px(per_cell.values())
    fig.add_traces(
        status_traces(
            analysis,
            positions,
            nodes,
            size=size,
            translate=translate,
            highlighted=lambda node: actor_needs_attention(analysis.actor(node)),
        )
    )
    fig.add_traces(legend_traces({analysis.actor(n)["kind"] for n in nodes}, translate=translate))
    ranked = sorted(nodes, key=_importance(analysis))
    labels = actor_labels(analysis, positions, ranked, marker_px=size)
    fig.update_layout(annotations=[lb.annotation(label, name="actor-label") for label in labels])


def actor_labels(
    analysis: Analysis, positions: dict, ranked: list[int], *, marker_px: float
) -> list[lb.Label]:
    """The actors' names, the most important first (`ranked`), beside their markers where they
    overlap no other name and no marker at the narrowest plot, inside the cells."""
    reach = (marker_px + BORDER_PX) / 2 / PX_PER_UNIT  # a marker's half width, border included
    markers = [
        lb.Box(x - reach, y - reach, x + reach, y + reach) for x, y in map(positions.get, ranked)
    ]
    candidates = [
        lb.around(
            _short_name(analysis.actor(node)["name"]),
            *positions[node],
            offset=reach + 2 / PX_PER_UNIT,
            font_size=LABEL_FONT_PX,
        )
        for node in ranked
    ]
    # Every placement stands `offset` beside its own marker, so its own box is never in the way.
    return lb.place_labels(
        candidates,
        px_per_unit=PX_PER_UNIT_X,
        px_per_unit_y=PX_PER_UNIT_Y,
        area=CELLS,
        taken=markers,
    )


def _short_name(name: str) -> str:
    text = str(name)
    if len(text) > LABEL_CHARS:
        text = text[: LABEL_CHARS - 1].rstrip() + "…"
    return html.escape(text)


# --- cell level --------------------------------------------------------------------------------


def _draw_cells(fig: go.Figure, cells: list[PowerInterestCell], translate: Translate) -> None:
    fullest = max((c.total for c in cells), default=1)
    starts = {c: BAR_START for c in cells}
    for status, colour in STATUS_COLOURS.items():
        parts = [c for c in cells if c.count(status)]
        lengths = [BAR_LENGTH * c.count(status) / fullest for c in parts]
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=np.array(lengths, dtype=np.float32),
                y=np.array([c.influence for c in parts], dtype=np.float32),
                base=np.array([c.interest + starts[c] for c in parts], dtype=np.float32),
                width=BAR_THICKNESS,
                marker={"color": colour, "line": {"width": 0}},
                name=translate(REACH_STATUS_LABELS[status]),
                legendgroup=f"status:{status}",  # the status legend hides these bars
                showlegend=False,
                hovertext=[_part_hover(c, status, translate) for c in parts],
                hoverinfo="text",
                meta={"status": str(status)},
            )
        )
        for cell, length in zip(parts, lengths, strict=True):
            starts[cell] += length
    fig.add_trace(_cell_counts(cells, translate))
    fig.add_trace(_cell_attention(cells, translate))
    fig.add_traces(legend_traces([], translate=translate))  # reach status only: no shapes
    fig.update_layout(barmode="overlay", bargap=0)


def _part_hover(cell: PowerInterestCell, status: str, translate: Translate) -> str:
    return translate(PART_HOVER) % {
        "influence": cell.influence,
        "interest": cell.interest,
        "status": translate(REACH_STATUS_LABELS[status]),
        "count": cell.count(status),
        "total": cell.total,
    }


def _cell_counts(cells: list[PowerInterestCell], translate: Translate) -> go.Scatter:
    """The number of actors of each cell, written above its bar."""
    text = N_("Influence %(influence)d, interest %(interest)d. Actors: %(total)d")
    return go.Scatter(
        x=np.array([c.interest + BAR_START for c in cells], dtype=np.float32),
        y=np.array([c.influence + COUNT_OFFSET for c in cells], dtype=np.float32),
        mode="text",
        text=[str(c.total) for c in cells],
        textposition="middle right",
        textfont={"size": 12, "color": "#222222"},
        name=translate(N_("Actors per cell")),
        showlegend=False,
        hovertext=[
            translate(text) % {"influence": c.influence, "interest": c.interest, "total": c.total}
            for c in cells
        ],
        hoverinfo="text",
        meta={"counts": [c.total for c in cells]},
    )


def _cell_attention(cells: list[PowerInterestCell], translate: Translate) -> go.Scatter:
    """Under the bar of each cell with actors needing attention: the attention marker (a thick
    black ring, as on an actor) and their number."""
    marked = [c for c in cells if c.attention]
    text = N_(
        "Influence %(influence)d, interest %(interest)d. Need attention (high influence or "
        "interest, not reached directly): %(count)d of %(total)d"
    )
    ring = (ATTENTION_MARKER_PX + BORDER_PX) / 2 / PX_PER_UNIT
    return go.Scatter(
        x=np.array([c.interest + BAR_START + ring for c in marked], dtype=np.float32),
        y=np.array([c.influence - COUNT_OFFSET for c in marked], dtype=np.float32),
        mode="markers+text",
        marker=ATTENTION_MARKER,
        text=[f"<b>{c.attention}</b>" for c in marked],
        textposition="middle right",
        textfont={"size": 12, "color": "#000000"},
        name=translate(N_("Needs attention")),
        legendgroup="attention",
        showlegend=False,
        hovertext=[
            translate(text)
            % {
                "influence": c.influence,
                "interest": c.interest,
                "count": c.attention,
                "total": c.total,
            }
            for c in marked
        ],
        hoverinfo="text",
        meta={"attention": [c.attention for c in marked]},
    )


# --- both levels -------------------------------------------------------------------------------


def _attention_legend(translate: Translate) -> list[go.Scatter]:
    """The legend entry of the thick black border, under the reach statuses."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=translate(N_("Needs attention")),
            legend="legend",
            legendgroup="attention",
            marker=ATTENTION_MARKER,
            hoverinfo="skip",
        )
    ]


def quadrant_labels(translate: Translate) -> dict[Quadrant, lb.Label]:
    """The name of each quadrant in the strip above or below its cells."""
    return {
        name: lb.Label(
            f"<b>{translate(QUADRANT_LABELS[name])}</b>",
            x,
            y,
            QUADRANT_FONT_PX,
            "center",
            yanchor,
        )
        for name, (x, y, yanchor) in QUADRANT_PLACES.items()
    }


def _draw_quadrants(fig: go.Figure, translate: Translate) -> None:
    """The cells' backgrounds, the quadrant lines and names, the axes and the layout."""
    # Shapes and annotations are set in one go: plotly validates every earlier one again on
    # each add_shape / add_annotation.
    shapes = [
        {
            "type": "rect",
            "x0": x - 0.48,
            "x1": x + 0.48,
            "y0": y - 0.48,
            "y1": y + 0.48,
            "fillcolor": CELL_BACKGROUND,
            "line": {"width": 0},
            "layer": "below",
            "name": "cell",
        }
        for x in SCORES
        for y in SCORES
    ]
    # The quadrant lines run between 3 (low) and 4 (high), on the cell borders, across the
    # strips too: they part the two names of a strip.
    line = {"color": "#444444", "width": 1, "dash": "dash"}
    middle = HIGH + 0.5
    shapes += [
        {"type": "line", "x0": middle, "x1": middle, "y0": 0, "y1": 1, "yref": "paper"},
        {"type": "line", "x0": CELLS.left, "x1": CELLS.right, "y0": middle, "y1": middle},
    ]
    for shape in shapes[-2:]:
        shape.update(line=line, layer="below")
    annotations = [*fig.layout.annotations]
    annotations += [
        lb.annotation(label, name=str(name)) for name, label in quadrant_labels(translate).items()
    ]
    ticks = {"tickvals": list(SCORES), "zeroline": False, "showgrid": False, "fixedrange": False}
    fig.update_layout(
        title={"text": translate(N_("Power and interest"))},
        xaxis={
            **ticks,
            "range": [CELLS.left, CELLS.right],
            "title": {"text": translate(N_("Interest"))},
        },
        yaxis={
            **ticks,
            "range": [CELLS.bottom - STRIP, CELLS.top + STRIP],
            "title": {"text": translate(N_("Influence"))},
        },
        shapes=shapes,
        annotations=annotations,
        height=FIGURE_HEIGHT_PX,
        margin=MARGIN_PX,
        template="plotly_white",
        hovermode="closest",
    )
