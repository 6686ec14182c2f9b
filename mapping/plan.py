"""The outreach plan: the analysis's flagged groups and ranked next actions, filtered and paged,
and what the actor page and "my calls and visits" show of it.

Plain functions over a `mapping.Analysis` (no request, no database), so that the plan pages, the
actor page and `flask reach report` show the same work.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from crm.messages import Message
from crm.models import ActorClaim
from crm.paging import Page, page_of
from crm.vocabulary import KIND_PLURAL_LABELS, Channel, GroupFlag, Kind, NextAction
from mapping.analysis import Analysis
from mapping.filters import AnalysisFilter
from mapping.outreach import POVERTY_FLAG as POVERTY
from mapping.outreach import Recommendation, actions_by_group
from mapping.reach import GroupReach, group_name

# The plan is a work list, not a wall: the day's actions first, then each group folded with a
# preview of its best actions, a page of groups at a time; a group's own page lists them all.
TODAY = 12  # actions under "Today", one per actor, spread over the flagged groups
PREVIEW = 3  # actions shown inside each folded group
GROUPS_PER_PAGE = 8

# The channel the quick contact form starts on when one follows a recommendation: finding
# details usually starts with a phone call to someone who knows them.
ACTION_CHANNELS = {
    NextAction.VISIT: Channel.VISIT,
    NextAction.CALL: Channel.PHONE,
    NextAction.INTRODUCE: Channel.INTERMEDIARY,
    NextAction.FIND_DETAILS: Channel.PHONE,
}


@dataclass(frozen=True)
class PlanGroup:
    """An under-reached group with the first of its ranked actions."""

    group: GroupReach
    actions: Page[Recommendation]


@dataclass(frozen=True)
class Plan:
    """What the outreach plan page shows."""

    today: list[Recommendation]
    poverty: Page[Recommendation]
    groups: Page[PlanGroup]  # the under-reached groups, furthest below the threshold first
    too_few_known: list[GroupReach]
    to_reach: int  # actors with a next action inside the filters

    @property
    def is_empty(self) -> bool:
        return not (self.poverty.total or self.groups.total or self.too_few_known)

    def actor_ids(self) -> set[int]:
        """The actors listed on the page, and the introducers their rows name."""
        shown = [*self.today, *self.poverty.items]
        shown += [r for g in self.groups.items for r in g.actions.items]
        introducers = {r.introducer_id for r in shown if r.introducer_id is not None}
        return {r.actor_id for r in shown} | introducers


@dataclass(frozen=True)
class ClaimedWork:
    """One of a user's claims with its recommendation (None: nothing left to do)."""

    claim: ActorClaim
    recommendation: Recommendation | None

    @property
    def priority(self) -> float:
        return self.recommendation.priority if self.recommendation else 0.0


@dataclass(frozen=True)
class ActorOutreach:
    """What the actor page shows of the plan: the next action, who introduces, who claimed."""

    recommendation: Recommendation | None
    introducer: str | None
    claim: ActorClaim | None

    # The claim buttons read these, as on a `crm.worklist.ContactCard`.
    @property
    def claimed_by_id(self) -> int | None:
        return self.claim.user_id if self.claim else None

    @property
    def claimed_by(self) -> str | None:
        return self.claim.user.name if self.claim else None


def build_plan(
    analysis: Analysis,
    filters: AnalysisFilter,
    *,
    group_page: int = 1,
    busy: Collection[int] = (),
) -> Plan:
    """The day's actions, the poverty organisations and a page of under-reached groups, each
    with a preview of its best actions; `busy` actors (claimed by a colleague) are left out of
    the day's actions."""
    if filters.active:
        ranked = filters.recommendations(analysis)
        by_group = actions_by_group(ranked)
    else:  # the analysis indexed its actions once
        ranked, by_group = analysis.recommendations, analysis.actions_by_group
    under_reached, too_few_known = [], []
    for group in flagged_groups(analysis, filters, with_work=by_group.keys()):
        if group.flag == GroupFlag.UNDER_REACHED:
            under_reached.append(PlanGroup(group, page_of(by_group[group.ident], 1, PREVIEW)))
        else:
            too_few_known.append(group)
    under_reached.sort(key=lambda g: (g.group.share_direct, -g.actions.total))
    return Plan(
        today=todays_actions(by_group, busy=busy),
        poverty=page_of(by_group.get(POVERTY, []), 1, PREVIEW),
        groups=page_of(under_reached, group_page, GROUPS_PER_PAGE),
        too_few_known=too_few_known,
        to_reach=len(ranked),
    )


def todays_actions(
    by_group: Mapping[str, Sequence[Recommendation]],
    *,
    busy: Collection[int] = (),
    size: int = TODAY,
) -> list[Recommendation]:
    """The best `size` actions spread over the groups, one per actor and none of `busy`, best
    first.

    Round by round, each group (in the order given: the one with the best action first) gives
    its best action not chosen yet, so one big group cannot fill the day while another is
    never called.
    """
    queues = [iter(actions) for actions in by_group.values()]
    chosen: dict[int, Recommendation] = {}
    while queues and len(chosen) < size:
        for queue in list(queues):
            found = next(
                (r for r in queue if r.actor_id not in chosen and r.actor_id not in busy), None
            )
            if found is None:
                queues.remove(queue)
            elif len(chosen) < size:
                chosen[found.actor_id] = found
    return sorted(chosen.values(), key=lambda r: -r.priority)


# The most telling groups first when a row names why an actor is on the list.
GROUP_ORDER = ("kind_district", "theme", "district", "kind")
GROUPS_NAMED = 3


def groups_in_words(
    idents: Iterable[str], *, limit: int = GROUPS_NAMED
) -> tuple[list[Message], int]:
    """The names of an actor's flagged groups, most telling first and each name once, cut at
    `limit`; with how many more there are."""

    def rank(ident: str) -> int:
        dimension = ident.partition(":")[0]
        return GROUP_ORDER.index(dimension) if dimension in GROUP_ORDER else len(GROUP_ORDER)

    names: list[Message] = []
    for ident in sorted(idents, key=rank):
        name = group_label(ident)
        if name not in names:
            names.append(name)
    return names[:limit], max(0, len(names) - limit)


def group_label(ident: str) -> Message:
    """A flagged group's name from its ident: 'kind_district:business/Belsele' -> 'Businesses
    in Belsele'; the poverty organisations flagged one by one are named as their kind."""
    if ident == POVERTY:
        return Message(KIND_PLURAL_LABELS[Kind.POVERTY_ORGANISATION])
    dimension, _, key = ident.partition(":")
    return group_name(dimension, key)


def flagged_groups(
    analysis: Analysis,
    filters: AnalysisFilter,
    *,
    ranked: Sequence[Recommendation] | None = None,
    with_work: Collection[str] | None = None,
) -> list[GroupReach]:
    """The flagged groups with work inside the filters, in the analysis's order.

    An under-reached group counts when one of its actions passes the filters (`with_work`: the
    groups with such an action, when known); a group with too few known actors (nothing to
    call yet) when one of its actors does and no action is asked.
    """
    if with_work is None:
        ranked = filters.recommendations(analysis) if ranked is None else ranked
        with_work = {ident for r in ranked for ident in r.groups}
    passes = filters.actor_test(analysis)

    def has_work(group: GroupReach) -> bool:
        if group.flag == GroupFlag.UNDER_REACHED:
            return group.ident in with_work
        if group.flag == GroupFlag.TOO_FEW_KNOWN and not filters.action:
            return any(passes(actor_id) for actor_id in group.actor_ids)
        return False

    return [group for group in analysis.groups if has_work(group)]


def poverty_actions(analysis: Analysis, ranked: Iterable[Recommendation]) -> list[Recommendation]:
    """The actions for poverty organisations flagged one by one, best first."""
    flagged = set(analysis.poverty_flagged)
    return [r for r in ranked if r.actor_id in flagged]


def group_actions(
    analysis: Analysis, group: GroupReach, filters: AnalysisFilter
) -> list[Recommendation]:
    """Every action in one group that passes the filters, best first."""
    return [r for r in filters.recommendations(analysis) if group.ident in r.groups]


def find_group(analysis: Analysis, dimension: str, key: str) -> GroupReach | None:
    """The group with this dimension and key, flagged or not."""
    return next((g for g in analysis.groups if (g.dimension, g.key) == (dimension, key)), None)


def claimed_work(analysis: Analysis, claims: Iterable[ActorClaim]) -> list[ClaimedWork]:
    """A user's claims, the ones with a recommended action first (best first), then the rest."""
    work = [ClaimedWork(c, analysis.recommendation_for(c.actor_id)) for c in claims]
    # sorted() is stable: among equals the oldest claim stays first.
    return sorted(work, key=lambda w: (1, 0) if w.recommendation is None else (0, -w.priority))


def actor_outreach(
    analysis: Analysis | None, actor_id: int, claim: ActorClaim | None
) -> ActorOutreach:
    """The actor's place in the plan (no analysis: an archived actor, nothing to do)."""
    recommendation = analysis.recommendation_for(actor_id) if analysis else None
    return ActorOutreach(recommendation, introducer_name(analysis, recommendation), claim)


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
