"""The one entry point: `analyse` returns the result every page, the CLI, the API and the maps
read. Results are cached by data version (bumped by every write), settings and day."""

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from itertools import chain
from threading import Lock

import networkx as nx
from sqlalchemy import event
from sqlalchemy.orm import Session

from crm.clock import utcnow
from crm.db import gc_paused
from crm.versioning import TRACKED, current_data_version
from mapping.build import ContactAggregates, load_contact_aggregates, load_graph
from mapping.dashboard import MonthReach, month_starts, reach_over_time_from_counts
from mapping.links import ActorLinks
from mapping.outreach import Broker, Recommendation, actions_by_group, plan
from mapping.reach import GroupReach, group_reach, unreached_poverty_organisations
from mapping.settings import ReachSettings

CACHE_SIZE = 4


@dataclass(frozen=True)
class Analysis:
    """Statuses, group figures with flags, ranked recommendations and brokers; for the
    dashboard, reach per Brussels calendar month (the last 24, oldest first) and the contacts
    per kind and channel in the reach window (mapping.dashboard)."""

    data_version: int
    computed_at: datetime
    settings: ReachSettings
    graph: nx.Graph
    groups: list[GroupReach]
    poverty_flagged: list[int]
    recommendations: list[Recommendation]
    brokers: list[Broker]
    links: ActorLinks = field(repr=False)
    _by_actor: dict[int, Recommendation] = field(default_factory=dict, repr=False)
    reach_over_time: list[MonthReach] = field(default_factory=list)
    channel_mix: dict[str, dict[str, int]] = field(default_factory=dict)

    def status_of(self, actor_id: int) -> str | None:
        """The actor's reach status, None for an archived or unknown actor."""
        node = self.graph.nodes.get(actor_id)
        return node["status"] if node else None

    @cached_property
    def actions_by_group(self) -> dict[str, list[Recommendation]]:
        """Each flagged group's actions, best first: indexed once per analysis, so that the
        outreach plan does not walk every recommendation on every request."""
        return actions_by_group(self.recommendations)

    def recommendation_for(self, actor_id: int) -> Recommendation | None:
        """The actor's recommended next action, None when nothing is recommended."""
        return self._by_actor.get(actor_id)

    def actor(self, actor_id: int) -> dict:
        """The node attributes of an actor (name, kind, district, ...)."""
        return self.graph.nodes[actor_id]


def analyse_graph(
    G: nx.Graph,
    *,
    settings: ReachSettings,
    now: datetime,
    data_version: int = 0,
    contacts: ContactAggregates | None = None,
) -> Analysis:
    """The full analysis of a graph (pure: no database). `contacts`: the dashboard's contact
    aggregates (`mapping.build.load_contact_aggregates`); without them every month is zero
    and the channel mix empty."""
    if contacts is None:
        contacts = ContactAggregates(
            reach_over_time=reach_over_time_from_counts((), starts=month_starts(now)),
            channel_mix={},
        )
    groups = group_reach(G, settings=settings)
    links = ActorLinks(G)
    recommendations, found_brokers = plan(G, groups, settings=settings, now=now, links=links)
    return Analysis(
        data_version=data_version,
        computed_at=now,
        settings=settings,
        graph=G,
        groups=groups,
        poverty_flagged=unreached_poverty_organisations(G),
        recommendations=recommendations,
        brokers=found_brokers,
        links=links,
        _by_actor={r.actor_id: r for r in recommendations},
        reach_over_time=list(contacts.reach_over_time),
        channel_mix=contacts.channel_mix,
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


def analyse(
    session: Session,
    *,
    settings: ReachSettings,
    now: datetime | None = None,
    with_contacts: bool = False,
) -> Analysis:
    """The analysis of the database behind `session`, from the cache when nothing changed.

    The key is the database, the data version, the settings and the day (the reach window moves
    with the date); each process keeps its last few results. `with_contacts` adds the
    dashboard's contact aggregates (reach per month, channel mix): two more passes over the
    contacts that the outreach plan, the CLI and the API do not need, so they are loaded only
    for the dashboard, once per data version.
    """
    now = now or utcnow()
    version = current_data_version(session)
    key = (str(session.get_bind().url), version, settings, now.date())
    # A transaction that wrote and has not committed sees a data version nobody else may ever
    # see with that data (it can still roll back, and another write take the number): its
    # analysis is computed for it alone, neither read from nor put in the cache.
    shared = not session.info.get(_UNCOMMITTED_WRITES)
    full_key = (*key, "contacts") if with_contacts else key
    cached = _cached(full_key) if shared else None
    if cached is not None:
        return cached
    base = _cached(key) if shared else None
    if base is None:
        with gc_paused():
            base = analyse_graph(
                load_graph(session, settings=settings, now=now),
                settings=settings,
                now=now,
                data_version=version,
            )
        if shared:
            _remember(key, base)
    if not with_contacts:
        return base
    contacts = load_contact_aggregates(session, settings=settings, now=now)
    result = replace(
        base, reach_over_time=list(contacts.reach_over_time), channel_mix=contacts.channel_mix
    )
    if shared:
        _remember(full_key, result)
    return result


def _cached(key) -> Analysis | None:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    return None


def _remember(key, result: Analysis) -> None:
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def clear_cache() -> None:
    """Forget every cached result."""
    with _lock:
        _cache.clear()
