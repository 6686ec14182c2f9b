"""API routes on reach (docs/rules-of-reach.md): group figures with flags, and whom to call or
visit next.

Both read `mapping.analyse`, the one function behind the dashboard, the maps, the work list and
the CLI report; it is cached by data version, so a contact logged a moment ago already counts.

Filters (`kind`, `district`, `theme`) are the `mapping.filters.AnalysisFilter` of every view of
the analysis: a group is kept only when it is defined by every value asked for
(`groups_defined_by`: `district=Sinaai` keeps the group of district Sinaai and the groups
`<kind>/Sinaai`, not the group of a kind or theme, whose figures also count actors elsewhere);
recommendations, brokers and flagged poverty organisations when their actor passes the filter.
"""

from flask import request

from app.analysis import current_analysis
from app.api import bp
from app.api.payload import paging, path_id
from app.api.schemas.reach import NO_ADVICE, ActorReach, Reach
from app.api.schemas.types import Extended
from app.extensions import db
from crm.actors import get_actor
from crm.messages import NotFound
from crm.models import LABEL_MAX
from crm.paging import page_of
from crm.validation import clean_text, collect_errors, parse_choice
from crm.vocabulary import Kind
from mapping.filters import AnalysisFilter
from mapping.reach import group_keys


@bp.get("/reach")
def get_reach():
    """Reach per group, and one page of the recommendations (best first), for the groups and
    actors matching. At design scale tens of thousands of actors are to be reached: the
    recommendations are paged (`page`, `per_page`), the other lists are short."""
    filters = _reach_filter()
    page, per_page = paging()
    analysis = current_analysis()
    groups = filters.groups_defined_by(analysis.groups)
    idents = {g.ident for g in groups}
    passes = filters.actor_test(analysis)
    shown = page_of(filters.recommendations(analysis), page, per_page)
    found = Extended(
        analysis,
        groups=groups,
        recommendations=shown.items,
        recommendations_total=shown.total,
        page=page,
        per_page=per_page,
        poverty_flagged=[a for a in analysis.poverty_flagged if passes(a)],
        brokers=[b for b in analysis.brokers if b.group in idents and passes(b.actor_id)],
    )
    return Reach.of(found, analysis=analysis).response()


@bp.get("/actors/<actor_id>/reach")
def get_actor_reach(actor_id: str):
    """One actor's reach status and recommended next action; archived actors are not analysed."""
    ident = path_id(actor_id, "actor")
    if get_actor(db.session, ident).archived:  # checked first: a 404 costs no analysis
        raise NotFound("actor", actor_id)
    analysis = current_analysis()
    if analysis.status_of(ident) is None:  # archived in the meantime
        raise NotFound("actor", actor_id)
    by_key = {(g.dimension, g.key): g for g in analysis.groups}
    member_of = [by_key[key] for key in group_keys(analysis.actor(ident)) if key in by_key]
    advice = analysis.recommendation_for(ident) or NO_ADVICE
    found = Extended(
        advice, actor_id=ident, member_of=member_of, data_version=analysis.data_version
    )
    return ActorReach.of(found, analysis=analysis).response()


def _reach_filter() -> AnalysisFilter:
    """The filters of the query string, refused (422) as the actor list refuses them."""
    args = request.args
    kind, district, theme = collect_errors(
        lambda: parse_choice(args.get("kind"), Kind, field="kind", required=False),
        lambda: clean_text(args.get("district"), field="district", max_length=LABEL_MAX),
        lambda: clean_text(args.get("theme"), field="theme", max_length=LABEL_MAX),
    )
    return AnalysisFilter(kind=str(kind or ""), district=district or "", theme=theme or "")
