"""Claims: a staff member takes an actor to call or visit, so that two do not call the same one."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from crm.actors import refuse_when_archived
from crm.clock import utcnow
from crm.messages import N_, Invalid, NotFound
from crm.models import Actor, ActorClaim
from crm.validation import as_id


def claim_actor(
    session: Session, actor_id: int, *, user_id: int, now: datetime | None = None
) -> ActorClaim:
    """Claim the actor for the user; claiming one's own claim again changes nothing.

    Raises `Invalid` naming the colleague when someone else claimed the actor first.
    """
    actor = _lock_actor(session, actor_id)
    refuse_when_archived(actor)
    claim = claim_of_actor(session, actor.id)
    if claim is not None:
        if claim.user_id == user_id:
            return claim
        raise Invalid.on(
            "actor",
            N_("%(name)s is already claimed by %(colleague)s."),
            name=actor.name,
            colleague=claim.user.name,
        )
    claim = ActorClaim(actor_id=actor.id, user_id=user_id, claimed_at=now or utcnow())
    session.add(claim)
    session.flush()
    return claim


def release_claim(
    session: Session, actor_id: int, *, user_id: int, on_behalf: bool = False
) -> None:
    """Give a claimed actor back; `on_behalf` lets a coordinator release a colleague's claim.

    Releasing an actor nobody claimed changes nothing.
    """
    actor = _lock_actor(session, actor_id)
    claim = claim_of_actor(session, actor.id)
    if claim is None:
        return
    if claim.user_id != user_id and not on_behalf:
        raise Invalid.on(
            "actor",
            N_("%(name)s is claimed by %(colleague)s: only they can give it back."),
            name=actor.name,
            colleague=claim.user.name,
        )
    session.delete(claim)
    session.flush()


def claim_of_actor(session: Session, actor_id: int) -> ActorClaim | None:
    """The actor's claim (with the claiming user), or None."""
    ident = as_id(actor_id)
    if ident is None:
        return None
    return session.scalar(
        select(ActorClaim).options(joinedload(ActorClaim.user)).where(ActorClaim.actor_id == ident)
    )


def claims_of_user(session: Session, user_id: int, *, limit: int = 200) -> list[ActorClaim]:
    """The user's claims on actors not archived (with the actor), oldest first."""
    ident = as_id(user_id)
    if ident is None:
        return []
    query = (
        select(ActorClaim)
        .join(Actor, Actor.id == ActorClaim.actor_id)
        .options(joinedload(ActorClaim.actor))
        .where(ActorClaim.user_id == ident, Actor.archived.is_(False))
        .order_by(ActorClaim.claimed_at, ActorClaim.actor_id)
        .limit(limit)
    )
    return list(session.scalars(query))


def actors_claimed_by_colleagues(session: Session, user_id: int) -> set[int]:
    """The actors a colleague of this user has claimed: their work, not the user's today."""
    ident = as_id(user_id)
    query = select(ActorClaim.actor_id)
    if ident is not None:
        query = query.where(ActorClaim.user_id != ident)
    return set(session.scalars(query))


def _lock_actor(session: Session, actor_id):
    """The actor's id, name and archived flag, holding its row until commit."""
    # FOR UPDATE serialises two claims of one actor on PostgreSQL (the second then sees the
    # first one's claim); SQLite's BEGIN IMMEDIATE already does. The primary key is the last
    # guard. Columns, not the entity: its joined district would make PostgreSQL refuse FOR
    # UPDATE on the nullable side of an outer join.
    ident = as_id(actor_id)
    query = select(Actor.id, Actor.name, Actor.archived).where(Actor.id == ident)
    row = session.execute(query.with_for_update()).first() if ident is not None else None
    if row is None:
        raise NotFound("actor", actor_id)
    return row
