"""Use cases on relations between actors: add, remove, list."""

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm.actors import refuse_when_archived
from crm.clock import utcnow
from crm.messages import N_, Invalid
from crm.models import Actor, Relation
from crm.rows import get_row
from crm.validation import as_id, collect_errors, parse_choice, parse_date, parse_id, parse_int
from crm.vocabulary import SYMMETRIC_RELATION_TYPES, RelationType


def add_relation(
    session: Session,
    *,
    source_id,
    target_id,
    type,
    strength=1,
    starts_on=None,
    ends_on=None,
    now: datetime | None = None,
) -> Relation:
    """Link two different actors with a typed relation of strength 1-3 (no duplicates)."""
    source, target, kind, strength, starts_on, ends_on = collect_errors(
        lambda: _actor(session, source_id, field="source_id"),
        lambda: _actor(session, target_id, field="target_id"),
        lambda: parse_choice(type, RelationType, field="type"),
        lambda: parse_int(strength, field="strength", low=1, high=3, default=1),
        lambda: parse_date(starts_on, field="starts_on"),
        lambda: parse_date(ends_on, field="ends_on"),
    )
    if source.id == target.id:
        raise Invalid.on("target_id", N_("An actor cannot have a relation with itself."))
    collect_errors(
        lambda: refuse_when_archived(source, field="source_id"),
        lambda: refuse_when_archived(target, field="target_id"),
    )
    if starts_on and ends_on and ends_on < starts_on:
        raise Invalid.on("ends_on", N_("The end date lies before the start date."))
    if _existing(session, source.id, target.id, kind) is not None:
        raise Invalid.on(
            "target_id",
            N_("%(source)s and %(target)s already have this relation."),
            source=source.name,
            target=target.name,
        )
    relation = Relation(
        source_id=source.id,
        target_id=target.id,
        type=kind,
        strength=strength,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now or utcnow(),
    )
    session.add(relation)
    session.flush()
    return relation


def remove_relation(session: Session, relation_id: int) -> None:
    """Delete one relation; `Invalid` when either actor is archived (read-only until restored)."""
    relation = get_row(session, Relation, relation_id, what="relation")
    collect_errors(
        lambda: refuse_when_archived(relation.source, field="source_id"),
        lambda: refuse_when_archived(relation.target, field="target_id"),
    )
    session.delete(relation)
    session.flush()


def relations_of(session: Session, actor_id: int) -> list[Relation]:
    """Every relation in which the actor takes part, either side."""
    actor_id = as_id(actor_id)
    query = (
        select(Relation)
        .where(or_(Relation.source_id == actor_id, Relation.target_id == actor_id))
        .order_by(Relation.type, Relation.id)
    )
    return list(session.scalars(query))


def _actor(session: Session, raw_id, *, field: str) -> Actor:
    actor_id = parse_id(raw_id, field=field)
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise Invalid.on(field, N_("There is no actor with id %(value)s."), value=str(actor_id))
    return actor


def _existing(session: Session, source_id: int, target_id: int, kind: str) -> Relation | None:
    pairs = [(source_id, target_id)]
    if kind in SYMMETRIC_RELATION_TYPES:
        pairs.append((target_id, source_id))
    conditions = [(Relation.source_id == s) & (Relation.target_id == t) for s, t in pairs]
    return session.scalar(select(Relation).where(Relation.type == kind, or_(*conditions)))
