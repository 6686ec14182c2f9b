"""Whom to call or visit next: one recommended action per actor to reach, and brokers.

Every function here is exact: the work is local to the actors to reach (their neighbours and
their neighbours' neighbours), so it stays linear in the size of the flagged groups.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import networkx as nx

from crm.messages import N_, Message
from crm.vocabulary import Channel, Kind, ReachStatus
from mapping.build import CITY
from mapping.reach import UNDER_REACHED, GroupReach
from mapping.settings import ReachSettings

VISIT, CALL, INTRODUCE, FIND_DETAILS = "visit", "call", "introduce", "find_details"
ACTIONS = (VISIT, CALL, INTRODUCE, FIND_DETAILS)
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
    """The action of DESIGN.md §3.4 for one actor: (action, reason, introducer or None)."""
    data = G.nodes[actor_id]
    can_visit = data["has_address"] and not data["do_not_visit"]
    can_call = data["has_phone"] and not data["do_not_phone"]
    too_many_failed = data["failed_calls"] >= settings.max_failed_calls
    if can_visit:
        if data["kind"] == Kind.POVERTY_ORGANISATION:
            return (
                VISIT,
                Message(N_("Poverty organisations are reached in person: visit them.")),
                None,
            )
        if data["preferred_channel"] == Channel.VISIT:
            return VISIT, Message(N_("Prefers a visit.")), None
        if too_many_failed:
            return (
                VISIT,
                Message(
                    N_("%(count)d failed calls in the reach window: go and visit."),
                    count=data["failed_calls"],
                ),
                None,
            )
        if not can_call:
            return VISIT, Message(N_("No phone number to call, but the address is known.")), None
    if can_call and not too_many_failed:
        if data["failed_calls"]:
            return (
                CALL,
                Message(
                    N_("Call again (%(count)d failed calls so far)."), count=data["failed_calls"]
                ),
                None,
            )
        return CALL, Message(N_("A phone number is known: call.")), None
    introducer = find_introducer(G, actor_id)
    if introducer is not None:
        return (
            INTRODUCE,
            Message(
                N_("Ask %(name)s, who is reached directly, for an introduction."),
                name=G.nodes[introducer]["name"],
            ),
            introducer,
        )
    return (
        FIND_DETAILS,
        Message(N_("No way to reach them yet: find a phone number or address.")),
        None,
    )


def find_introducer(G: nx.Graph, actor_id: int) -> int | None:
    """The best directly reached actor within two hops: strongest tie first, then the most
    recent direct contact (the city edge's weight), then the lowest id."""
    candidates: dict[int, tuple[float, float]] = {}
    for middle, edge in G[actor_id].items():
        if middle == CITY:
            continue
        _consider(G, candidates, middle, edge["weight"])
        for far, far_edge in G[middle].items():
            if far not in (CITY, actor_id):
                tie = min(edge["weight"], far_edge["weight"]) * TWO_HOP_DISCOUNT
                _consider(G, candidates, far, tie)
    if not candidates:
        return None
    return min(candidates, key=lambda n: (-candidates[n][0], -candidates[n][1], n))


def recommend(
    G: nx.Graph,
    groups: list[GroupReach],
    *,
    settings: ReachSettings,
    now: datetime,
) -> list[Recommendation]:
    """One recommendation per actor not reached directly in an under-reached group, and per
    poverty organisation not reached directly; best (highest priority) first."""
    flagged = [g for g in groups if g.flag == UNDER_REACHED]
    groups_of: dict[int, list[GroupReach]] = defaultdict(list)
    for group in flagged:
        for node in group.actor_ids:
            if G.nodes[node]["status"] != ReachStatus.DIRECT:
                groups_of[node].append(group)
    for node, data in G.nodes(data=True):
        if (
            node != CITY
            and data["kind"] == Kind.POVERTY_ORGANISATION
            and data["status"] != ReachStatus.DIRECT
        ):
            groups_of.setdefault(node, [])
    recommendations = []
    for node, its_groups in groups_of.items():
        action, reason, introducer = next_action(G, node, settings=settings)
        labels = tuple(g.ident for g in its_groups)
        if G.nodes[node]["kind"] == Kind.POVERTY_ORGANISATION:
            labels += (POVERTY_FLAG,)
        recommendations.append(
            Recommendation(
                actor_id=node,
                action=action,
                reason=reason,
                priority=priority(G, node, its_groups, settings=settings, now=now),
                introducer_id=introducer,
                groups=labels,
            )
        )
    return sorted(recommendations, key=lambda r: (-r.priority, r.actor_id))


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
    the last direct contact was (never: the full quarter)."""
    data = G.nodes[actor_id]
    power_interest = (data["influence"] + data["interest"] - 2) / 8
    centrality = max((_centrality_in(G, actor_id, g) for g in groups), default=0.0)
    last = data.get("last_direct_at")
    staleness = 1.0 if last is None else min(1.0, (now - last).days / (2 * settings.window_days))
    return round(100 * (0.5 * power_interest + 0.25 * centrality + 0.25 * staleness), 1)


def brokers(G: nx.Graph, groups: list[GroupReach], *, top: int = 5) -> list[Broker]:
    """Per under-reached group, the actors linked to the most of its unreached members
    (exact: one pass over those members' neighbours)."""
    found = []
    for group in groups:
        if group.flag != UNDER_REACHED:
            continue
        counts: dict[int, int] = defaultdict(int)
        for member in group.actor_ids:
            if G.nodes[member]["status"] == ReachStatus.DIRECT:
                continue
            for neighbour in G[member]:
                if neighbour != CITY:
                    counts[neighbour] += 1
        best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
        found.extend(Broker(actor_id=n, group=group.ident, unreached_neighbours=c) for n, c in best)
    return found


def _consider(G, candidates, node, tie: float) -> None:
    if not G.has_edge(CITY, node):
        return
    recency = G[CITY][node]["weight"]
    if node not in candidates or (tie, recency) > candidates[node]:
        candidates[node] = (tie, recency)


def _centrality_in(G: nx.Graph, actor_id: int, group: GroupReach) -> float:
    if group.total < 2:
        return 0.0
    inside = sum(1 for n in G[actor_id] if n in group.members)
    return inside / (group.total - 1)
