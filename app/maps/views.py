"""Map pages: the network map, the power/interest grid, the reach dashboard and its print report.

Each page embeds its figures as plotly JSON (<script type="application/json">) that
static/maps.js draws with the plotly.js Bereik serves itself (/assets/plotly.min.js): the CSP
allows no inline script and no other origin.
"""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext
from markupsafe import Markup

from app.analysis import current_analysis
from app.extensions import db
from app.forms import vocabulary_choices
from app.maps import charts
from app.maps.locale import plotly_locale
from app.maps.responses import (
    cached_and_gzipped,
    map_asset_response,
    map_asset_version,
    plotly_js_response,
    plotly_js_version,
)
from app.paging import page_number
from crm import actors as actor_service
from crm.paging import page_of
from crm.vocabulary import KIND_LABELS, ReachStatus
from mapping.filters import AnalysisFilter
from mapping.links import NO_DISTRICT
from mapping.reach import group_name, groups_by_flag

TABLE_ROWS = 100  # actors a page in the network map's table view: the map shows them all

bp = Blueprint("maps", __name__)
bp.after_request(cached_and_gzipped)


@bp.app_context_processor
def map_helpers() -> dict:
    """Template helpers of the map pages."""
    return {
        "plotly_js_version": plotly_js_version,
        "plotly_locale": plotly_locale,
        "map_asset_version": map_asset_version,
        "no_district": NO_DISTRICT,
    }


@bp.route("/assets/plotly.min.js")
def plotly_js():
    return plotly_js_response()


@bp.route("/assets/<any('maps.js', 'maps.css'):name>")
def map_asset(name: str):
    return map_asset_response(name)


@bp.route("/maps")
def network():
    analysis, ask = current_analysis(), map_request()
    figure = charts.network(analysis, ask)
    level = charts.level_of(figure)
    return render_template(
        "maps/network.html",
        analysis=analysis,
        filters=ask.filters,
        choices=filter_choices(),
        figures=[embedded("network", figure)],
        level=level,
        layout=charts.layout_of(figure),
        rows=page_of(
            charts.network_actor_rows(analysis, ask.filters) if level == "actor" else [],
            page_number(request.args.get("page")),
            TABLE_ROWS,
        ),
        cells=charts.group_map_cells(analysis, ask.filters) if level == "group" else [],
        ego=analysis.graph.nodes.get(ask.filters.actor) if ask.filters.actor else None,
    )


@bp.route("/maps/power-interest")
def power_interest():
    analysis, ask = current_analysis(), map_request()
    figure = charts.power_interest(analysis, ask)
    level = charts.level_of(figure)
    return render_template(
        "maps/power_interest.html",
        filters=ask.filters,
        choices=filter_choices(),
        figures=[embedded("power-interest", figure)],
        level=level,
        rows=(charts.power_interest_rows(analysis, ask.filters) if level == "actor" else []),
        cells=charts.power_interest_cells(analysis, ask.filters) if level == "cell" else [],
        statuses=list(ReachStatus),
    )


@bp.route("/maps/dashboard")
def dashboard():
    return _dashboard("maps/dashboard.html")


@bp.route("/maps/report")
def report():
    return _dashboard("maps/report.html")


def _dashboard(template: str):
    analysis, ask = current_analysis(with_contacts=True), map_request()
    return render_template(
        template,
        analysis=analysis,
        filters=ask.filters,
        choices=filter_choices(),
        figures=[embedded(name, charts.FIGURES[name](analysis, ask)) for name in charts.DASHBOARD],
        tables={
            dimension: charts.groups_of(analysis, dimension, ask.filters)
            for dimension in ("kind", "district", "kind_district")
        },
        flagged=groups_by_flag(ask.filters.groups_compatible(analysis.groups)),
        group_name=group_name,
    )


def map_request() -> charts.MapRequest:
    """The filters of the query string, the node limit setting and the user's language."""
    return charts.MapRequest(
        filters=AnalysisFilter.from_args(request.args),
        node_limit=current_app.config["MAP_NODE_LIMIT"],
        translate=gettext,
    )


def embedded(name: str, figure) -> dict:
    """A figure as the page embeds it: its name and its JSON, safe inside a <script> element."""
    text = charts.figure_json(figure)
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return {"name": name, "json": Markup(safe), "bytes": len(text)}


def filter_choices() -> dict:
    return {
        "districts": actor_service.choices_of_districts(db.session),
        "kinds": vocabulary_choices(KIND_LABELS, blank=gettext("All kinds")),
        "themes": actor_service.choices_of_themes(db.session),
    }
