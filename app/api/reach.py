"""API routes on reach (docs/rules-of-reach.md): group figures with flags, and whom to call or
visit next.

Both read `mapping.analyse`, the one function behind the dashboard, the maps, the work list and
the CLI report; it is cached by data version, so a contact logged a moment ago already counts.

Filters (`kind`, `district`, `theme`) keep a group only when the group is defined by every
value asked for: `district=Sinaai` keeps the group of district Sinaai and the groups
`<kind>/Sinaai`, not the group of a kind or theme, whose figures also count actors elsewhere.
Recommendations, brokers and flagged poverty organisations are kept when their actor matches
every filter.
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
from crm.validation import clean_text, collect_errors, parse_choice
from crm.vocabulary import Kind
from mapping.reach import GroupReach, group_keys


@bp.get("/reach")
def get_reach():
    """Reach per group, and one page of the recommendations (best first), for the groups and
    actors matching. At design scale tens of thousands of actors are to be reached: the
    recommendations are paged (`page`, `per_page`), the other lists are short."""
    filters = _reach_filters()
    page, per_page = paging()
    analysis = current_analysis()
    groups = [g for g in analysis.groups if group_matches(g, **filters)]
    idents = {g.ident for g in groups}

    def matches(actor_id: int) -> bool:
        return actor_matches(analysis.actor(actor_id), **filters)

    matching = [r for r in analysis.recommendations if matches(r.actor_id)]
    found = Extended(
        analysis,
        groups=groups,
        recommendations=matching[(page - 1) * per_page : page * per_page],
        recommendations_total=len(matching),
        page=page,
        per_page=per_page,
        poverty_flagged=[a for a in analysis.poverty_flagged if matches(a)],
        brokers=[b for b in analysis.brokers if b.group in idents and matches(b.actor_id)],
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


def group_matches(
    group: GroupReach, *, kind: str | None, district: str | None, theme: str | None
) -> bool:
    """Whether the group is defined by every filter value given (see the module's doc)."""
    defined: dict[str, str] = {}
    if group.dimension == "kind_district":
        defined["kind"], _, defined["district"] = group.key.partition("/")
    else:
        defined[group.dimension] = group.key
    wanted = {"kind": kind, "district": district, "theme": theme}
    return all(defined.get(name) == value for name, value in wanted.items() if value)


def actor_matches(
    actor: dict, *, kind: str | None, district: str | None, theme: str | None
) -> bool:
    """Whether an actor's node attributes match every filter value given."""
    return (
        (not kind or actor["kind"] == kind)
        and (not district or actor.get("district") == district)
        and (not theme or theme in actor.get("themes", ()))
    )


def _reach_filters() -> dict:
    """The filters of the query string, refused (422) as the actor list refuses them."""
    args = request.args
    kind, district, theme = collect_errors(
        lambda: parse_choice(args.get("kind"), Kind, field="kind", required=False),
        lambda: clean_text(args.get("district"), field="district", max_length=LABEL_MAX),
        lambda: clean_text(args.get("theme"), field="theme", max_length=LABEL_MAX),
    )
    return {"kind": kind, "district": district, "theme": theme}
