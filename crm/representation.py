"""Who came, against the stakeholder map: per kind and per district, how many known actors
there are, how many were invited, confirmed and attended ("0 of 6 poverty organisations came")."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.events import get_event
from crm.messages import Message, Np_
from crm.models import Actor, District, Event, Invitation
from crm.vocabulary import KIND_PLURAL_LABELS, InvitationStatus, Kind

NO_DISTRICT = "—"
INVITED = (
    InvitationStatus.INVITED,
    InvitationStatus.CONFIRMED,
    InvitationStatus.DECLINED,
    InvitationStatus.ATTENDED,
    InvitationStatus.NO_SHOW,
)


@dataclass(frozen=True)
class RepresentationRow:
    """One group (a kind or a district) at one event."""

    dimension: str  # "kind" or "district"
    key: str
    known: int  # actors of the group in the stakeholder map (not archived)
    listed: int  # on the invitation list, whatever the status
    invited: int  # invited (and any later status)
    confirmed: int
    attended: int
    sentence: Message

    @property
    def share_attended(self) -> float:
        return round(self.attended / self.known, 4) if self.known else 0.0


@dataclass(frozen=True)
class Representation:
    """The representation report of one event."""

    event: Event
    by_kind: list[RepresentationRow]
    by_district: list[RepresentationRow]

    @property
    def attended(self) -> int:
        return sum(row.attended for row in self.by_kind)


def representation(session: Session, event_id) -> Representation:
    """Per kind and per district: known actors, listed, invited, confirmed and attended."""
    event = get_event(session, event_id)
    district = func.coalesce(District.name, NO_DISTRICT)
    known_query = (
        select(Actor.kind, district, func.count())
        .outerjoin(District, Actor.district_id == District.id)
        .where(Actor.archived.is_(False))
        .group_by(Actor.kind, district)
    )
    known = {(kind, place): n for kind, place, n in session.execute(known_query)}
    listed_query = (
        select(Actor.kind, district, Invitation.status, func.count())
        .join(Invitation, Invitation.actor_id == Actor.id)
        .outerjoin(District, Actor.district_id == District.id)
        .where(Invitation.event_id == event.id, Actor.archived.is_(False))
        .group_by(Actor.kind, district, Invitation.status)
    )
    listed = {(kind, place, status): n for kind, place, status, n in session.execute(listed_query)}
    return Representation(
        event=event,
        by_kind=_rows("kind", 0, known, listed),
        by_district=_rows("district", 1, known, listed),
    )


def _rows(dimension: str, index: int, known: dict, listed: dict) -> list[RepresentationRow]:
    totals: Counter = Counter()
    for cell, n in known.items():
        totals[(cell[index], "known")] += n
    for (kind, place, status), n in listed.items():
        key = (kind, place)[index]
        totals[(key, "listed")] += n
        totals[(key, "invited")] += n if status in INVITED else 0
        totals[(key, "confirmed")] += n if status == InvitationStatus.CONFIRMED else 0
        totals[(key, "attended")] += n if status == InvitationStatus.ATTENDED else 0
    keys = {key for key, _ in totals}
    if dimension == "kind":
        order = [str(k) for k in Kind]
        ordered = sorted(keys, key=lambda k: (order.index(k) if k in order else len(order), k))
    else:
        ordered = sorted(keys, key=lambda k: (k == NO_DISTRICT, k))
    return [
        RepresentationRow(
            dimension=dimension,
            key=key,
            known=totals[(key, "known")],
            listed=totals[(key, "listed")],
            invited=totals[(key, "invited")],
            confirmed=totals[(key, "confirmed")],
            attended=totals[(key, "attended")],
            sentence=Message(
                Np_("%(group)s: %(num)d of %(known)d came", "%(group)s: %(num)d of %(known)d came"),
                group=_group_name(dimension, key),
                num=totals[(key, "attended")],
                known=totals[(key, "known")],
            ),
        )
        for key in ordered
    ]


def _group_name(dimension: str, key: str):
    if dimension == "kind":
        return Message(KIND_PLURAL_LABELS.get(key, key))
    return key
