"""The invitation list builder: a balanced list within an event's capacity.

The coordinator chooses who may be on it (criteria: kind, district, theme, power/interest
quadrant, reach status) and a target mix per kind (at least / at most). The builder fills each
kind's minimum first, then the free places one kind at a time (the kind with the fewest on the
list first; poverty organisations first on a tie), actors not reached directly first. Each
invitee gets the channel of the invite rules (crm.channels); who cannot be reached by any
allowed channel is left out and counted per reason.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, exists, insert, or_, select
from sqlalchemy.orm import Session

from crm.channels import invite_channel
from crm.clock import utcnow
from crm.events import get_event
from crm.invitations import changing_the_list
from crm.messages import N_, Invalid, Message
from crm.models import Actor, District, Invitation, Theme, actor_themes
from crm.power_interest import quadrant_condition
from crm.reach import reach_status, window_start
from crm.validation import echo, parse_choice, parse_int, storable
from crm.vocabulary import (
    KIND_PLURAL_LABELS,
    InvitationStatus,
    Kind,
    Quadrant,
    ReachStatus,
)

# The kinds a participation trajectory needs in the room: a list without one of them gets a
# warning (docs/rules-of-reach.md#invitation-lists-and-keeping-warm).
NEEDED_KINDS = (
    Kind.RESIDENT,
    Kind.BUSINESS,
    Kind.KNOWLEDGE_INSTITUTION,
    Kind.CIVIC_ASSOCIATION,
    Kind.POVERTY_ORGANISATION,
)
MAX_TARGET = 10_000


@dataclass(frozen=True)
class Criteria:
    """Which actors the builder picks from; an empty tuple is no filter."""

    kinds: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    quadrants: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: Mapping) -> "Criteria":
        """Criteria from form or JSON values (a value or a list per key); `Invalid` on unknown
        kinds, quadrants or statuses. Districts and themes are names."""

        def values(name: str) -> tuple[str, ...]:
            value = raw.get(name)
            if value is None or value == "":
                return ()
            items = value if isinstance(value, list | tuple) else [value]
            return tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))

        checks = {
            "kind": (values("kind"), [str(k) for k in Kind]),
            "quadrant": (values("quadrant"), [str(q) for q in Quadrant]),
            "status": (values("status"), [str(s) for s in ReachStatus]),
        }
        errors = {}
        for name, (given, allowed) in checks.items():
            for value in given:
                try:
                    parse_choice(value, allowed, field=name)
                except Invalid as error:
                    errors.update(error.errors)
        if errors:
            raise Invalid(errors)
        return cls(
            kinds=checks["kind"][0],
            districts=values("district"),
            themes=values("theme"),
            quadrants=checks["quadrant"][0],
            statuses=checks["status"][0],
        )

    def as_dict(self) -> dict[str, list[str]]:
        """The criteria set, for a saved filter or an export log."""
        names = {
            "kind": self.kinds,
            "district": self.districts,
            "theme": self.themes,
            "quadrant": self.quadrants,
            "status": self.statuses,
        }
        return {name: list(values) for name, values in names.items() if values}


@dataclass(frozen=True)
class Target:
    """At least `min` and at most `max` (None: no limit) actors of one kind on the list."""

    min: int = 0
    max: int | None = None


def parse_targets(raw: Mapping | None) -> dict[str, Target]:
    """Targets per kind from `{"<kind>": {"min": n, "max": n}}`; `Invalid` on unknown kinds,
    numbers out of range or a minimum above the maximum."""
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, Mapping):
        raise Invalid.on("targets", N_("Give the targets per kind, with a minimum and maximum."))
    targets, errors = {}, {}
    for kind, limits in raw.items():
        field_name = f"targets.{kind}"
        try:
            parse_choice(kind, Kind, field=field_name)
            if not isinstance(limits, Mapping):
                raise Invalid.on(field_name, N_("Give a minimum and a maximum."))
            low = parse_int(limits.get("min"), field=field_name, low=0, high=MAX_TARGET, default=0)
            high_raw = limits.get("max")
            high = (
                None
                if high_raw is None or high_raw == ""
                else parse_int(high_raw, field=field_name, low=0, high=MAX_TARGET)
            )
            if high is not None and low > high:
                raise Invalid.on(
                    field_name,
                    N_("The minimum (%(min)d) is above the maximum (%(max)d)."),
                    min=low,
                    max=high,
                )
        except Invalid as error:
            errors.update(error.errors)
            continue
        if low or high is not None:
            targets[str(kind)] = Target(low, high)
    if errors:
        raise Invalid(errors)
    return targets


class Candidate(NamedTuple):
    """An actor the builder may put on the list, with the channel to invite them by (a tuple:
    the builder makes one per matching actor, 100 000 at design scale)."""

    actor_id: int
    name: str
    search_name: str
    kind: str
    district: str | None
    status: str
    influence: int
    interest: int
    channel: str


@dataclass(frozen=True)
class MixRow:
    """One kind on the list: how many (already on it + proposed), the target, who was left."""

    kind: str
    count: int
    min: int
    max: int | None
    available: int  # candidates of this kind that matched and can be invited

    @property
    def below_min(self) -> bool:
        return self.count < self.min

    @property
    def above_max(self) -> bool:
        return self.max is not None and self.count > self.max


@dataclass
class Proposal:
    """A proposed balanced list: who to add, the mix against the targets, warnings, and the
    actors left out (by reason) because no allowed channel can reach them."""

    capacity: int
    already_listed: int
    invitees: list[Candidate]
    mix: list[MixRow]
    warnings: list[Message]
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.already_listed + len(self.invitees)


def propose_invitations(
    session: Session,
    event_id,
    *,
    criteria: Criteria,
    targets: Mapping[str, Target],
    window_days: int = 180,
    now: datetime | None = None,
) -> Proposal:
    """A balanced list within the event's capacity: first each kind's minimum, then the free
    places round-robin over the kinds up to their maximum. Within a kind, actors not reached
    directly come first, then higher influence + interest, then by name. Actors already on the
    list count towards the mix and the capacity and are not proposed again."""
    event = get_event(session, event_id)
    now = now or utcnow()
    _refuse_unknown_names(session, criteria)
    listed = Counter(
        session.scalars(
            select(Actor.kind)
            .join(Invitation, Invitation.actor_id == Actor.id)
            .where(Invitation.event_id == event.id)
        )
    )
    candidates, left_out = _candidates(session, event.id, criteria, window_days, now)
    by_kind: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in sorted(candidates, key=_rank):
        by_kind[candidate.kind].append(candidate)
    free = max(0, event.capacity - sum(listed.values()))
    chosen = _balanced(by_kind, listed, targets, free)
    counts = listed + Counter(c.kind for c in chosen)
    mix = _mix(counts, targets, by_kind)
    return Proposal(
        capacity=event.capacity,
        already_listed=sum(listed.values()),
        invitees=chosen,
        mix=mix,
        warnings=_warnings(mix, targets, event.capacity),
        left_out=dict(left_out),
    )


def _refuse_unknown_names(session: Session, criteria: Criteria) -> None:
    """`Invalid` for a district or theme nobody defined: a typo must not give an empty list."""
    errors = {}
    for field_name, model, names in (
        ("district", District, criteria.districts),
        ("theme", Theme, criteria.themes),
    ):
        askable = [n for n in names if storable(n)]
        known = set(session.scalars(select(model.name).where(model.name.in_(askable))))
        unknown = [n for n in names if n not in known]
        if unknown:
            errors[field_name] = [
                Message(N_("Unknown name(s): %(names)s."), names=", ".join(map(echo, unknown)))
            ]
    if errors:
        raise Invalid(errors)


def _rank(candidate: Candidate):
    return (
        candidate.status == ReachStatus.DIRECT,
        -(candidate.influence + candidate.interest),
        candidate.search_name,
        candidate.actor_id,
    )


def _balanced(by_kind, listed: Counter, targets, free: int) -> list[Candidate]:
    queues = {kind: list(reversed(members)) for kind, members in by_kind.items()}
    counts = Counter(listed)
    chosen: list[Candidate] = []

    def open_to_more(kind: str) -> bool:
        limit = targets.get(kind, Target()).max
        return bool(queues.get(kind)) and (limit is None or counts[kind] < limit)

    def take(kind: str) -> None:
        chosen.append(queues[kind].pop())
        counts[kind] += 1

    # Minimums first, the kinds in the vocabulary's order.
    for kind in sorted(targets, key=_kind_order):
        while len(chosen) < free and counts[kind] < targets[kind].min and open_to_more(kind):
            take(kind)
    # Then one at a time per kind, the kind with the fewest on the list first: a balanced room;
    # on a tie poverty organisations go first (the hardest to get into the room:
    # docs/rules-of-reach.md#why-direct-reach), then the vocabulary's order.
    tie_order = {k: (k != Kind.POVERTY_ORGANISATION, _kind_order(k)) for k in queues}
    while len(chosen) < free:
        kinds = [k for k in queues if open_to_more(k)]
        if not kinds:
            break
        take(min(kinds, key=lambda k: (counts[k], tie_order[k])))
    return chosen


_KIND_ORDER = {str(kind): position for position, kind in enumerate(Kind)}


def _kind_order(kind: str) -> int:
    return _KIND_ORDER.get(kind, len(_KIND_ORDER))


def _mix(counts: Counter, targets, by_kind) -> list[MixRow]:
    kinds = sorted(set(counts) | set(targets) | set(by_kind) | set(NEEDED_KINDS), key=_kind_order)
    return [
        MixRow(
            kind=kind,
            count=counts.get(kind, 0),
            min=targets.get(kind, Target()).min,
            max=targets.get(kind, Target()).max,
            available=len(by_kind.get(kind, ())),
        )
        for kind in kinds
    ]


def _warnings(mix: list[MixRow], targets, capacity: int) -> list[Message]:
    warnings = []
    needed = sum(t.min for t in targets.values())
    if needed > capacity:
        warnings.append(
            Message(
                N_("The minimums add up to %(needed)d places, but the event has %(capacity)d."),
                needed=needed,
                capacity=capacity,
            )
        )
    for row in mix:
        group = Message(KIND_PLURAL_LABELS.get(row.kind, row.kind))
        if row.count == 0 and (row.kind in NEEDED_KINDS or row.min > 0):
            warnings.append(
                Message(
                    N_("%(group)s: nobody on the list, and the trajectory needs them."),
                    group=group,
                )
            )
        elif row.below_min:
            warnings.append(
                Message(
                    N_("%(group)s: %(count)d on the list, the target is at least %(min)d."),
                    group=group,
                    count=row.count,
                    min=row.min,
                )
            )
        if row.above_max:
            warnings.append(
                Message(
                    N_("%(group)s: %(count)d on the list, the target is at most %(max)d."),
                    group=group,
                    count=row.count,
                    max=row.max,
                )
            )
    return warnings


CANDIDATE_COLUMNS = (
    Actor.id,
    Actor.name,
    Actor.search_name,
    Actor.kind,
    Actor.phone,
    Actor.email,
    Actor.address,
    Actor.preferred_channel,
    Actor.do_not_phone,
    Actor.do_not_email,
    Actor.do_not_visit,
    Actor.influence,
    Actor.interest,
    Actor.last_direct_reached_at,
    Actor.last_reached_at,
    Actor.last_attempt_at,
)


def _candidates(session: Session, event_id: int, criteria: Criteria, window_days: int, now):
    """The actors matching the criteria and not on the list yet, each with its invite channel;
    and the count of matching actors left out per reason."""
    # Plain rows, not ORM objects (with their themes): 100 000 actors load in a fraction of
    # the time (bench/invitations.py). The rules read the same attribute names off a row.
    query = (
        select(*CANDIDATE_COLUMNS, District.name.label("district_name"))
        .outerjoin(District, Actor.district_id == District.id)
        .where(Actor.archived.is_(False))
        .where(
            ~exists().where(and_(Invitation.event_id == event_id, Invitation.actor_id == Actor.id))
        )
    )
    if criteria.kinds:
        query = query.where(Actor.kind.in_(criteria.kinds))
    if criteria.districts:
        query = query.where(District.name.in_([d for d in criteria.districts if storable(d)]))
    if criteria.themes:
        query = query.where(
            exists()
            .where(actor_themes.c.actor_id == Actor.id)
            .where(actor_themes.c.theme_id == Theme.id)
            .where(Theme.name.in_([t for t in criteria.themes if storable(t)]))
        )
    if criteria.quadrants:
        query = query.where(or_(*(quadrant_condition(q) for q in criteria.quadrants)))
    since = window_start(now, window_days)
    candidates, left_out = [], Counter()
    # Core, not the ORM session: plain rows, and SQLAlchemy's ORM row handling is skipped.
    for actor in session.connection().execute(query.execution_options(yield_per=1000)):
        status = str(
            reach_status(
                last_direct_reached_at=actor.last_direct_reached_at,
                last_reached_at=actor.last_reached_at,
                last_attempt_at=actor.last_attempt_at,
                since=since,
            )
        )
        if criteria.statuses and status not in criteria.statuses:
            continue
        choice = invite_channel(actor)
        if choice.channel is None:
            left_out[choice.left_out] += 1
            continue
        candidates.append(
            Candidate(
                actor_id=actor.id,
                name=actor.name,
                search_name=actor.search_name,
                kind=actor.kind,
                district=actor.district_name,
                status=status,
                influence=actor.influence,
                interest=actor.interest,
                channel=choice.channel,
            )
        )
    return candidates, left_out


def build_invitations(
    session: Session,
    event_id,
    *,
    criteria: Criteria,
    targets: Mapping[str, Target],
    window_days: int = 180,
    user_id: int | None = None,
    now: datetime | None = None,
) -> tuple[Proposal, list]:
    """Propose a balanced list and put it on the event's list at once; the new invitations as
    rows (id, event_id, actor_id, channel, channel_overridden, status)."""
    proposal = propose_invitations(
        session, event_id, criteria=criteria, targets=targets, window_days=window_days, now=now
    )
    if not proposal.invitees:
        return proposal, []
    now = now or utcnow()
    event = get_event(session, event_id)
    # One bulk INSERT: the channels were just chosen by the rules in this transaction, and a
    # list of 10 000 ORM objects costs seconds (bench/invitations.py).
    rows = [
        {
            "event_id": event.id,
            "actor_id": c.actor_id,
            "channel": c.channel,
            "channel_overridden": False,
            "status": InvitationStatus.TO_INVITE,
            "created_at": now,
            "updated_at": now,
            "updated_by_id": user_id,
        }
        for c in proposal.invitees
    ]
    with changing_the_list(session):
        session.execute(insert(Invitation), rows)
    return proposal, _invitations_of(session, event.id, [c.actor_id for c in proposal.invitees])


def _invitations_of(session: Session, event_id: int, actor_ids: list[int]) -> list:
    """The event's invitations of these actors, in their order, as rows with the invitation's
    columns (one query for the whole list: no ORM object per invitee)."""
    wanted = set(actor_ids)
    rows = session.execute(
        select(
            Invitation.id,
            Invitation.event_id,
            Invitation.actor_id,
            Invitation.channel,
            Invitation.channel_overridden,
            Invitation.status,
        ).where(Invitation.event_id == event_id)
    )
    found = {row.actor_id: row for row in rows if row.actor_id in wanted}
    return [found[a] for a in actor_ids if a in found]
