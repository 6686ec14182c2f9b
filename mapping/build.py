"""From crm rows to the stakeholder graph (networkx): actors, relations and the city node.

Nodes are actor ids with the attributes the analysis reads; the node `CITY` is linked to every
actor reached directly, with a weight that decays with the age of the last direct contact.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

import networkx as nx
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm.models import Actor, ContactLog, District, Relation, Theme, actor_themes
from crm.reach import reach_status, window_start
from crm.vocabulary import FAILED_OUTCOMES, Channel, ReachStatus
from mapping.settings import ReachSettings

CITY = "city"
MIN_CITY_WEIGHT = 0.05  # a contact at the edge of the window still links the city a little

ACTOR_COLUMNS = (
    Actor.id,
    Actor.name,
    Actor.kind,
    District.name.label("district"),
    Actor.phone,
    Actor.address,
    Actor.do_not_phone,
    Actor.do_not_visit,
    Actor.preferred_channel,
    Actor.influence,
    Actor.interest,
    Actor.last_direct_reached_at,
    Actor.last_reached_at,
    Actor.last_attempt_at,
)


def load_graph(session: Session, *, settings: ReachSettings, now: datetime) -> nx.Graph:
    """The stakeholder graph of every actor not archived: four queries, one of them aggregating
    the contacts (failed calls in the window), never one query per actor."""
    since = window_start(now, settings.window_days)
    return graph_from_rows(
        _actor_rows(session),
        _relation_rows(session, today=now.date()),
        themes=_themes_by_actor(session),
        failed_calls=_failed_calls(session, since=since),
        settings=settings,
        now=now,
    )


def graph_from_rows(
    actors: Iterable[Mapping],
    relations: Iterable[tuple[int, int, int]],
    *,
    themes: Mapping[int, tuple[str, ...]] | None = None,
    failed_calls: Mapping[int, int] | None = None,
    settings: ReachSettings,
    now: datetime,
) -> nx.Graph:
    """Build the graph from plain rows (as `load_graph` reads them, or literal ones in tests).

    `actors`: mappings with the keys of ACTOR_COLUMNS; `relations`: (source, target, strength);
    parallel relations between two actors keep the strongest.
    """
    themes = themes or {}
    failed_calls = failed_calls or {}
    since = window_start(now, settings.window_days)
    G = nx.Graph()
    G.add_node(CITY, kind="city")
    for row in actors:
        actor_id = row["id"]
        status = reach_status(
            last_direct_reached_at=row.get("last_direct_reached_at"),
            last_reached_at=row.get("last_reached_at"),
            last_attempt_at=row.get("last_attempt_at"),
            since=since,
        )
        G.add_node(
            actor_id,
            name=row["name"],
            kind=row["kind"],
            district=row.get("district"),
            themes=tuple(themes.get(actor_id, ())),
            status=str(status),
            influence=row.get("influence") or 3,
            interest=row.get("interest") or 3,
            has_phone=bool(row.get("phone")),
            do_not_phone=bool(row.get("do_not_phone")),
            do_not_visit=bool(row.get("do_not_visit")),
            has_address=bool((row.get("address") or "").strip()),
            preferred_channel=row.get("preferred_channel"),
            failed_calls=int(failed_calls.get(actor_id, 0)),
            last_direct_at=row.get("last_direct_reached_at"),
        )
        if status == ReachStatus.DIRECT:
            G.add_edge(
                CITY, actor_id, weight=city_weight(row["last_direct_reached_at"], now, settings)
            )
    for source, target, strength in relations:
        if source == target or source not in G or target not in G:
            continue
        if G.has_edge(source, target):
            strength = max(strength, G[source][target]["weight"])
        G.add_edge(source, target, weight=strength)
    return G


def city_weight(last_direct_at: datetime, now: datetime, settings: ReachSettings) -> float:
    """1.0 for a direct contact today, falling linearly to MIN_CITY_WEIGHT at the window's end."""
    age_days = max(0.0, (now - last_direct_at).total_seconds() / 86400)
    return round(max(MIN_CITY_WEIGHT, 1.0 - age_days / settings.window_days), 4)


def _actor_rows(session: Session) -> list[dict]:
    query = (
        select(*ACTOR_COLUMNS)
        .outerjoin(District, District.id == Actor.district_id)
        .where(Actor.archived.is_(False))
    )
    return [dict(row._mapping) for row in session.execute(query)]


def _themes_by_actor(session: Session) -> dict[int, tuple[str, ...]]:
    query = (
        select(actor_themes.c.actor_id, Theme.name)
        .join(Theme, Theme.id == actor_themes.c.theme_id)
        .order_by(actor_themes.c.actor_id, Theme.name)
    )
    grouped: dict[int, list[str]] = defaultdict(list)
    for actor_id, name in session.execute(query):
        grouped[actor_id].append(name)
    return {actor_id: tuple(names) for actor_id, names in grouped.items()}


def _relation_rows(session: Session, *, today) -> list[tuple[int, int, int]]:
    # Ended relations (someone left the organisation) no longer carry an introduction.
    query = select(Relation.source_id, Relation.target_id, Relation.strength).where(
        or_(Relation.ends_on.is_(None), Relation.ends_on >= today)
    )
    return [tuple(row) for row in session.execute(query)]


def _failed_calls(session: Session, *, since: datetime) -> dict[int, int]:
    """Failed phone calls per actor in the window: one aggregate over all contacts."""
    query = (
        select(ContactLog.actor_id, func.count())
        .where(
            ContactLog.channel == Channel.PHONE,
            ContactLog.outcome.in_([str(o) for o in FAILED_OUTCOMES]),
            ContactLog.occurred_at >= since,
        )
        .group_by(ContactLog.actor_id)
    )
    return dict(session.execute(query).all())
