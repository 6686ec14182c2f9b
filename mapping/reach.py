"""Reach per group and its flags (docs/rules-of-reach.md#when-a-group-is-flagged): pure
functions of the stakeholder graph."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from crm.messages import N_, Message
from crm.vocabulary import KIND_PLURAL_LABELS, GroupFlag, Kind, ReachStatus
from mapping.build import CITY
from mapping.settings import ReachSettings

DIMENSIONS = ("kind", "district", "theme", "kind_district")


@dataclass(frozen=True)
class GroupReach:
    """Reach figures of one group, its flag and a sentence a coordinator can read."""

    dimension: str
    key: str
    total: int
    direct: int
    digital_only: int
    attempted: int
    none: int
    flag: str | None
    sentence: Message
    actor_ids: tuple[int, ...]

    @property
    def share_direct(self) -> float:
        return round(self.direct / self.total, 4) if self.total else 0.0

    @cached_property
    def members(self) -> frozenset[int]:
        return frozenset(self.actor_ids)

    @property
    def ident(self) -> str:
        """'kind_district:poverty_organisation/Sinaai'."""
        return f"{self.dimension}:{self.key}"


def actor_nodes(G: nx.Graph):
    """The actor nodes (every node but the city) with their attributes."""
    return ((n, data) for n, data in G.nodes(data=True) if n != CITY)


def group_keys(data: dict) -> list[tuple[str, str]]:
    """Every (dimension, key) group an actor with these node attributes belongs to."""
    keys = [("kind", data["kind"])]
    if data.get("district"):
        keys.append(("district", data["district"]))
        keys.append(("kind_district", f"{data['kind']}/{data['district']}"))
    keys.extend(("theme", theme) for theme in data.get("themes", ()))
    return keys


def group_reach(G: nx.Graph, *, settings: ReachSettings) -> list[GroupReach]:
    """Counts per status for every group, flagged ones first, lowest share first.

    Six poverty organisations in Sinaai, two of them visited last month; two of the six (one
    visited, one not) work on housing:

    >>> from datetime import datetime
    >>> from mapping.build import graph_from_rows
    >>> now, visited = datetime(2026, 6, 10), datetime(2026, 5, 1)
    >>> rows = [
    ...     {"id": n, "name": f"Vereniging {n}", "kind": "poverty_organisation",
    ...      "district": "Sinaai", "last_direct_reached_at": visited if n <= 2 else None}
    ...     for n in range(1, 7)
    ... ]
    >>> settings = ReachSettings()  # 180 days, threshold 0.5, at least 3 known
    >>> G = graph_from_rows(
    ...     rows, [], themes={1: ("wonen",), 3: ("wonen",)}, settings=settings, now=now
    ... )
    >>> for group in group_reach(G, settings=settings):
    ...     print(group.flag, "|", group.sentence.render())
    under_reached | Actors in Sinaai: 2 of 6 reached directly
    under_reached | Poverty organisations: 2 of 6 reached directly
    under_reached | Poverty organisations in Sinaai: 2 of 6 reached directly
    too_few_known | Actors working on wonen: only 2 known. Map more stakeholders here.
    """
    # Actors alike in kind, district, themes and status share every group: sort the actors
    # into those few thousand kinds first, then each kind into its groups (at 100 000 actors
    # this is a third of the work of asking every actor for its groups).
    alike: dict[tuple, list] = defaultdict(list)
    for node, data in actor_nodes(G):
        alike[
            (data["kind"], data.get("district"), tuple(data.get("themes", ())), data["status"])
        ].append(node)
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (kind, district, themes, status), nodes in alike.items():
        for key in group_keys({"kind": kind, "district": district, "themes": themes}):
            members[key].extend(nodes)
            counts[key][status] += len(nodes)
    groups = [
        _group(dimension, key, ids, counts[(dimension, key)], settings)
        for (dimension, key), ids in members.items()
    ]
    return sorted(groups, key=lambda g: (g.flag is None, g.share_direct, g.dimension, g.key))


def flag_of(total: int, direct: int, *, settings: ReachSettings) -> GroupFlag | None:
    """`too_few_known` below the minimum group size, `under_reached` below the threshold.

    With the defaults (a share of 0.5, at least 3 known actors):

    >>> settings = ReachSettings()
    >>> print(flag_of(6, 2, settings=settings))  # 2 of 6 reached directly: 33 % < 50 %
    under_reached
    >>> print(flag_of(4, 2, settings=settings))  # exactly 50 % is enough
    None
    >>> print(flag_of(2, 2, settings=settings))  # both reached, but two are too few to judge
    too_few_known
    """
    if total < settings.min_group_size:
        return GroupFlag.TOO_FEW_KNOWN
    if direct / total < settings.threshold:
        return GroupFlag.UNDER_REACHED
    return None


def unreached_poverty_organisations(G: nx.Graph) -> list[int]:
    """Poverty organisations without status `direct`: flagged one by one, whatever their group.

    One organisation visited last month, one only e-mailed, one never contacted; a resident
    nobody talked to is no poverty organisation:

    >>> from datetime import datetime
    >>> from mapping.build import graph_from_rows
    >>> now, last_month = datetime(2026, 6, 10), datetime(2026, 5, 10)
    >>> G = graph_from_rows(
    ...     [
    ...         {"id": 1, "name": "Vzw De Vlaskop", "kind": "poverty_organisation",
    ...          "last_direct_reached_at": last_month},
    ...         {"id": 2, "name": "Welzijnsschakel Belsele", "kind": "poverty_organisation",
    ...          "last_reached_at": last_month},
    ...         {"id": 3, "name": "Vzw 't Lichtpunt", "kind": "poverty_organisation"},
    ...         {"id": 4, "name": "Jan Peeters", "kind": "resident"},
    ...     ],
    ...     [],
    ...     settings=ReachSettings(),
    ...     now=now,
    ... )
    >>> [G.nodes[n]["status"] for n in (1, 2, 3)]
    ['direct', 'digital_only', 'none']
    >>> unreached_poverty_organisations(G)
    [2, 3]
    """
    return sorted(
        n
        for n, data in actor_nodes(G)
        if data["kind"] == Kind.POVERTY_ORGANISATION and data["status"] != ReachStatus.DIRECT
    )


def group_name(dimension: str, key: str) -> Message:
    """The group as words: 'Poverty organisations in Sinaai', 'Actors in Belsele'."""
    if dimension == "kind":
        return Message(KIND_PLURAL_LABELS.get(key, key))
    if dimension == "district":
        return Message(N_("Actors in %(district)s"), district=key)
    if dimension == "theme":
        return Message(N_("Actors working on %(theme)s"), theme=key)
    kind, _, district = key.partition("/")
    return Message(
        N_("%(kinds)s in %(district)s"),
        kinds=Message(KIND_PLURAL_LABELS.get(kind, kind)),
        district=district,
    )


def _group(dimension: str, key: str, ids: list, counts: Counter, settings) -> GroupReach:
    total, direct = len(ids), counts[ReachStatus.DIRECT]
    flag = flag_of(total, direct, settings=settings)
    return GroupReach(
        dimension=dimension,
        key=key,
        total=total,
        direct=direct,
        digital_only=counts[ReachStatus.DIGITAL_ONLY],
        attempted=counts[ReachStatus.ATTEMPTED],
        none=counts[ReachStatus.NONE],
        flag=flag,
        sentence=_sentence(dimension, key, total, direct, flag),
        actor_ids=tuple(sorted(ids)),
    )


def _sentence(dimension, key, total, direct, flag) -> Message:
    name = group_name(dimension, key)
    if flag == GroupFlag.TOO_FEW_KNOWN:
        return Message(
            N_("%(group)s: only %(total)d known. Map more stakeholders here."),
            group=name,
            total=total,
        )
    return Message(
        N_("%(group)s: %(direct)d of %(total)d reached directly"),
        group=name,
        direct=direct,
        total=total,
    )


def groups_by_flag(groups: Iterable[GroupReach]) -> list[tuple[str, list[GroupReach]]]:
    """The flagged groups under their flag, under-reached first (GroupFlag's order), each list
    in the order given; a flag without groups is left out, and so is every unflagged group.

    The print report names each flag once, as a heading, instead of after every group."""
    by_flag: dict[str, list[GroupReach]] = {str(flag): [] for flag in GroupFlag}
    for group in groups:
        if group.flag is not None:
            by_flag.setdefault(str(group.flag), []).append(group)
    return [(flag, listed) for flag, listed in by_flag.items() if listed]
