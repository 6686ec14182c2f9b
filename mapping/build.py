"""From crm rows to the stakeholder graph (networkx): actors, relations and the city node.

Nodes are actor ids with the attributes the analysis reads; the node `CITY` is linked to every
actor reached directly, with a weight that decays with the age of the last direct contact.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import networkx as nx
from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import Session

from crm.channels import (
    ACTOR_FIELDS,
    ContactDetails,
    contact_details_columns,
    may_call,
    may_visit,
)
from crm.db import gc_paused
from crm.models import Actor, ContactLog, District, Relation, Theme, actor_themes
from crm.reach import reach_status, window_start
from crm.vocabulary import DIRECT_CHANNELS, FAILED_OUTCOMES, Channel, Outcome, ReachStatus
from mapping.dashboard import (
    MONTHS,
    MonthReach,
    channel_mix_from_counts,
    month_starts,
    reach_over_time_from_counts,
)
from mapping.settings import ReachSettings

CITY = "city"
MIN_CITY_WEIGHT = 0.05  # a contact at the edge of the window still links the city a little

ACTOR_COLUMNS = (
    Actor.id,
    Actor.name,
    Actor.kind,
    District.name.label("district"),
    *contact_details_columns(),  # has_phone, has_email, has_address and the do-not flags
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
    with gc_paused():
        return _graph(
            session.execute(_actor_query()).all(),  # rows in the order of ACTOR_COLUMNS
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

    `actors`: mappings with `id`, `name` and `kind`, and any of `district`, `phone`, `email`,
    `address`, the do-not flags, `preferred_channel`, `influence`, `interest` and the contact
    dates of an `Actor`; `relations`: (source, target, strength); parallel relations between
    two actors keep the strongest.
    """
    rows = (_actor_tuple(row) for row in actors)
    return _graph(
        rows,
        relations,
        themes=themes or {},
        failed_calls=failed_calls or {},
        settings=settings,
        now=now,
    )


def _actor_tuple(row: Mapping) -> tuple:
    """A literal actor row as the tuple `load_graph` reads (contact details by their rule)."""
    details = ContactDetails.from_values(**{k: row[k] for k in ACTOR_FIELDS if k in row})
    values = {**row, **details._asdict()}
    required = ("id", "name", "kind")
    return tuple(values[key] if key in required else values.get(key) for key in _COLUMN_KEYS)


_COLUMN_KEYS = [column.key for column in ACTOR_COLUMNS]


def _graph(actors, relations, *, themes, failed_calls, settings, now) -> nx.Graph:
    """The graph of actor rows given as tuples in the order of ACTOR_COLUMNS."""
    since = window_start(now, settings.window_days)
    direct = str(ReachStatus.DIRECT)
    # Attribute dicts first, then one add_nodes_from / add_edges_from each: per-row add_node
    # and add_edge, and named access to the rows, cost more than the queries at 100 000 actors
    # (bench/reach_analysis.py).
    nodes, city_edges = [], []
    for (
        actor_id,
        name,
        kind,
        district,
        *details,
        preferred_channel,
        influence,
        interest,
        last_direct,
        last_reached,
        last_attempt,
    ) in actors:
        status = str(
            reach_status(
                last_direct_reached_at=last_direct,
                last_reached_at=last_reached,
                last_attempt_at=last_attempt,
                since=since,
            )
        )
        nodes.append(
            (
                actor_id,
                {
                    "name": name,
                    "kind": kind,
                    "district": district,
                    "themes": tuple(themes.get(actor_id, ())),
                    "status": status,
                    "influence": influence or 3,
                    "interest": interest or 3,
                    **_channels(ContactDetails._make(details)),
                    "preferred_channel": preferred_channel,
                    "failed_calls": int(failed_calls.get(actor_id, 0)),
                    "last_direct_at": last_direct,
                },
            )
        )
        if status == direct:
            city_edges.append((CITY, actor_id, {"weight": city_weight(last_direct, now, settings)}))
    G = nx.Graph()
    G.add_node(CITY, kind="city")
    G.add_nodes_from(nodes)
    G.add_edges_from(city_edges)
    actor_ids = set(G)
    actor_ids.discard(CITY)
    strongest: dict[tuple, int] = {}  # parallel relations between two actors: the strongest
    for source, target, strength in relations:
        if source == target or source not in actor_ids or target not in actor_ids:
            continue
        pair = (target, source) if (target, source) in strongest else (source, target)
        if strength > strongest.get(pair, 0):
            strongest[pair] = strength
    G.add_edges_from((s, t, {"weight": w}) for (s, t), w in strongest.items())
    return G


def _channels(details: ContactDetails) -> dict[str, bool]:
    """The channels of the outreach actions that can reach an actor (crm.channels)."""
    return {"can_call": may_call(details), "can_visit": may_visit(details)}


def city_weight(last_direct_at: datetime, now: datetime, settings: ReachSettings) -> float:
    """1.0 for a direct contact today, falling linearly to MIN_CITY_WEIGHT at the window's end."""
    age_days = max(0.0, (now - last_direct_at).total_seconds() / 86400)
    return round(max(MIN_CITY_WEIGHT, 1.0 - age_days / settings.window_days), 4)


def _actor_query():
    return (
        select(*ACTOR_COLUMNS)
        .outerjoin(District, District.id == Actor.district_id)
        .where(Actor.archived.is_(False))
    )


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


def _relation_rows(session: Session, *, today) -> Sequence[tuple[int, int, int]]:
    # Ended relations (someone left the organisation) no longer carry an introduction, nor do
    # relations that only start later (a new job next month).
    query = select(Relation.source_id, Relation.target_id, Relation.strength).where(
        or_(Relation.ends_on.is_(None), Relation.ends_on >= today),
        or_(Relation.starts_on.is_(None), Relation.starts_on <= today),
    )
    return session.execute(query).all()


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


# --- contact aggregates of the reach dashboard --------------------------------------------------


@dataclass(frozen=True)
class ContactAggregates:
    """What the dashboard needs from the contacts beyond the graph (mapping.dashboard)."""

    reach_over_time: list[MonthReach]
    channel_mix: dict[str, dict[str, int]]


def load_contact_aggregates(
    session: Session, *, settings: ReachSettings, now: datetime, months: int = MONTHS
) -> ContactAggregates:
    """Reach per Brussels month (last `months`) and the channel mix per kind in the reach
    window: one aggregate query each over all contacts of actors not archived."""
    starts = month_starts(now, months=months)
    return ContactAggregates(
        reach_over_time=reach_over_time_from_counts(
            session.execute(_reach_by_month_query(starts, now=now)).all(), starts=starts
        ),
        channel_mix=channel_mix_from_counts(
            session.execute(
                _channel_mix_query(since=window_start(now, settings.window_days), now=now)
            ).all()
        ),
    )


def _reach_by_month_query(starts, *, now: datetime):
    """(month index, distinct actors reached directly, distinct actors reached) per month.

    The month is a CASE over the UTC starts of the Brussels months (newest first): plain
    comparisons, the same on SQLite and PostgreSQL, and right across summer time.
    """
    contacts, actors = ContactLog.__table__.c, Actor.__table__.c
    month = case(
        *[
            (contacts.occurred_at >= start, i)
            for i, (_first, start) in reversed(list(enumerate(starts)))
        ],
        else_=None,
    ).label("month")
    is_direct = contacts.channel.in_([str(c) for c in DIRECT_CHANNELS])
    return (
        select(
            month,
            func.count(distinct(case((is_direct, contacts.actor_id), else_=None))),
            func.count(distinct(contacts.actor_id)),
        )
        .where(
            # Archived actors are few: leaving them out costs less than a join per contact.
            contacts.actor_id.not_in(select(actors.id).where(actors.archived.is_(True))),
            contacts.outcome == str(Outcome.REACHED),
            contacts.occurred_at >= starts[0][1],
            contacts.occurred_at <= now,
        )
        .group_by(month)
    )


def _channel_mix_query(*, since: datetime, now: datetime):
    """(kind, channel, contacts) in the reach window; planned contacts have not happened yet
    and do not count, every other outcome (failed tries too) does: it is effort spent."""
    contacts, actors = ContactLog.__table__.c, Actor.__table__.c
    return (
        select(actors.kind, contacts.channel, func.count())
        .select_from(ContactLog.__table__.join(Actor.__table__, actors.id == contacts.actor_id))
        .where(
            actors.archived.is_(False),
            contacts.outcome != str(Outcome.PLANNED),
            contacts.occurred_at >= since,
            contacts.occurred_at <= now,
        )
        .group_by(actors.kind, contacts.channel)
    )
