"""The reach dashboard's charts read on a phone and on paper (issue 10): the running month is
marked, shares are in percent with the threshold on the heatmap's scale, text has a fixed size,
legends stay where static/maps.js can move them, and every visible text is translated."""

import re
from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pytest

from crm.messages import Message
from mapping import ReachSettings, analyse_graph
from mapping.build import ContactAggregates
from mapping.dashboard import is_running, month_starts, reach_over_time_from_counts
from mapping.figures import (
    channel_mix_figure,
    reach_bar_figure,
    reach_heatmap_figure,
    reach_over_time_figure,
)
from mapping.figures.dashboard import share_ticks
from mapping.reach import GroupReach, groups_by_flag
from tests.mapping.conftest import DEFAULTS, NOW, dashboard_rows, graph, row

# NOW is 10 June 2026, 12:00 UTC: June 2026 is the running month, July 2024 the first of 24.
DISTRICTS = {"Sint-Niklaas", "Sinaai", "Belsele"}


def city(settings: ReachSettings = DEFAULTS, now: datetime = NOW):
    """Residents 2 of 4 direct over two districts, businesses 1 of 3, a lone poverty
    organisation in Belsele (too few known); contacts in July 2024, May and June 2026."""
    starts = month_starts(now)
    contacts = ContactAggregates(
        reach_over_time=reach_over_time_from_counts(
            [(0, 1, 2), (22, 4, 9), (23, 1, 2)], starts=starts
        ),
        channel_mix={"resident": {"phone": 3, "email": 4}, "business": {"visit": 2}},
    )
    rows = [
        *dashboard_rows(),
        row(8, "Vzw Kompas", kind="poverty_organisation", district="Belsele"),
    ]
    G = graph(rows, settings=settings, now=now)
    return analyse_graph(G, settings=settings, now=now, contacts=contacts)


# --- the running month ----------------------------------------------------------------------


def test_the_running_month_is_the_brussels_month_holding_now():
    assert is_running(date(2026, 6, 1), NOW)
    assert not is_running(date(2026, 5, 1), NOW)
    assert not is_running(date(2025, 6, 1), NOW)  # the same month a year before
    # 22:30 UTC on 31 May is 00:30 on 1 June in Brussels: June runs, May is over.
    assert is_running(date(2026, 6, 1), datetime(2026, 5, 31, 22, 30))
    assert not is_running(date(2026, 5, 1), datetime(2026, 5, 31, 22, 30))


def test_the_running_month_stands_apart_as_an_open_marker_without_a_line_into_it():
    fig = reach_over_time_figure(city(), translate=lambda s: f"«{s}»")

    direct_line, direct_now, reached_line, reached_now = fig.data
    assert direct_line.mode == "lines+markers"
    assert list(direct_line.x[-2:]) == ["2026-04", "2026-05"]
    assert direct_line.y.tolist()[-2:] == [0, 4]
    assert direct_now.mode == "markers"  # no segment from May's 4 down to June's 1
    assert list(direct_now.x) == ["2026-06 «(running)»"]
    assert direct_now.y.tolist() == [1]
    assert reached_now.y.tolist() == [2]
    assert (direct_now.marker.symbol, reached_now.marker.symbol) == ("circle-open", "square-open")
    assert direct_now.hovertemplate == "%{x}: %{y} «so far»<extra>%{fullData.name}</extra>"
    assert direct_now.showlegend is False
    assert (direct_now.legendgroup, reached_now.legendgroup) == ("direct", "reached")
    assert (direct_line.legendgroup, reached_line.legendgroup) == ("direct", "reached")
    assert direct_now.meta == {"series": "direct", "running": True}


def test_month_ticks_count_back_from_the_running_month_so_that_it_is_labelled():
    fig = reach_over_time_figure(city())

    assert list(fig.layout.xaxis.tickvals) == [
        "2024-09",
        "2024-12",
        "2025-03",
        "2025-06",
        "2025-09",
        "2025-12",
        "2026-03",
        "2026-06 (running)",
    ]
    assert list(fig.layout.xaxis.ticktext) == list(fig.layout.xaxis.tickvals)
    assert fig.layout.xaxis.categoryarray[0] == "2024-07"
    assert fig.layout.xaxis.categoryarray[-1] == "2026-06 (running)"
    assert len(fig.layout.xaxis.categoryarray) == 24


def test_months_computed_before_the_month_turned_are_all_finished():
    # An analysis computed on 31 May 2026 and shown on 1 June: all 24 of its months are over.
    analysis = replace(city(now=datetime(2026, 5, 31, 12, 0)), computed_at=datetime(2026, 6, 1, 8))

    fig = reach_over_time_figure(analysis)

    direct_line, reached_line = fig.data
    assert len(direct_line.x) == 24
    assert direct_line.x[-1] == "2026-05"
    assert not any("running" in label for label in fig.layout.xaxis.categoryarray)


# --- shares in percent, the threshold on the colour scale -----------------------------------


def test_share_ticks_name_the_threshold_and_drop_a_tick_that_would_collide_with_it():
    assert share_ticks(0.5, str) == (
        [0.0, 0.25, 0.5, 0.75, 1.0],
        ["0%", "25%", "Threshold 50%", "75%", "100%"],
    )
    assert share_ticks(0.4, lambda s: f"«{s}»") == (
        [0.0, 0.25, 0.4, 0.75, 1.0],
        ["0%", "25%", "«Threshold» 40%", "75%", "100%"],
    )


def test_the_heatmap_scale_is_in_percent_with_the_threshold_marked():
    fig = reach_heatmap_figure(city(settings=ReachSettings(threshold=0.4)))

    bar = fig.data[0].colorbar
    assert bar.tickformat == ".0%"
    assert bar.tickmode == "array"
    assert list(bar.tickvals) == [0.0, 0.25, 0.4, 0.75, 1.0]
    assert list(bar.ticktext) == ["0%", "25%", "Threshold 40%", "75%", "100%"]


def test_heatmap_cells_have_fixed_size_text_a_sentence_to_hover_and_open_their_group():
    heat = reach_heatmap_figure(city()).data[0]

    assert list(heat.x) == ["Belsele", "Sinaai", "Sint-Niklaas"]
    assert list(heat.y) == ["Resident", "Business", "Poverty organisation"]
    assert heat.textfont.size == 12
    assert [list(r) for r in heat.customdata] == [
        [None, "kind_district:resident/Sinaai", "kind_district:resident/Sint-Niklaas"],
        [None, None, "kind_district:business/Sint-Niklaas"],
        ["kind_district:poverty_organisation/Belsele", None, None],
    ]
    assert heat.hovertext[1][2] == "Businesses in Sint-Niklaas: 1 of 3 reached directly"
    assert heat.hovertext[0][1] == "Residents in Sinaai: only 2 known. Map more stakeholders here."
    assert heat.hovertemplate == "%{hovertext} (%{z:.0%})<extra></extra>"


def test_bar_labels_are_12_px_and_hidden_rather_than_shrunk_below_11_px():
    for dimension in ("kind", "district"):
        fig = reach_bar_figure(city(), dimension=dimension)

        assert fig.data[0].textfont.size == 12
        assert (fig.layout.uniformtext.minsize, fig.layout.uniformtext.mode) == (11, "hide")
        assert fig.layout.yaxis.tickformat == ".0%"


def test_no_figure_pins_its_legend_or_colour_bar_to_a_paper_position():
    # static/maps.js moves legends and colour bars under a narrow chart: a fixed x/y would win.
    for fig in dashboard_figures(city(), str):
        assert (fig.layout.legend.x, fig.layout.legend.y) == (None, None)
        for trace in fig.data:
            bar = getattr(trace, "colorbar", None)
            if bar is not None:
                assert (bar.x, bar.y) == (None, None)


# --- every visible text translated ----------------------------------------------------------

# The keys whose strings plotly shows: titles, names, hover, tick texts, annotations, cell text,
# and the category labels on the axes (x, y).
VISIBLE_KEYS = {"text", "name", "hovertemplate", "hovertext", "ticktext", "texttemplate", "x", "y"}
PLACEHOLDER = re.compile(r"%\{[^}]*\}")
TAG = re.compile(r"<[^>]*>")
MARKED = re.compile(r"«[^«»]*»")
WORD = re.compile(r"[A-Za-z]{2,}")


def mark(text: str) -> str:
    return f"«{text}»"


def dashboard_figures(analysis, translate):
    return [
        reach_bar_figure(analysis, dimension="kind", translate=translate),
        reach_bar_figure(analysis, dimension="district", translate=translate),
        reach_heatmap_figure(analysis, translate=translate),
        reach_over_time_figure(analysis, translate=translate),
        channel_mix_figure(analysis, translate=translate),
    ]


def visible_texts(node, key=None):
    """Every (key, string) plotly would show, the template's styling left out."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name not in ("template", "meta", "customdata"):
                yield from visible_texts(value, name)
    elif isinstance(node, list | tuple | np.ndarray):
        for value in node:
            yield from visible_texts(value, key)
    elif isinstance(node, str) and key in VISIBLE_KEYS:
        yield key, node


def unmarked_words(text: str) -> list[str]:
    """The words of `text` outside every «…» (translated) part, plotly's placeholders, HTML
    tags and the district names (data, not words of the UI)."""
    text = TAG.sub("", PLACEHOLDER.sub("", text))
    while MARKED.search(text):
        text = MARKED.sub("", text)
    for district in DISTRICTS:
        text = text.replace(district, "")
    return WORD.findall(text)


def untranslated(fig) -> list[tuple[str, str]]:
    return [
        (key, text) for key, text in visible_texts(fig.to_plotly_json()) if unmarked_words(text)
    ]


def test_the_check_finds_english_left_unmarked():
    assert unmarked_words("«Residents» in Sinaai: 2 of 4") == ["in", "of"]
    assert unmarked_words("««Residents» in Sinaai: %{x} 2 «of» 4»<extra>%{y}</extra>") == []
    fig = reach_bar_figure(city(), translate=mark)
    fig.update_layout(title={"text": "Reached directly per kind"})
    assert untranslated(fig) == [("text", "Reached directly per kind")]


@pytest.mark.parametrize(
    "index, name",
    [(0, "reach by kind"), (1, "reach by district"), (2, "heatmap"), (3, "over time"), (4, "mix")],
)
def test_every_visible_text_of_every_dashboard_figure_is_translated(index, name):
    fig = dashboard_figures(city(), mark)[index]

    texts = list(visible_texts(fig.to_plotly_json()))
    assert any(key == "text" and "«" in text for key, text in texts), f"{name}: no title seen"
    assert untranslated(fig) == [], name


# --- the flagged groups of the print report -------------------------------------------------


def group(key: str, flag: str | None, dimension: str = "kind") -> GroupReach:
    return GroupReach(
        dimension=dimension,
        key=key,
        total=4,
        direct=1,
        digital_only=0,
        attempted=0,
        none=3,
        flag=flag,
        sentence=Message(key),
        actor_ids=(1, 2, 3, 4),
    )


def test_flagged_groups_come_under_one_heading_per_flag_under_reached_first():
    groups = [
        group("poverty_organisation", "too_few_known"),
        group("resident", "under_reached"),
        group("business", None),
        group("Sinaai", "under_reached", "district"),
    ]

    listed = groups_by_flag(groups)

    assert [(flag, [g.key for g in gs]) for flag, gs in listed] == [
        ("under_reached", ["resident", "Sinaai"]),
        ("too_few_known", ["poverty_organisation"]),
    ]


def test_a_flag_without_groups_has_no_heading():
    assert groups_by_flag([group("business", None)]) == []
    assert [flag for flag, _ in groups_by_flag([group("resident", "under_reached")])] == [
        "under_reached"
    ]
