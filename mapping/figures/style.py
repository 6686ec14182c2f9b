"""What every figure shares: the colour-blind safe palette, the kind symbols, the actor rows of
a figure, the actors' hover text and their markers per reach status.

Figures are pure functions: an `Analysis` in, a plotly Figure out, never the database
(docs/architecture.md). Every text goes through `translate` (a callable from an English msgid to
the user's language, identity by default), so the app gives Dutch or English labels without
this package importing Flask. Coordinates are numpy float32 arrays: plotly serialises them as
compact typed arrays (docs/performance.md#maps-and-pages).
"""

import html
from collections.abc import Callable, Iterable

import numpy as np
import plotly.graph_objects as go

from crm.messages import N_
from crm.vocabulary import KIND_LABELS, NEXT_ACTION_LABELS, REACH_STATUS_LABELS, Kind, ReachStatus
from mapping.analysis import Analysis
from mapping.links import NO_DISTRICT, ActorLinks

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
UNKNOWN = "—"  # no direct contact yet
# The words of an actor's hover text. Never N_() inside an f-string: pybabel does not look
# there, and the word stays English in the Dutch UI (tests/test_i18n.py checks).
HOVER_KIND = N_("Kind")
HOVER_DISTRICT = N_("District")
HOVER_LAST_DIRECT = N_("Last direct contact")
HOVER_NEXT_ACTION = N_("Next action")
LEGEND_FONT_SIZE = 12
# The status legend (colours) on top, the kind legend (shapes) under it, both right of the plot
# on a wide screen; static/maps.js moves them under the plot on a phone.
STATUS_LEGEND = {"x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top"}
KIND_LEGEND = {"x": 1.02, "xanchor": "left", "y": 0.55, "yanchor": "top"}


def identity(text: str) -> str:
    """The default `translate`: English as written."""
    return text


def actor_rows(links: ActorLinks, actor_ids: Iterable[int] | None) -> np.ndarray:
    """The rows of `actor_ids` in the link matrix (every actor for None), in id order."""
    if actor_ids is None:
        rows = np.arange(len(links.order), dtype=np.int64)
    else:
        rows = np.unique(links.rows_of(actor_ids))
    return rows[np.argsort(links.ids[rows], kind="stable")]


def kind_order(kinds: Iterable[str]) -> list[str]:
    """The kinds in the vocabulary's order, unknown kinds after them."""
    known = [str(k) for k in Kind]
    return sorted(kinds, key=lambda k: (known.index(k) if k in known else len(known), k))


def status_traces(
    analysis: Analysis,
    positions: dict,
    nodes: Iterable[int],
    *,
    size: int,
    translate: Translate,
    highlighted=None,
) -> list[go.Scatter]:
    """One marker trace per reach status: the colour is the status, the symbol the kind, the
    hover text who the actor is and what to do next. `highlighted(node)`: a thick black border."""
    G = analysis.graph
    traces = []
    for status, colour in STATUS_COLOURS.items():
        chosen = [n for n in nodes if G.nodes[n]["status"] == status]
        if not chosen:
            continue
        xy = np.array([positions[n] for n in chosen], dtype=np.float32)
        border = {"width": 0.5, "color": "#333333"}
        if highlighted is not None:
            marked = [highlighted(n) for n in chosen]
            border = {
                "width": [3 if m else 0.5 for m in marked],
                "color": ["#000000" if m else "#666666" for m in marked],
            }
        traces.append(
            go.Scatter(
                x=xy[:, 0],
                y=xy[:, 1],
                mode="markers",
                name=translate(REACH_STATUS_LABELS[status]),
                legendgroup=f"status:{status}",  # the status legend of `legend_traces`
                showlegend=False,
                marker={
                    "color": colour,
                    "size": size,
                    "symbol": [KIND_SYMBOLS.get(G.nodes[n]["kind"], "circle") for n in chosen],
                    "line": border,
                },
                customdata=np.array(chosen),
                hovertext=[actor_hover(analysis, n, translate) for n in chosen],
                hoverinfo="text",
                meta={"status": str(status)},
            )
        )
    return traces


def actor_hover(analysis: Analysis, node: int, translate: Translate) -> str:
    """Who the actor is, its last direct contact and its next action, as hover HTML."""
    data = analysis.actor(node)
    last = data.get("last_direct_at")
    last_text = last.date().isoformat() if last else UNKNOWN
    kind = translate(KIND_LABELS.get(data["kind"], data["kind"]))
    lines = [
        f"<b>{html.escape(str(data['name']))}</b>",
        f"{translate(HOVER_KIND)}: {kind}",
        f"{translate(HOVER_DISTRICT)}: {html.escape(data.get('district') or NO_DISTRICT)}",
        f"{translate(HOVER_LAST_DIRECT)}: {last_text}",
    ]
    recommendation = analysis.recommendation_for(node)
    if recommendation is not None:
        action = translate(NEXT_ACTION_LABELS[recommendation.action])
        reason = html.escape(recommendation.reason.render(translate))
        lines.append(f"{translate(HOVER_NEXT_ACTION)}: {action} ({reason})")
    return "<br>".join(lines)


def legend_traces(kinds: Iterable[str], *, translate: Translate) -> list[go.Scatter]:
    """Two legends drawn by empty traces: the colour of each reach status ("legend", a click
    hides the actors of that status) and the shape of each kind ("legend2")."""
    traces = [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=translate(REACH_STATUS_LABELS[status]),
            legend="legend",
            legendgroup=f"status:{status}",
            marker={"color": colour, "symbol": "circle", "size": 10},
            hoverinfo="skip",
        )
        for status, colour in STATUS_COLOURS.items()
    ]
    traces += [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=translate(KIND_LABELS.get(kind, kind)),
            legend="legend2",
            marker={
                "color": "#FFFFFF",
                "symbol": KIND_SYMBOLS.get(kind, "circle"),
                "size": 10,
                "line": {"color": "#333333", "width": 1.5},
            },
            hoverinfo="skip",
        )
        for kind in kind_order(kinds)
    ]
    return traces


def legend_layout(translate: Translate) -> dict:
    """The layout of the two legends of `legend_traces`."""
    font = {"size": LEGEND_FONT_SIZE}
    return {
        "legend": {
            **STATUS_LEGEND,
            "title": {"text": translate(N_("Reach"))},
            "itemsizing": "constant",
            "font": font,
        },
        "legend2": {
            **KIND_LEGEND,
            "title": {"text": translate(N_("Kind"))},
            "itemsizing": "constant",
            "itemclick": False,
            "itemdoubleclick": False,
            "font": font,
        },
    }
