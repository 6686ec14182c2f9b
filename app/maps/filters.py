"""What a map is narrowed to: district, kind, theme, flagged groups only, one actor's ego network.

Plain functions over a `mapping.Analysis` (no request, no database), shared by the map pages and
`GET /api/v1/maps/<name>`, so that both draw the same picture for the same query string.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from mapping import Analysis
from mapping.build import CITY
from mapping.links import NO_DISTRICT
from mapping.reach import UNDER_REACHED, GroupReach, actor_nodes, group_keys

HOPS = (1, 2)


@dataclass(frozen=True)
class MapFilters:
    """The filters of a map; `actor` with `hops` (1 or 2) asks for that actor's ego network;
    `district` NO_DISTRICT ('—') asks for the actors without a district."""

    district: str = ""
    kind: str = ""
    theme: str = ""
    flagged: bool = False
    actor: int | None = None
    hops: int = 1

    @classmethod
    def from_args(cls, args: Mapping) -> "MapFilters":
        """The filters of a query string; blank, unknown or malformed values are no filter."""

        def text(name: str) -> str:
            return str(args.get(name) or "").strip()

        actor = text("actor")
        hops = text("hops")
        return cls(
            district=text("district"),
            kind=text("kind"),
            theme=text("theme"),
            flagged=text("flagged") in ("1", "on", "true", "yes"),
            actor=int(actor)
            if actor.isascii() and actor.isdigit() and 0 < int(actor) < 2**31
            else None,
            hops=int(hops) if hops in ("1", "2") else 1,
        )

    @property
    def active(self) -> bool:
        return bool(self.as_args())

    def as_args(self) -> dict[str, str]:
        """The filters that are set, as query-string arguments."""
        args = {name: getattr(self, name) for name in ("district", "kind", "theme")}
        args = {name: value for name, value in args.items() if value}
        if self.flagged:
            args["flagged"] = "1"
        if self.actor is not None:
            args["actor"] = str(self.actor)
            args["hops"] = str(self.hops)
        return args


def admits_actor(filters: MapFilters, node: Mapping) -> bool:
    """Whether an actor's node attributes are in the district, kind and theme asked."""
    return (
        (not filters.district or (node.get("district") or NO_DISTRICT) == filters.district)
        and (not filters.kind or node.get("kind") == filters.kind)
        and (not filters.theme or filters.theme in node.get("themes", ()))
    )


def flagged_actor_ids(analysis: Analysis) -> set[int]:
    """Actors of an under-reached group, and poverty organisations flagged on their own.

    A group with too few known actors is left out: its share says nothing yet."""
    flagged = {(g.dimension, g.key) for g in analysis.groups if g.flag == UNDER_REACHED}
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


def actor_ids(analysis: Analysis, filters: MapFilters) -> set[int] | None:
    """The actors the network map shows (None: every actor)."""
    if not filters.active:
        return None
    chosen = {n for n, data in actor_nodes(analysis.graph) if admits_actor(filters, data)}
    if filters.flagged:
        chosen &= flagged_actor_ids(analysis)
    if filters.actor is not None:
        chosen &= ego_actor_ids(analysis, filters.actor, hops=filters.hops)
    return chosen


def admitted_groups(analysis: Analysis, filters: MapFilters) -> list[GroupReach]:
    """The groups the dashboard shows: those not contradicting the district and kind asked (a
    group of kind `business` stays when `district=Sinaai` is asked, the group of district
    Belsele does not; theme groups are on no dashboard chart)."""
    if not filters.active:
        return analysis.groups
    return [g for g in analysis.groups if _group_admitted(g, filters)]


def _group_admitted(group: GroupReach, filters: MapFilters) -> bool:
    defined: dict[str, str] = {}
    if group.dimension == "kind_district":
        defined["kind"], _, defined["district"] = group.key.partition("/")
    else:
        defined[group.dimension] = group.key
    wanted = {"kind": filters.kind, "district": filters.district, "theme": filters.theme}
    if filters.flagged and group.flag != UNDER_REACHED:
        return False
    return all(defined.get(name, value) == value for name, value in wanted.items() if value)
