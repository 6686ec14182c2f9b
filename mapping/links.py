"""The actors' links as one sparse matrix: neighbour counts for many actors at once, and the
number of links between kind × district groups (the group map) in one matrix product.

Built once per analysis (`mapping.analysis`) and kept with it, so that neither the outreach
plan nor a map walks the graph's edges in Python again (bench/reach_analysis.py,
bench/maps.py).
"""

from collections.abc import Iterable
from functools import cached_property
from itertools import chain

import networkx as nx
import numpy as np
import scipy.sparse

from crm.vocabulary import ReachStatus
from mapping.build import CITY
from mapping.reach import GroupReach

NO_DISTRICT = "—"  # the district key of actors without a district on the group map

Group = tuple[str, str]  # (kind, district or NO_DISTRICT)


def kind_district(data: dict) -> Group:
    """The group-map group of an actor's node attributes."""
    return data["kind"], data.get("district") or NO_DISTRICT


class ActorLinks:
    """The actors' links as a sparse 0/1 matrix, to count neighbours for many actors at once.

    At design scale tens of thousands of actors are to be reached: counting their neighbours
    in each flagged group one actor at a time in Python took seconds, a sparse matrix product
    per group takes milliseconds. Node ids are actor ids (integers); the city is no actor.
    """

    def __init__(self, G: nx.Graph):
        self.nodes = {n: data for n, data in G.nodes(data=True) if n != CITY}
        self.adj = dict(G.adjacency())
        self.order = list(self.nodes)
        self.ids = np.array(self.order, dtype=np.int64)
        self.position = {n: i for i, n in enumerate(self.order)}
        direct = ReachStatus.DIRECT
        self.unreached = np.fromiter(
            (data["status"] != direct for data in self.nodes.values()),
            dtype=bool,
            count=len(self.order),
        )
        self.matrix = self._matrix()
        self._values: dict[str, np.ndarray] = {}

    def _matrix(self) -> scipy.sparse.csr_array:
        n = len(self.order)
        position = dict(self.position)
        position[CITY] = -1
        neighbours = [self.adj[node] for node in self.order]
        degrees = np.fromiter(map(len, neighbours), dtype=np.int64, count=n)
        columns = np.fromiter(
            map(position.__getitem__, chain.from_iterable(neighbours)),
            dtype=np.int64,
            count=int(degrees.sum()),
        )
        rows = np.repeat(np.arange(n, dtype=np.int64), degrees)
        keep = columns >= 0  # the city is no actor
        rows, columns = rows[keep], columns[keep]
        ones = np.ones(len(rows), dtype=np.int64)
        return scipy.sparse.csr_array((ones, (rows, columns)), shape=(n, n))

    def positions(self, group: GroupReach) -> np.ndarray:
        """The rows of the group's members."""
        return self.rows_of(group.actor_ids)

    def rows_of(self, actor_ids: Iterable[int]) -> np.ndarray:
        """The rows of these actors (ids not in the graph are left out)."""
        position = self.position
        return np.fromiter((position[n] for n in actor_ids if n in position), dtype=np.int64)

    def neighbours_in(self, positions: np.ndarray) -> np.ndarray:
        """For every actor, how many of these actors it is linked to."""
        chosen = np.zeros(len(self.order), dtype=np.int64)
        chosen[positions] = 1
        return self.matrix @ chosen

    def values(self, attribute: str) -> np.ndarray:
        """A numeric node attribute (influence, interest, ...) per actor row, computed once."""
        if attribute not in self._values:
            self._values[attribute] = np.fromiter(
                (data[attribute] for data in self.nodes.values()),
                dtype=np.int64,
                count=len(self.order),
            )
        return self._values[attribute]

    @cached_property
    def groups(self) -> list[Group]:
        """The kind × district groups, sorted."""
        return sorted({kind_district(data) for data in self.nodes.values()})

    @cached_property
    def group_codes(self) -> np.ndarray:
        """Per actor row, the index of its group in `groups`."""
        index = {group: i for i, group in enumerate(self.groups)}
        return np.fromiter(
            (index[kind_district(data)] for data in self.nodes.values()),
            dtype=np.int64,
            count=len(self.order),
        )
