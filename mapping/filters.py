"""What a view of the analysis is narrowed to: one filter type for the outreach plan, the maps,
the reach API and the CLI report, so that the same query shows the same actors everywhere.

An actor passes when it is in the district, of the kind and works on the theme asked (district
NO_DISTRICT, '—': actors without a district), is in an under-reached group or a flagged poverty
organisation (`flagged`), lies within `hops` relations of `actor` (its ego network; the city is
no path), and its recommended next action is `action`. Groups are chosen in two ways, for two
questions: `groups_defined_by` (the API: only the groups whose figures the filter defines) and
`groups_compatible` (the dashboard: every group the filter does not contradict).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx

from crm.vocabulary import GroupFlag
from mapping.analysis import Analysis
from mapping.build import CITY
from mapping.links import NO_DISTRICT
from mapping.outreach import Recommendation
from mapping.reach import GroupReach, actor_nodes, group_keys

HOPS = (1, 2)
MAX_ACTOR_ID = 2**31 - 1


@dataclass(frozen=True)
class AnalysisFilter:
    """The filters of a view of the analysis; empty values filter nothing."""

    district: str = ""
    kind: str = ""
    theme: str = ""
    action: str = ""
    flagged: bool = False
    actor: int | None = None
    hops: int = 1

    @classmethod
    def from_args(cls, args: Mapping) -> "AnalysisFilter":
        """The filters of a page's query string; blank, unknown or malformed values are no
        filter (the API refuses them instead, before building a filter)."""

        def text(name: str) -> str:
            return str(args.get(name) or "").strip()

        actor, hops = text("actor"), text("hops")
        wellformed = actor.isascii() and actor.isdigit() and 0 < int(actor) <= MAX_ACTOR_ID
        return cls(
            district=text("district"),
            kind=text("kind"),
            theme=text("theme"),
            action=text("action"),
            flagged=text("flagged") in ("1", "on", "true", "yes"),
            actor=int(actor) if wellformed else None,
            hops=int(hops) if hops in ("1", "2") else 1,
        )

    @property
    def active(self) -> bool:
        return bool(self.as_args())

    def as_args(self) -> dict[str, str]:
        """The filters that are set, as query-string arguments."""
        names = ("district", "kind", "theme", "action")
        args = {name: getattr(self, name) for name in names if getattr(self, name)}
        if self.flagged:
            args["flagged"] = "1"
        if self.actor is not None:
            args["actor"], args["hops"] = str(self.actor), str(self.hops)
        return args

    def admits_actor(self, node: Mapping) -> bool:
        """Whether an actor's node attributes are in the district, kind and theme asked."""
        return (
            (not self.district or (node.get("district") or NO_DISTRICT) == self.district)
            and (not self.kind or node.get("kind") == self.kind)
            and (not self.theme or self.theme in node.get("themes", ()))
        )

    def actor_test(self, analysis: Analysis) -> Callable[[int], bool]:
        """Whether an actor (by id) passes every filter."""
        flagged = flagged_actor_ids(analysis) if self.flagged else None
        ego = None if self.actor is None else ego_actor_ids(analysis, self.actor, hops=self.hops)

        def passes(actor_id: int) -> bool:
            if not self.admits_actor(analysis.actor(actor_id)):
                return False
            if flagged is not None and actor_id not in flagged:
                return False
            if ego is not None and actor_id not in ego:
                return False
            if self.action:
                recommendation = analysis.recommendation_for(actor_id)
                return recommendation is not None and recommendation.action == self.action
            return True

        return passes

    def actor_ids(self, analysis: Analysis) -> set[int] | None:
        """The actors passing the filters (None: every actor, nothing is filtered)."""
        if not self.active:
            return None
        passes = self.actor_test(analysis)
        return {node for node, _ in actor_nodes(analysis.graph) if passes(node)}

    def recommendations(self, analysis: Analysis) -> list[Recommendation]:
        """Every recommendation whose actor passes the filters, best first."""
        if not self.active:
            return list(analysis.recommendations)
        passes = self.actor_test(analysis)
        return [r for r in analysis.recommendations if passes(r.actor_id)]

    def groups_defined_by(self, groups: list[GroupReach]) -> list[GroupReach]:
        """The groups defined by every value asked: `district=Sinaai` keeps the group of
        district Sinaai and the groups `<kind>/Sinaai`, not the group of a kind or a theme,
        whose figures also count actors elsewhere."""
        wanted = self._group_values()
        return [g for g in groups if all(_defined(g).get(n) == v for n, v in wanted.items() if v)]

    def groups_compatible(self, groups: list[GroupReach]) -> list[GroupReach]:
        """The groups the filters do not contradict: a group of kind `business` stays when
        `district=Sinaai` is asked, the group of district Belsele does not; with `flagged`
        only the under-reached groups."""
        wanted = self._group_values()

        def compatible(group: GroupReach) -> bool:
            if self.flagged and group.flag != GroupFlag.UNDER_REACHED:
                return False
            defined = _defined(group)
            return all(defined.get(n, v) == v for n, v in wanted.items() if v)

        return [g for g in groups if compatible(g)]

    def _group_values(self) -> dict[str, str]:
        return {"kind": self.kind, "district": self.district, "theme": self.theme}


def _defined(group: GroupReach) -> dict[str, str]:
    """The values that define a group: {'kind': ..., 'district': ...} for a kind × district."""
    if group.dimension == "kind_district":
        kind, _, district = group.key.partition("/")
        return {"kind": kind, "district": district}
    return {group.dimension: group.key}


def flagged_actor_ids(analysis: Analysis) -> set[int]:
    """Actors of an under-reached group, and poverty organisations flagged on their own.

    A group with too few known actors is left out: its share says nothing yet."""
    flagged = {(g.dimension, g.key) for g in analysis.groups if g.flag == GroupFlag.UNDER_REACHED}
    members = {
        node for node, data in actor_nodes(analysis.graph) if flagged & set(group_keys(data))
    }
    return members | set(analysis.poverty_flagged)


def ego_actor_ids(analysis: Analysis, actor_id: int, *, hops: int) -> set[int]:
    """The actor and the actors within `hops` relations of it; the city is no path between them
    (through the city every actor would be two hops from every other)."""
    G = analysis.graph
    if actor_id not in G or actor_id == CITY:
        return set()
    actors = G.subgraph(n for n in G if n != CITY)
    return set(nx.ego_graph(actors, actor_id, radius=hops))
