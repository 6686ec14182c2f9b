"""The outreach plan: the analysis's flagged groups and ranked actions, filtered and paged.

Plain functions over a `mapping.Analysis` (no request, no database), so that the pages stay thin
and the plan pages and `flask reach report` show the same work.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from crm.messages import N_
from crm.models import ActorClaim
from crm.paging import Page
from crm.vocabulary import Channel
from mapping import Analysis
from mapping.outreach import CALL, FIND_DETAILS, INTRODUCE, VISIT, Recommendation
from mapping.reach import TOO_FEW_KNOWN, UNDER_REACHED, GroupReach

TOP = 10  # actors shown per group on the plan; the group's own page lists them all

ACTION_LABELS = {
    VISIT: N_("Visit"),
    CALL: N_("Call"),
    INTRODUCE: N_("Ask for an introduction"),
    FIND_DETAILS: N_("Find contact details"),
}
FLAG_LABELS = {UNDER_REACHED: N_("Under-reached"), TOO_FEW_KNOWN: N_("Too few known")}

# The channel the quick contact form starts on when one follows a recommendation: finding
# details usually starts with a phone call to someone who knows them.
ACTION_CHANNELS = {
    VISIT: Channel.VISIT,
    CALL: Channel.PHONE,
    INTRODUCE: Channel.INTERMEDIARY,
    FIND_DETAILS: Channel.PHONE,
}


@dataclass(frozen=True)
class PlanFilters:
    """What the plan is narrowed to: actors of a district, kind or theme, and one action."""

    district: str = ""
    kind: str = ""
    theme: str = ""
    action: str = ""

    @classmethod
    def from_args(cls, args: Mapping) -> "PlanFilters":
        """The filters of a query string (missing or blank: no filter)."""
        return cls(**{f.name: str(args.get(f.name) or "").strip() for f in fields(cls)})

    @property
    def active(self) -> bool:
        return any(self.as_args().values())

    def as_args(self) -> dict[str, str]:
        """The filters that are set, as query-string arguments."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def admits_actor(self, node: Mapping) -> bool:
        """Whether an actor (its node attributes) is in the district, kind and theme asked."""
        return (
            (not self.district or node.get("district") == self.district)
            and (not self.kind or node.get("kind") == self.kind)
            and (not self.theme or self.theme in node.get("themes", ()))
        )

    def admits(self, analysis: Analysis, recommendation: Recommendation) -> bool:
        """Whether a recommendation passes every filter."""
        return (not self.action or recommendation.action == self.action) and self.admits_actor(
            analysis.actor(recommendation.actor_id)
        )


@dataclass(frozen=True)
class PlanGroup:
    """An under-reached group with the first of its ranked actions."""

    group: GroupReach
    actions: Page[Recommendation]


@dataclass(frozen=True)
class Plan:
    """What the outreach plan page shows."""

    poverty: Page[Recommendation]
    under_reached: list[PlanGroup]
    too_few_known: list[GroupReach]

    @property
    def is_empty(self) -> bool:
        return not (self.poverty.total or self.under_reached or self.too_few_known)

    def actor_ids(self) -> set[int]:
        """The actors listed on the page."""
        pages = [self.poverty, *(g.actions for g in self.under_reached)]
        return {r.actor_id for page in pages for r in page.items}


@dataclass(frozen=True)
class ClaimedWork:
    """One of a user's claims with its recommendation (None: nothing left to do)."""

    claim: ActorClaim
    recommendation: Recommendation | None

    @property
    def priority(self) -> float:
        return self.recommendation.priority if self.recommendation else 0.0


def build_plan(analysis: Analysis, filters: PlanFilters, *, top: int = TOP) -> Plan:
    """The flagged groups and poverty organisations, each with its first `top` actions."""
    ranked = ranked_actions(analysis, filters)
    by_group: dict[str, list[Recommendation]] = defaultdict(list)
    for recommendation in ranked:
        for ident in recommendation.groups:
            by_group[ident].append(recommendation)
    under_reached, too_few_known = [], []
    for group in flagged_groups(analysis, filters, ranked=ranked):
        if group.flag == UNDER_REACHED:
            under_reached.append(PlanGroup(group, page_of(by_group[group.ident], 1, top)))
        else:
            too_few_known.append(group)
    return Plan(
        poverty=page_of(poverty_actions(analysis, ranked), 1, top),
        under_reached=under_reached,
        too_few_known=too_few_known,
    )


def ranked_actions(analysis: Analysis, filters: PlanFilters) -> list[Recommendation]:
    """Every recommendation that passes the filters, best first."""
    return [r for r in analysis.recommendations if filters.admits(analysis, r)]


def flagged_groups(
    analysis: Analysis,
    filters: PlanFilters,
    *,
    ranked: Sequence[Recommendation] | None = None,
) -> list[GroupReach]:
    """The flagged groups with work inside the filters, in the analysis's order.

    An under-reached group counts when one of its actions passes the filters; a group with too
    few known actors (nothing to call yet) when one of its actors does and no action is asked.
    """
    ranked = ranked_actions(analysis, filters) if ranked is None else ranked
    with_work = {ident for r in ranked for ident in r.groups}

    def has_work(group: GroupReach) -> bool:
        if group.flag == UNDER_REACHED:
            return group.ident in with_work
        if group.flag == TOO_FEW_KNOWN and not filters.action:
            return any(filters.admits_actor(analysis.actor(a)) for a in group.actor_ids)
        return False

    return [group for group in analysis.groups if has_work(group)]


def poverty_actions(analysis: Analysis, ranked: Iterable[Recommendation]) -> list[Recommendation]:
    """The actions for poverty organisations flagged one by one (DESIGN.md §3.3), best first."""
    flagged = set(analysis.poverty_flagged)
    return [r for r in ranked if r.actor_id in flagged]


def group_actions(
    analysis: Analysis, group: GroupReach, filters: PlanFilters
) -> list[Recommendation]:
    """Every action in one group that passes the filters, best first."""
    return [r for r in ranked_actions(analysis, filters) if group.ident in r.groups]


def find_group(analysis: Analysis, dimension: str, key: str) -> GroupReach | None:
    """The group with this dimension and key, flagged or not."""
    return next((g for g in analysis.groups if (g.dimension, g.key) == (dimension, key)), None)


def page_of(items: Sequence, page: int, per_page: int) -> Page:
    """One page of a list already in memory, as `crm.paging.paginate` returns a query's page."""
    page, per_page = max(1, int(page)), max(1, int(per_page))
    start = (page - 1) * per_page
    return Page(list(items[start : start + per_page]), len(items), page, per_page)


def claimed_work(analysis: Analysis, claims: Iterable[ActorClaim]) -> list[ClaimedWork]:
    """A user's claims, the ones with a recommended action first (best first), then the rest."""
    work = [ClaimedWork(c, analysis.recommendation_for(c.actor_id)) for c in claims]
    # sorted() is stable: among equals the oldest claim stays first.
    return sorted(work, key=lambda w: (1, 0) if w.recommendation is None else (0, -w.priority))


def introducer_name(analysis: Analysis, recommendation: Recommendation | None) -> str | None:
    """The name of the actor who can introduce the team, if the action is an introduction."""
    if recommendation is None or recommendation.introducer_id is None:
        return None
    return analysis.actor(recommendation.introducer_id)["name"]


def contact_channel(value: str | None) -> str | None:
    """The contact channel for a recommended action (or a channel name itself); None if neither."""
    if value in ACTION_CHANNELS:
        return str(ACTION_CHANNELS[value])
    return value if value in set(Channel) else None


def share_percent(group: GroupReach) -> int:
    """The share reached directly as a whole percentage."""
    return round(group.share_direct * 100)
