"""The reach dashboard's charts: share reached directly per kind and per district with the
threshold, the kind × district heatmap, reach per month and the channel mix per kind; and the
flagged groups under one heading per flag, as the print report lists them.

Readable on a phone and on paper: shares in percent everywhere, the threshold marked on the bars
and on the heatmap's colour scale, text never below 11 px (bar labels that would shrink further
are hidden: the table view and the hover still give the numbers), legends left where plotly puts
them (static/maps.js moves them under a narrow chart; a fixed paper position would fight it).
"""

from collections.abc import Iterable
from datetime import datetime

import numpy as np
import plotly.graph_objects as go

from crm.messages import N_
from crm.vocabulary import CHANNEL_LABELS, KIND_LABELS, ReachStatus
from mapping.analysis import Analysis
from mapping.dashboard import DIRECT, MonthReach, is_running
from mapping.figures.style import SHARE_COLOURSCALE, STATUS_COLOURS, Translate, identity, kind_order
from mapping.reach import GroupReach

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

TEXT_SIZE = 12  # px: bar labels and heatmap cells, readable on a phone
MIN_TEXT_SIZE = 11  # px: plotly hides a bar label rather than shrink it below this
# Month ticks: every third month counted back from the last, so the running month is labelled.
MONTH_TICK_STEP = 3
SHARE_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
# A share tick this close to the threshold would overlap the threshold's own tick label.
THRESHOLD_TICK_GAP = 0.125


def _group_label(dimension: str, key: str, translate: Translate) -> str:
    return translate(KIND_LABELS.get(key, key)) if dimension == "kind" else key


def reach_bar_figure(
    analysis: Analysis,
    *,
    dimension: str = "kind",
    groups: Iterable[GroupReach] | None = None,
    translate: Translate = identity,
) -> go.Figure:
    """Share reached directly per kind or per district, with the threshold as a line (`groups`:
    the analysis's groups to show, default all)."""
    if dimension not in ("kind", "district"):
        raise ValueError(f"dimension must be 'kind' or 'district', not {dimension!r}")
    shown = analysis.groups if groups is None else groups
    by_key = {g.key: g for g in shown if g.dimension == dimension}
    keys = kind_order(by_key) if dimension == "kind" else sorted(by_key)
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
            textfont={"size": TEXT_SIZE},
            cliponaxis=False,
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
        # on a narrow chart the label may lie over a bar: keep it readable there
        annotation_bgcolor="rgba(255,255,255,0.85)",
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
        uniformtext={"minsize": MIN_TEXT_SIZE, "mode": "hide"},
    )
    return fig


def reach_heatmap_figure(
    analysis: Analysis,
    *,
    groups: Iterable[GroupReach] | None = None,
    translate: Translate = identity,
) -> go.Figure:
    """Share reached directly per kind (rows) and district (columns); blank where nobody is
    (`groups`: the analysis's groups to show, default all). The colour scale is in percent with
    the threshold marked on it; a click on a cell opens the group (its `customdata`)."""
    shown = analysis.groups if groups is None else groups
    cells = {tuple(g.key.split("/", 1)): g for g in shown if g.dimension == "kind_district"}
    kinds = kind_order({kind for kind, _ in cells})
    districts = sorted({district for _, district in cells})

    def each_cell(value, empty):
        return [
            [value(cells[(k, d)]) if (k, d) in cells else empty for d in districts] for k in kinds
        ]

    tickvals, ticktext = share_ticks(analysis.settings.threshold, translate)
    fig = go.Figure(
        go.Heatmap(
            z=each_cell(lambda g: g.share_direct, None),
            x=districts,
            y=[translate(KIND_LABELS.get(k, k)) for k in kinds],
            text=each_cell(lambda g: f"{g.direct}/{g.total}", ""),
            texttemplate="%{text}",
            textfont={"size": TEXT_SIZE},
            customdata=each_cell(lambda g: g.ident, None),
            hovertext=each_cell(lambda g: g.sentence.render(translate), ""),
            hovertemplate="%{hovertext} (%{z:.0%})<extra></extra>",
            zmin=0,
            zmax=1,
            colorscale=SHARE_COLOURSCALE,
            colorbar={
                "title": {"text": translate(N_("Share reached directly"))},
                "tickformat": ".0%",
                "tickmode": "array",
                "tickvals": tickvals,
                "ticktext": ticktext,
            },
        )
    )
    fig.update_layout(
        title={"text": translate(N_("Reached directly per kind and district"))},
        xaxis={"title": {"text": translate(N_("District"))}},
        yaxis={"title": {"text": translate(N_("Kind"))}, "autorange": "reversed"},
        template="plotly_white",
    )
    return fig


def share_ticks(threshold: float, translate: Translate) -> tuple[list[float], list[str]]:
    """The ticks of a colour scale of shares: 0 %, 25 %, … 100 % in percent, and the threshold
    named ("Threshold 50%") in place of any share tick close enough to collide with it."""
    kept = [v for v in SHARE_TICKS if abs(v - threshold) >= THRESHOLD_TICK_GAP]
    values = sorted([*kept, threshold])
    named = translate(N_("Threshold"))  # outside the f-string: pybabel reads no N_ inside one
    texts = [f"{named} {v:.0%}" if v == threshold else f"{v:.0%}" for v in values]
    return values, texts


def month_label(month: MonthReach, now: datetime, translate: Translate) -> str:
    """'2026-06', or '2026-06 (running)' for the month holding `now`: its counts are so far."""
    text = month.month.strftime("%Y-%m")
    if not is_running(month.month, now):
        return text
    return text + " " + translate(N_("(running)"))


def reach_over_time_figure(analysis: Analysis, *, translate: Translate = identity) -> go.Figure:
    """Distinct actors reached directly and reached at all per Brussels calendar month (the
    analysis's last 24 months, oldest first).

    The month holding `analysis.computed_at` is not over: its few days would look like a drop.
    Each measure is therefore two traces: the finished months as a line (`meta.series`), and the
    running month as an open marker on no line, hovered as "so far" (`meta.running`); its axis
    label says "(running)"."""
    months = analysis.reach_over_time
    labels = [month_label(m, analysis.computed_at, translate) for m in months]
    running = [is_running(m.month, analysis.computed_at) for m in months]
    finished = running.index(True) if True in running else len(months)
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
    so_far = translate(N_("so far"))
    for attribute, label, colour, dash, symbol in lines:
        counts = np.array([getattr(m, attribute) for m in months], dtype=np.int32)
        name = translate(label)
        fig.add_trace(
            go.Scatter(
                x=labels[:finished],
                y=counts[:finished],
                mode="lines+markers",
                name=name,
                legendgroup=attribute,
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": symbol, "size": 6, "color": colour},
                hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
                meta={"series": attribute},
            )
        )
        if finished == len(months):
            continue
        # The running month stands alone, an open marker on no line: a line into a month of
        # a few days would read as a drop.
        fig.add_trace(
            go.Scatter(
                x=labels[finished:],
                y=counts[finished:],
                mode="markers",
                name=name,
                legendgroup=attribute,
                showlegend=False,
                marker={
                    "symbol": f"{symbol}-open",
                    "size": 10,
                    "color": colour,
                    "line": {"width": 2, "color": colour},
                },
                hovertemplate=f"%{{x}}: %{{y}} {so_far}<extra>%{{fullData.name}}</extra>",
                meta={"series": attribute, "running": True},
            )
        )
    fig.update_layout(
        title={"text": translate(N_("Actors reached per month"))},
        xaxis={
            "title": {"text": translate(N_("Month"))},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            # Slanted to the left: the running month's longer label, the last, stays inside.
            "tickangle": -45,
            "automargin": True,
            "tickmode": "array",
            "tickvals": labels[::-1][::MONTH_TICK_STEP][::-1],
            "ticktext": labels[::-1][::MONTH_TICK_STEP][::-1],
        },
        yaxis={
            "title": {"text": translate(N_("Actors reached"))},
            "rangemode": "tozero",
            "tickformat": "d",
        },
        template="plotly_white",
        hovermode="x unified",
    )
    return fig


def channel_mix_figure(analysis: Analysis, *, translate: Translate = identity) -> go.Figure:
    """Share of each channel in the contacts per kind (reach window): stacked horizontal bars,
    direct channels first and solid, the other channels after them and hatched."""
    mix = analysis.channel_mix
    kinds = kind_order(mix)
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
