"""Whom to call or visit next: one recommended action per actor to reach, and brokers.

Every function here is exact. The next action looks at the actor and at most two hops around
it; centrality and brokers count neighbours for all actors at once, one sparse matrix product
per under-reached group (see `ActorLinks`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import networkx as nx
import numpy as np

from crm.messages import N_, Message
from crm.vocabulary import Channel, GroupFlag, Kind, NextAction
from mapping.build import CITY
from mapping.links import ActorLinks
from mapping.reach import GroupReach
from mapping.settings import ReachSettings

POVERTY_FLAG = "poverty_organisation"
TWO_HOP_DISCOUNT = 0.5  # a friend of a friend introduces less readily than a direct tie


@dataclass(frozen=True)
class Recommendation:
    """The one next action for an actor, why, whom to ask (for `introduce`), and how urgent."""

    actor_id: int
    action: str
    reason: Message
    priority: float
    introducer_id: int | None
    groups: tuple[str, ...]  # the flagged groups ('kind:resident', ...) or 'poverty_organisation'


@dataclass(frozen=True)
class Broker:
    """An actor whose contact would connect the city to many unreached actors of a group."""

    actor_id: int
    group: str
    unreached_neighbours: int


def next_action(
    G: nx.Graph, actor_id: int, *, settings: ReachSettings
) -> tuple[str, Message, int | None]:
    """The next action for one actor (docs/rules-of-reach.md#the-next-action): (action,
    reason, introducer or None).

    A poverty organisation with a known address, a resident with a phone number, one whose
    calls failed three times but whose address is known, one who knows a directly reached
    youth club, and one nobody knows how to reach:

    >>> from mapping.build import graph_from_rows
    >>> now = datetime(2026, 6, 10)
    >>> G = graph_from_rows(
    ...     [
    ...         {"id": 1, "name": "Vzw De Vlaskop", "kind": "poverty_organisation",
    ...          "phone": "+3237783060", "address": "Dijkstraat 4"},
    ...         {"id": 2, "name": "Jan Peeters", "kind": "resident", "phone": "+32475123456"},
    ...         {"id": 3, "name": "An Claes", "kind": "resident", "phone": "+32475123457",
    ...          "address": "Kerkstraat 1"},
    ...         {"id": 4, "name": "Mieke Claeys", "kind": "resident"},
    ...         {"id": 5, "name": "Chiro Sinaai", "kind": "civic_association",
    ...          "last_direct_reached_at": datetime(2026, 5, 1)},
    ...         {"id": 6, "name": "Luc Maes", "kind": "resident"},
    ...     ],
    ...     [(4, 5, 2)],  # Mieke knows the Chiro (strength 2)
    ...     failed_calls={3: 3},
    ...     settings=ReachSettings(),
    ...     now=now,
    ... )
    >>> for actor in (1, 2, 3, 4, 6):
    ...     action, reason, introducer = next_action(G, actor, settings=ReachSettings())
    ...     print(action, introducer, "|", reason.render())
    visit None | Poverty organisations are reached in person: visit them.
    call None | A phone number is known: call.
    visit None | Failed calls in the reach window: 3. Go and visit.
    introduce 5 | Ask Chiro Sinaai, who is reached directly, for an introduction.
    find_details None | No way to reach them yet: find a phone number or address.
    """
    return _next_action(actor_id, G.nodes, G.adj, settings)


def find_introducer(G: nx.Graph, actor_id: int) -> int | None:
    """The best directly reached actor within two hops: strongest tie first (a two-hop path
    counts as its weaker tie times TWO_HOP_DISCOUNT), then the most recent direct contact,
    then the lowest id.

    Mieke knows two clubs reached directly, equally well; Jan knows only Mieke; nobody is
    linked to Luc:

    >>> from mapping.build import graph_from_rows
    >>> now = datetime(2026, 6, 10)
    >>> G = graph_from_rows(
    ...     [
    ...         {"id": 1, "name": "Mieke Claeys", "kind": "resident"},
    ...         {"id": 2, "name": "Chiro Sinaai", "kind": "civic_association",
    ...          "last_direct_reached_at": datetime(2026, 3, 2)},  # 100 days ago
    ...         {"id": 3, "name": "Okra Sinaai", "kind": "civic_association",
    ...          "last_direct_reached_at": datetime(2026, 6, 5)},  # 5 days ago
    ...         {"id": 4, "name": "Jan Peeters", "kind": "resident"},
    ...         {"id": 5, "name": "Luc Maes", "kind": "resident"},
    ...     ],
    ...     [(1, 2, 2), (1, 3, 2), (4, 1, 3)],  # (actor, actor, strength 1-3)
    ...     settings=ReachSettings(),
    ...     now=now,
    ... )
    >>> find_introducer(G, 1)  # both ties 2: the more recent conversation wins
    3
    >>> find_introducer(G, 4)  # two hops via Mieke: min(3, 2) * 0.5 = 1.0 for both clubs
    3
    >>> print(find_introducer(G, 5))
    None
    """
    return _find_introducer(actor_id, G.nodes, G.adj)


def recommend(
    G: nx.Graph,
    groups: list[GroupReach],
    *,
    settings: ReachSettings,
    now: datetime,
) -> list[Recommendation]:
    """One recommendation per actor not reached directly in an under-reached group, and per
    poverty organisation not reached directly; best (highest priority) first."""
    return _recommend(ActorLinks(G), groups, settings=settings, now=now)


def plan(
    G: nx.Graph,
    groups: list[GroupReach],
    *,
    settings: ReachSettings,
    now: datetime,
    top: int = 5,
    links: ActorLinks | None = None,
) -> tuple[list[Recommendation], list[Broker]]:
    """`recommend` and `brokers` at once, sharing the work of indexing the graph (`links`: that
    index, when the caller has it already)."""
    links = links or ActorLinks(G)
    return _recommend(links, groups, settings=settings, now=now), _brokers(links, groups, top)


def _recommend(links, groups, *, settings, now) -> list[Recommendation]:
    flagged = [g for g in groups if g.flag == GroupFlag.UNDER_REACHED]
    nodes, adj, order = links.nodes, links.adj, links.order
    groups_of: dict[int, list[int]] = {}  # actor to reach -> indices into `flagged`
    centrality = np.zeros(len(order))
    for index, group in enumerate(flagged):
        members = links.positions(group)
        for position in members[links.unreached[members]].tolist():
            groups_of.setdefault(order[position], []).append(index)
        if group.total > 1:
            share = links.neighbours_in(members) / (group.total - 1)
            centrality[members] = np.maximum(centrality[members], share[members])
    for position in np.flatnonzero(links.unreached).tolist():
        node = order[position]
        if node not in groups_of and nodes[node]["kind"] == Kind.POVERTY_ORGANISATION:
            groups_of[node] = []
    labels_of: dict[tuple, tuple[str, ...]] = {}  # shared by every actor in the same groups
    recommendations = []
    for node, indices in groups_of.items():
        data = nodes[node]
        key = (tuple(indices), data["kind"] == Kind.POVERTY_ORGANISATION)
        if key not in labels_of:
            labels_of[key] = tuple(flagged[i].ident for i in indices) + (
                (POVERTY_FLAG,) if key[1] else ()
            )
        action, reason, introducer = _next_action(node, nodes, adj, settings)
        recommendations.append(
            Recommendation(
                actor_id=node,
                action=action,
                reason=reason,
                priority=_priority(data, float(centrality[links.position[node]]), settings, now),
                introducer_id=introducer,
                groups=labels_of[key],
            )
        )
    recommendations.sort(key=lambda r: (-r.priority, r.actor_id))
    return recommendations


def priority(
    G: nx.Graph,
    actor_id: int,
    groups: list[GroupReach],
    *,
    settings: ReachSettings,
    now: datetime,
) -> float:
    """0-100: half power/interest, a quarter how central the actor is in its flagged groups
    (exact degree centrality inside the group: a broker reaches many), a quarter how long ago
    the last direct contact was (never: the full quarter).

    Four businesses in Belsele, one visited 20 days ago (1 of 4: under-reached). The bakery
    (influence 5, interest 4) knows two of the other three and was last visited 270 days ago:

    >>> from mapping.build import graph_from_rows
    >>> from mapping.reach import group_reach
    >>> now, settings = datetime(2026, 6, 10), ReachSettings()
    >>> G = graph_from_rows(
    ...     [
    ...         {"id": 1, "name": "Bakkerij Claes", "kind": "business", "district": "Belsele",
    ...          "influence": 5, "interest": 4, "last_direct_reached_at": datetime(2025, 9, 13)},
    ...         {"id": 2, "name": "Garage Maes", "kind": "business", "district": "Belsele"},
    ...         {"id": 3, "name": "Apotheek Belsele", "kind": "business", "district": "Belsele"},
    ...         {"id": 4, "name": "Brouwerij Belsele", "kind": "business", "district": "Belsele",
    ...          "last_direct_reached_at": datetime(2026, 5, 21)},
    ...         {"id": 5, "name": "Vzw De Vlaskop", "kind": "poverty_organisation"},
    ...     ],
    ...     [(1, 2, 1), (1, 3, 2)],
    ...     settings=settings,
    ...     now=now,
    ... )
    >>> flagged = [g for g in group_reach(G, settings=settings) if g.flag == "under_reached"]
    >>> [(g.ident, g.direct, g.total) for g in flagged]
    [('district:Belsele', 1, 4), ('kind:business', 1, 4), ('kind_district:business/Belsele', 1, 4)]
    >>> # 100 * (0.5 * (5 + 4 - 2) / 8 + 0.25 * 2 / 3 + 0.25 * 270 / (2 * 180))
    >>> priority(G, 1, flagged, settings=settings, now=now)
    79.2
    >>> # influence and interest 3, in no flagged group, never reached directly
    >>> priority(G, 5, [], settings=settings, now=now)
    50.0
    """
    neighbours = G.adj[actor_id]
    centrality = max((_centrality(neighbours, g) for g in groups), default=0.0)
    return _priority(G.nodes[actor_id], centrality, settings, now)


def brokers(G: nx.Graph, groups: list[GroupReach], *, top: int = 5) -> list[Broker]:
    """Per under-reached group, the actors linked to the most of its unreached members
    (exact: one pass over those members' neighbours)."""
    return _brokers(ActorLinks(G), groups, top)


def _brokers(links, groups: list[GroupReach], top: int) -> list[Broker]:
    found = []
    for group in groups:
        if group.flag != GroupFlag.UNDER_REACHED:
            continue
        members = links.positions(group)
        counts = links.neighbours_in(members[links.unreached[members]])
        linked = np.flatnonzero(counts)
        if len(linked) > top:  # keep the top counts (with every tie at the cut), then sort
            cut = np.partition(counts[linked], len(linked) - top)[len(linked) - top]
            linked = linked[counts[linked] >= cut]
        ids = links.ids[linked]
        best = linked[np.lexsort((ids, -counts[linked]))][:top]
        found.extend(
            Broker(actor_id=links.order[p], group=group.ident, unreached_neighbours=int(counts[p]))
            for p in best.tolist()
        )
    return found


# --- the work, on plain mappings: `G.nodes` / `G.adj` for one actor, raw dicts for many -------

_VISIT_POVERTY = Message(N_("Poverty organisations are reached in person: visit them."))
_VISIT_PREFERRED = Message(N_("Prefers a visit."))
_VISIT_NO_PHONE = Message(N_("No phone number to call, but the address is known."))
_CALL_FIRST = Message(N_("A phone number is known: call."))
_FIND_DETAILS_REASON = Message(N_("No way to reach them yet: find a phone number or address."))


def _next_action(actor_id, nodes, adj, settings: ReachSettings) -> tuple[str, Message, int | None]:
    data = nodes[actor_id]
    can_visit, can_call = data["can_visit"], data["can_call"]  # crm.channels, in mapping.build
    failed = data["failed_calls"]
    too_many_failed = failed >= settings.max_failed_calls
    if can_visit:
        if data["kind"] == Kind.POVERTY_ORGANISATION:
            return NextAction.VISIT, _VISIT_POVERTY, None
        if data["preferred_channel"] == Channel.VISIT:
            return NextAction.VISIT, _VISIT_PREFERRED, None
        if too_many_failed:
            reason = Message(
                N_("Failed calls in the reach window: %(count)d. Go and visit."), count=failed
            )
            return NextAction.VISIT, reason, None
        if not can_call:
            return NextAction.VISIT, _VISIT_NO_PHONE, None
    if can_call and not too_many_failed:
        if failed:
            return (
                NextAction.CALL,
                Message(N_("Call again (failed calls so far: %(count)d)."), count=failed),
                None,
            )
        return NextAction.CALL, _CALL_FIRST, None
    introducer = _find_introducer(actor_id, nodes, adj)
    if introducer is not None:
        return (
            NextAction.INTRODUCE,
            Message(
                N_("Ask %(name)s, who is reached directly, for an introduction."),
                name=nodes[introducer]["name"],
            ),
            introducer,
        )
    return NextAction.FIND_DETAILS, _FIND_DETAILS_REASON, None


def _find_introducer(actor_id, nodes, adj) -> int | None:
    candidates: dict = {}  # introducer -> its best tie
    for middle, edge in adj[actor_id].items():
        if middle == CITY:
            continue
        tie = edge["weight"]
        if CITY in adj[middle] and tie > candidates.get(middle, 0):
            candidates[middle] = tie
        for far, far_edge in adj[middle].items():
            if far in (CITY, actor_id) or CITY not in adj[far]:
                continue
            far_tie = min(tie, far_edge["weight"]) * TWO_HOP_DISCOUNT
            if far_tie > candidates.get(far, 0):
                candidates[far] = far_tie
    best, best_rank = None, None
    for node, tie in candidates.items():
        # Recency: the city edge's weight, then the exact moment (the weight is rounded and
        # bottoms out at the end of the window, where it no longer tells two contacts apart).
        rank = (tie, adj[node][CITY]["weight"], nodes[node].get("last_direct_at") or datetime.min)
        if best is None or rank > best_rank or (rank == best_rank and node < best):
            best, best_rank = node, rank
    return best


def _priority(data, centrality: float, settings: ReachSettings, now: datetime) -> float:
    power_interest = (data["influence"] + data["interest"] - 2) / 8
    last = data.get("last_direct_at")
    staleness = 1.0 if last is None else min(1.0, (now - last).days / (2 * settings.window_days))
    return round(100 * (0.5 * power_interest + 0.25 * centrality + 0.25 * staleness), 1)


def _centrality(neighbours, group: GroupReach) -> float:
    """The share of the group's other members the actor is linked to."""
    if group.total < 2:
        return 0.0
    return len(group.members.intersection(neighbours)) / (group.total - 1)


def actions_by_group(ranked: Iterable[Recommendation]) -> dict[str, list[Recommendation]]:
    """Each flagged group's actions, best first, the poverty organisations flagged one by one
    under POVERTY_FLAG; the groups in the order of their best action."""
    by_group: dict[str, list[Recommendation]] = {}
    for recommendation in ranked:
        for ident in recommendation.groups:
            by_group.setdefault(ident, []).append(recommendation)
    return by_group
