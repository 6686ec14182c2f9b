"""API routes of the stakeholder maps (issue 4): each chart as plotly figure JSON.

`GET /maps/<name>` answers {"data": [...], "layout": {...}}, the figure the map pages draw, with
the same filters (`district`, `kind`, `theme`, `flagged`, `actor` + `hops`). Above the node
limit (setting MAP_NODE_LIMIT) `network` is the group map and `power-interest` counts the
actors per score: `layout.meta.level` says which.
"""

from flask import Response, current_app, request
from flask_babel import gettext

from app.analysis import current_analysis
from app.api import bp
from app.api.payload import path_id
from app.maps import charts
from app.maps.responses import gzipped
from crm.messages import NotFound
from crm.models import LABEL_MAX
from crm.validation import clean_text, collect_errors, parse_choice, parse_int
from crm.vocabulary import Kind
from mapping.filters import HOPS, AnalysisFilter


@bp.get("/maps/<name>")
def get_map(name: str):
    """One chart as plotly figure JSON, for the actors and groups matching the filters."""
    build = charts.FIGURES.get(name)
    if build is None:
        raise NotFound("map", name)
    filters = _map_filters()
    analysis = current_analysis(with_contacts=name in charts.NEEDS_CONTACTS)
    if filters.actor is not None and filters.actor not in analysis.graph:
        raise NotFound("actor", filters.actor)
    ask = charts.MapRequest(
        filters=filters, node_limit=current_app.config["MAP_NODE_LIMIT"], translate=gettext
    )
    body = charts.figure_json(build(analysis, ask))
    return gzipped(Response(body, mimetype="application/json"))


def _map_filters() -> AnalysisFilter:
    """The filters of the query string, refused (422) as the reach API refuses them."""
    args = request.args
    kind, district, theme, hops = collect_errors(
        lambda: parse_choice(args.get("kind"), Kind, field="kind", required=False),
        lambda: clean_text(args.get("district"), field="district", max_length=LABEL_MAX),
        lambda: clean_text(args.get("theme"), field="theme", max_length=LABEL_MAX),
        lambda: parse_int(args.get("hops"), field="hops", low=min(HOPS), high=max(HOPS), default=1),
    )
    actor = args.get("actor")
    return AnalysisFilter(
        district=district or "",
        kind=str(kind or ""),
        theme=theme or "",
        flagged=(args.get("flagged") or "").lower() in ("1", "true"),
        actor=path_id(actor, "actor") if actor else None,
        hops=hops,
    )
