"""Invitation lists: the channel to invite each actor by, the balanced list builder, saving,
status changes and attendance (which counts as a direct contact for the reach analysis).

The channel rules (issue 5, DESIGN.md §3): poverty organisations are invited by phone or in
person, never by e-mail only; do-not-contact flags are respected; otherwise the actor's
preferred channel when it can be used, else e-mail, phone, letter, in that order.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import and_, exists, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from crm.actors import escape_like
from crm.clock import utcnow
from crm.contacts import delete_contact, log_contact
from crm.events import get_event
from crm.messages import N_, Invalid, Message, NotFound
from crm.models import Actor, District, Invitation, Theme, actor_themes
from crm.paging import Page, paginate
from crm.reach import reach_status, window_start
from crm.validation import (
    as_id,
    echo,
    parse_choice,
    parse_id,
    parse_int,
    search_key,
    storable,
)
from crm.vocabulary import (
    INVITE_CHANNELS,
    KIND_PLURAL_LABELS,
    Channel,
    InvitationStatus,
    Kind,
    Quadrant,
    ReachStatus,
)

# The kinds a participation trajectory needs in the room (DESIGN.md §1): a list without one of
# them gets a warning.
NEEDED_KINDS = (
    Kind.RESIDENT,
    Kind.BUSINESS,
    Kind.KNOWLEDGE_INSTITUTION,
    Kind.CIVIC_ASSOCIATION,
    Kind.POVERTY_ORGANISATION,
)
IN_PERSON = (Channel.PHONE, Channel.VISIT)  # how poverty organisations are invited
FALLBACK_ORDER = (Channel.EMAIL, Channel.PHONE, Channel.LETTER, Channel.SMS, Channel.VISIT)
QUADRANTS = tuple(str(q) for q in Quadrant)
HIGH = 3  # influence/interest above this are high (mapping.figures.quadrant agrees)
MAX_TARGET = 10_000

# Why an actor cannot be invited by a channel (or at all).
LEFT_OUT_REASONS = {
    "do_not_phone": N_("Do not phone"),
    "do_not_email": N_("Do not e-mail"),
    "do_not_visit": N_("Do not visit"),
    "no_phone": N_("No phone number"),
    "no_email": N_("No e-mail address"),
    "no_address": N_("No address"),
    "no_contact_details": N_("No usable contact details"),
    "in_person_impossible": N_("Poverty organisation that cannot be phoned or visited"),
    "archived": N_("Archived actor"),
    "walk_in": N_("Came without an invitation"),
}


# --- the channel to invite by ------------------------------------------------------------------


def blocked_reason(actor, channel: str) -> str | None:
    """Why `channel` cannot reach this actor (a key of LEFT_OUT_REASONS), None when it can.

    `actor` is an Actor or any row with phone, email, address, do_not_phone, do_not_email and
    do_not_visit (exports check their rows with it)."""
    if channel in (Channel.PHONE, Channel.SMS):
        if actor.do_not_phone:
            return "do_not_phone"
        return None if actor.phone else "no_phone"
    if channel == Channel.EMAIL:
        if actor.do_not_email:
            return "do_not_email"
        return None if actor.email else "no_email"
    if channel == Channel.VISIT:
        if actor.do_not_visit:
            return "do_not_visit"
        return None if (actor.address or "").strip() else "no_address"
    if channel == Channel.LETTER:
        return None if (actor.address or "").strip() else "no_address"
    if channel == Channel.EVENT:  # a walk-in, checked in at the door: nobody to invite
        return "walk_in"
    return "no_contact_details"


@dataclass(frozen=True)
class InviteChannel:
    """The channel to invite an actor by, or None with the reason (LEFT_OUT_REASONS key)."""

    channel: str | None
    left_out: str | None = None


def allowed_channels(actor) -> tuple[str, ...]:
    """The invite channels the rules allow for this kind of actor (before details and flags)."""
    if actor.kind == Kind.POVERTY_ORGANISATION:
        return IN_PERSON
    return INVITE_CHANNELS


def invite_channel(actor) -> InviteChannel:
    """The channel to invite `actor` by under the rules (module docstring)."""
    allowed = allowed_channels(actor)
    preferred = actor.preferred_channel
    if preferred in allowed and blocked_reason(actor, preferred) is None:
        return InviteChannel(preferred)
    order = IN_PERSON if actor.kind == Kind.POVERTY_ORGANISATION else FALLBACK_ORDER
    reasons = []
    for channel in order:
        reason = blocked_reason(actor, channel)
        if reason is None:
            return InviteChannel(channel)
        reasons.append(reason)
    if actor.kind == Kind.POVERTY_ORGANISATION:
        return InviteChannel(None, "in_person_impossible")
    flagged = [r for r in reasons if r.startswith("do_not_")]
    return InviteChannel(None, flagged[0] if flagged else "no_contact_details")


def check_channel(actor, channel) -> str:
    """`channel` when staff may invite `actor` by it (an override), else `Invalid`."""
    value = parse_choice(channel, INVITE_CHANNELS, field="channel")
    if value not in allowed_channels(actor):
        raise Invalid.on(
            "channel",
            N_("Poverty organisations are invited by phone or in person, never by e-mail only."),
        )
    reason = blocked_reason(actor, value)
    if reason is not None:
        raise Invalid.on(
            "channel",
            N_("%(name)s cannot be invited this way: %(reason)s."),
            name=actor.name,
            reason=Message(LEFT_OUT_REASONS[reason]),
        )
    return value


# --- the builder ---------------------------------------------------------------------------------


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
            "quadrant": (values("quadrant"), QUADRANTS),
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
    # on a tie poverty organisations go first (the hardest to get into the room, DESIGN.md §1),
    # then the vocabulary's order.
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
        query = query.where(or_(*(_quadrant_condition(q) for q in criteria.quadrants)))
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


def _quadrant_condition(name: str):
    high_influence, high_interest = Actor.influence > HIGH, Actor.interest > HIGH
    return {
        "manage_closely": and_(high_influence, high_interest),
        "keep_satisfied": and_(high_influence, ~high_interest),
        "keep_informed": and_(~high_influence, high_interest),
        "monitor": and_(~high_influence, ~high_interest),
    }[name]


# --- the list ------------------------------------------------------------------------------------


def add_invitations(
    session: Session,
    event_id,
    *,
    actor_ids: Iterable,
    channels: Mapping | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> list[Invitation]:
    """Put these actors on the event's list (status `to_invite`), each with the channel of the
    rules or of `channels` (actor id -> channel, an override); actors already on the list are
    returned unchanged. `Invalid` (nothing stored) for unknown or archived actors and for
    actors no allowed channel can reach."""
    event = get_event(session, event_id)
    now = now or utcnow()
    ids = _actor_ids(actor_ids)
    overrides = {as_id(k): v for k, v in (channels or {}).items()}
    actors = {a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(ids)))}
    existing = {
        i.actor_id: i
        for i in session.scalars(
            select(Invitation).where(Invitation.event_id == event.id, Invitation.actor_id.in_(ids))
        )
    }
    errors: dict[str, list[Message]] = {}
    result = []
    for actor_id in ids:
        actor = actors.get(actor_id)
        if actor is None or actor.archived:
            errors.setdefault("actor_ids", []).append(
                Message(N_("There is no actor with number %(id)d."), id=actor_id)
            )
            continue
        if actor_id in existing:
            result.append(existing[actor_id])
            continue
        try:
            if actor_id in overrides:
                channel, overridden = check_channel(actor, overrides[actor_id]), True
            else:
                choice = invite_channel(actor)
                if choice.channel is None:
                    raise Invalid.on(
                        "actor_ids",
                        N_("%(name)s cannot be invited: %(reason)s."),
                        name=actor.name,
                        reason=Message(LEFT_OUT_REASONS[choice.left_out]),
                    )
                channel, overridden = choice.channel, False
        except Invalid as error:
            for name, messages in error.errors.items():
                errors.setdefault(name, []).extend(messages)
            continue
        result.append(
            Invitation(
                event_id=event.id,
                actor_id=actor_id,
                channel=channel,
                channel_overridden=overridden,
                status=InvitationStatus.TO_INVITE,
                created_at=now,
                updated_at=now,
                updated_by_id=user_id,
            )
        )
    if errors:  # nothing was added to the session: nothing to undo
        raise Invalid(errors)
    new = [i for i in result if i.id is None]
    try:
        with session.begin_nested():
            session.add_all(new)
    except IntegrityError:  # someone added the same actor at the same moment
        raise Invalid.on(
            "actor_ids", N_("Someone else changed this list at the same moment: try again.")
        ) from None
    return result


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
    try:
        with session.begin_nested():
            session.execute(insert(Invitation), rows)
    except IntegrityError:  # someone built or added to the same list at the same moment
        raise Invalid.on(
            "actor_ids", N_("Someone else changed this list at the same moment: try again.")
        ) from None
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


def get_invitation(session: Session, invitation_id) -> Invitation:
    """The invitation with this id."""
    ident = as_id(invitation_id)
    invitation = session.get(Invitation, ident) if ident is not None else None
    if invitation is None:
        raise NotFound("invitation", invitation_id)
    return invitation


def list_invitations(
    session: Session, event_id, *, q: str | None = None, page: int = 1, per_page: int = 25
) -> Page:
    """One page of the event's list by actor name; `q`: only names containing it (accents and
    case ignored). Archived actors are left out, as from every list."""
    event = get_event(session, event_id)
    query = (
        select(Invitation)
        .join(Actor, Invitation.actor_id == Actor.id)
        .where(Invitation.event_id == event.id, Actor.archived.is_(False))
        .options(selectinload(Invitation.actor))
        .order_by(Actor.search_name, Actor.id)
    )
    key = search_key(q or "")
    if key and not storable(key):  # a NUL byte: PostgreSQL refuses it, nobody has it
        return Page([], 0, 1, per_page)
    if key:
        query = query.where(Actor.search_name.like("%" + escape_like(key) + "%", escape="\\"))
    return paginate(session, query, page=page, per_page=per_page)


def invitation_counts(session: Session, event_id) -> dict[str, int]:
    """How many invitations of the event have each status (every status, zeros included)."""
    event = get_event(session, event_id)
    counts = dict(
        session.execute(
            select(Invitation.status, func.count())
            .join(Actor, Invitation.actor_id == Actor.id)
            .where(Invitation.event_id == event.id, Actor.archived.is_(False))
            .group_by(Invitation.status)
        ).all()
    )
    return {str(status): counts.get(status, 0) for status in InvitationStatus}


def update_invitation(
    session: Session,
    invitation_id,
    *,
    status=None,
    channel=None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Change the status and/or the channel (an override, checked against the rules and
    flags). `attended` logs the attendance as a contact (channel `event`, outcome `reached`);
    leaving `attended` removes that contact again."""
    invitation = _locked_invitation(session, invitation_id)
    now = now or utcnow()
    new_status = (
        parse_choice(status, InvitationStatus, field="status") if status is not None else None
    )
    new_channel = check_channel(invitation.actor, channel) if channel is not None else None
    if new_channel is not None and new_channel != invitation.channel:
        invitation.channel, invitation.channel_overridden = new_channel, True
    if new_status is not None and new_status != invitation.status:
        if new_status == InvitationStatus.ATTENDED:
            _log_attendance(session, invitation, user_id=user_id, now=now)
            invitation.status_before_attendance = invitation.status
        elif invitation.status == InvitationStatus.ATTENDED:
            _forget_attendance(session, invitation)
        invitation.status = new_status
    invitation.updated_at, invitation.updated_by_id = now, user_id
    session.flush()
    return invitation


def mark_attendance(
    session: Session, invitation_id, *, user_id: int | None = None, now: datetime | None = None
) -> Invitation:
    """Tick an invitee as present (check-in): status `attended` and a direct contact."""
    return update_invitation(
        session, invitation_id, status=InvitationStatus.ATTENDED, user_id=user_id, now=now
    )


def not_on_the_list(session: Session, event_id, q: str | None, *, limit: int = 5) -> list[Actor]:
    """Actors whose name contains `q` and who are not on the event's list (walk-ins)."""
    key = search_key(q or "")
    if not key or not storable(key):
        return []
    event = get_event(session, event_id)
    return list(
        session.scalars(
            select(Actor)
            .where(
                Actor.archived.is_(False),
                Actor.search_name.like("%" + escape_like(key) + "%", escape="\\"),
                ~exists().where(
                    and_(Invitation.event_id == event.id, Invitation.actor_id == Actor.id)
                ),
            )
            .order_by(Actor.search_name, Actor.id)
            .limit(limit)
        )
    )


def check_in_walk_in(
    session: Session, event_id, actor_id, *, user_id: int | None = None, now=None
) -> Invitation:
    """Someone who came without being on the list: put on it (channel `event`: not invited,
    so never exported as an invitee) and checked in at once."""
    event = get_event(session, event_id)
    ident = as_id(actor_id)
    actor = session.get(Actor, ident) if ident is not None else None
    if actor is None or actor.archived:
        raise NotFound("actor", actor_id)
    now = now or utcnow()
    invitation = session.scalar(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.actor_id == actor.id)
    )
    if invitation is None:
        invitation = Invitation(
            event_id=event.id,
            actor_id=actor.id,
            channel=Channel.EVENT,
            channel_overridden=False,
            status=InvitationStatus.TO_INVITE,
            created_at=now,
            updated_at=now,
            updated_by_id=user_id,
        )
        session.add(invitation)
        session.flush()
    return mark_attendance(session, invitation.id, user_id=user_id, now=now)


def undo_attendance(
    session: Session, invitation_id, *, user_id: int | None = None, now: datetime | None = None
) -> Invitation:
    """Take back a check-in: the status it had before (invited if unknown), the contact gone."""
    invitation = _locked_invitation(session, invitation_id)
    if invitation.status != InvitationStatus.ATTENDED:
        return invitation
    before = invitation.status_before_attendance or InvitationStatus.INVITED
    return update_invitation(session, invitation.id, status=before, user_id=user_id, now=now)


def _locked_invitation(session: Session, invitation_id) -> Invitation:
    """The invitation, its row locked until commit (PostgreSQL; SQLite's BEGIN IMMEDIATE
    already serialises writers): a double tap on "present" must not log two contacts."""
    ident = as_id(invitation_id)
    invitation = (
        session.scalar(
            select(Invitation)
            .where(Invitation.id == ident)
            .with_for_update(of=Invitation)
            .execution_options(populate_existing=True)
        )
        if ident is not None
        else None
    )
    if invitation is None:
        raise NotFound("invitation", invitation_id)
    return invitation


def remove_invitation(session: Session, invitation_id) -> None:
    """Take an actor off the list (and its attendance contact, if any)."""
    invitation = get_invitation(session, invitation_id)
    if invitation.status == InvitationStatus.ATTENDED:
        _forget_attendance(session, invitation)
    session.delete(invitation)
    session.flush()


def _log_attendance(session: Session, invitation: Invitation, *, user_id, now) -> None:
    event = invitation.event
    # Checked in before the announced start (doors open early): the contact is now.
    occurred = min(event.starts_at, now)
    contact = log_contact(
        session,
        actor_id=invitation.actor_id,
        channel=Channel.EVENT,
        outcome="reached",
        direction="incoming",
        occurred_at=occurred.replace(tzinfo=UTC),
        note=event.name,
        user_id=user_id,
        now=now,
    )
    invitation.attendance_contact_id = contact.id


def _forget_attendance(session: Session, invitation: Invitation) -> None:
    if invitation.attendance_contact_id is not None:
        with suppress(NotFound):  # deleted by hand on the timeline already
            delete_contact(session, invitation.attendance_contact_id)
    invitation.attendance_contact_id = None


def _actor_ids(raw: Iterable) -> list[int]:
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise Invalid.on("actor_ids", N_("Give the actors as a list of numbers."))
    ids, errors = [], []
    for value in raw:
        try:
            ids.append(parse_id(value, field="actor_ids"))
        except Invalid as error:
            errors.extend(error.errors["actor_ids"])
    if errors:
        raise Invalid({"actor_ids": errors})
    if not ids:
        raise Invalid.on("actor_ids", N_("Choose at least one actor."))
    return list(dict.fromkeys(ids))
