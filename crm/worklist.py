"""The outreach work list: how to reach the actors the analysis recommends, and who claimed them."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Actor, ActorClaim, User
from crm.validation import as_id

IN_CHUNK = 500  # ids per IN (...) list: SQLite caps the parameters of one statement


@dataclass(frozen=True)
class ContactCard:
    """What a caller needs next to a recommendation: phone, address and the current claim."""

    actor_id: int
    phone: str | None
    address: str | None
    postcode: str | None
    claimed_by_id: int | None
    claimed_by: str | None


def contact_cards(session: Session, actor_ids: Iterable[int]) -> dict[int, ContactCard]:
    """The contact cards of these actors, by id: one query per 500 ids, never one per actor."""
    ids = sorted({ident for ident in map(as_id, actor_ids) if ident is not None})
    cards: dict[int, ContactCard] = {}
    for start in range(0, len(ids), IN_CHUNK):
        query = (
            select(
                Actor.id,
                Actor.phone,
                Actor.address,
                Actor.postcode,
                ActorClaim.user_id,
                User.name,
            )
            .outerjoin(ActorClaim, ActorClaim.actor_id == Actor.id)
            .outerjoin(User, User.id == ActorClaim.user_id)
            .where(Actor.id.in_(ids[start : start + IN_CHUNK]))
        )
        for row in session.execute(query):
            cards[row[0]] = ContactCard(*row)
    return cards
