"""The one entry point: `analyse` returns the result every page, the CLI, the API and the maps
read. Results are cached by data version (bumped by every write), settings and day."""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from threading import Lock

import networkx as nx
from sqlalchemy import event
from sqlalchemy.orm import Session

from crm.clock import utcnow
from crm.versioning import TRACKED, current_data_version
from mapping.build import gc_paused, load_graph
from mapping.outreach import Broker, Recommendation, plan
from mapping.reach import GroupReach, group_reach, unreached_poverty_organisations
from mapping.settings import ReachSettings

CACHE_SIZE = 4


@dataclass(frozen=True)
class Analysis:
    """Statuses, group figures with flags, ranked recommendations and brokers."""

    data_version: int
    computed_at: datetime
    settings: ReachSettings
    graph: nx.Graph
    groups: list[GroupReach]
    poverty_flagged: list[int]
    recommendations: list[Recommendation]
    brokers: list[Broker]
    _by_actor: dict[int, Recommendation] = field(default_factory=dict, repr=False)

    def status_of(self, actor_id: int) -> str | None:
        """The actor's reach status, None for an archived or unknown actor."""
        node = self.graph.nodes.get(actor_id)
        return node["status"] if node else None

    def recommendation_for(self, actor_id: int) -> Recommendation | None:
        """The actor's recommended next action, None when nothing is recommended."""
        return self._by_actor.get(actor_id)

    def actor(self, actor_id: int) -> dict:
        """The node attributes of an actor (name, kind, district, ...)."""
        return self.graph.nodes[actor_id]


def analyse_graph(
    G: nx.Graph, *, settings: ReachSettings, now: datetime, data_version: int = 0
) -> Analysis:
    """The full analysis of a graph (pure: no database)."""
    groups = group_reach(G, settings=settings)
    recommendations, found_brokers = plan(G, groups, settings=settings, now=now)
    return Analysis(
        data_version=data_version,
        computed_at=now,
        settings=settings,
        graph=G,
        groups=groups,
        poverty_flagged=unreached_poverty_organisations(G),
        recommendations=recommendations,
        brokers=found_brokers,
        _by_actor={r.actor_id: r for r in recommendations},
    )


_cache: OrderedDict = OrderedDict()
_lock = Lock()
_UNCOMMITTED_WRITES = "mapping.uncommitted_writes"


@event.listens_for(Session, "after_flush")
def _note_uncommitted_writes(session: Session, _context) -> None:
    # The same test as crm.versioning's bump: a write the analysis reads.
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, TRACKED) for obj in changed):
        session.info[_UNCOMMITTED_WRITES] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted_writes(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended: committed or rolled back
        session.info.pop(_UNCOMMITTED_WRITES, None)


def analyse(session: Session, *, settings: ReachSettings, now: datetime | None = None) -> Analysis:
    """The analysis of the database behind `session`, from the cache when nothing changed.

    The key is the database, the data version, the settings and the day (the reach window moves
    with the date); each process keeps its last few results.
    """
    now = now or utcnow()
    version = current_data_version(session)
    key = (str(session.get_bind().url), version, settings, now.date())
    # A transaction that wrote and has not committed sees a data version nobody else may ever
    # see with that data (it can still roll back, and another write take the number): its
    # analysis is computed for it alone, neither read from nor put in the cache.
    shared = not session.info.get(_UNCOMMITTED_WRITES)
    with _lock:
        if shared and key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    with gc_paused():
        result = analyse_graph(
            load_graph(session, settings=settings, now=now),
            settings=settings,
            now=now,
            data_version=version,
        )
    if not shared:
        return result
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def clear_cache() -> None:
    """Forget every cached result."""
    with _lock:
        _cache.clear()
