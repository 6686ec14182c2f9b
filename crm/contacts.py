"""Use cases on contact logs: log (once per submission key), edit, delete, list, follow-ups."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.actors import refuse_when_archived
from crm.clock import CITY_TIMEZONE, today_in_city, utcnow
from crm.messages import N_, Invalid, Message, NotFound
from crm.models import SUBMISSION_KEY_MAX, TEXT_MAX, Actor, ContactLog
from crm.paging import Page, paginate
from crm.rows import get_row
from crm.validation import as_id, clean_text, collect_errors, echo, parse_choice, parse_date
from crm.vocabulary import (
    CHANNEL_LABELS,
    CHANNEL_OUTCOMES,
    DIRECT_CHANNELS,
    FAILED_OUTCOMES,
    OUTCOME_LABELS,
    Channel,
    Direction,
    Outcome,
)

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"
EARLIEST = datetime(1990, 1, 1)
CONTACT_DATE_FIELDS = (
    "last_contact_at",
    "last_reached_at",
    "last_direct_reached_at",
    "last_attempt_at",
)
EDITABLE_FIELDS = ("channel", "direction", "outcome", "occurred_at", "note", "follow_up_on")


def log_contact(
    session: Session,
    *,
    actor_id: int,
    channel,
    outcome,
    direction="outgoing",
    occurred_at=None,
    note="",
    follow_up_on=None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> ContactLog:
    """Record one interaction with an actor and update the actor's contact dates.

    `occurred_at` defaults to `now`; a moment without a time zone is Brussels time (see
    `parse_occurred_at`).
    """
    sent = _sent(channel, direction, outcome, occurred_at, note, follow_up_on)
    return _add_contact(session, actor_id=actor_id, user_id=user_id, sent=sent, now=now)


@dataclass(frozen=True)
class Logged:
    """The contact a submission key stands for, and whether this submission repeated it."""

    contact: ContactLog
    repeated: bool


def log_contact_once(
    session: Session,
    *,
    key: str,
    user_id: int,
    actor_id: int,
    channel,
    outcome,
    direction="outgoing",
    occurred_at=None,
    note="",
    follow_up_on=None,
    same_values_only: bool = True,
    now: datetime | None = None,
) -> Logged:
    """Log a contact for the user's submission key, or give the contact logged for it before.

    A repeat with other values is refused (`Invalid` on `idempotency_key`) unless
    `same_values_only` is false: a page's form token stands for the rendered form, whatever was
    typed in it the second time.
    """
    key = clean_text(key, field="idempotency_key", max_length=SUBMISSION_KEY_MAX, required=True)
    sent = _sent(channel, direction, outcome, occurred_at, note, follow_up_on)
    digest = _digest(actor_id, sent)
    try:
        # Insert first and let the unique index judge: a look-up first would let two requests
        # arriving together both find nothing and both store. The savepoint keeps the rest of
        # the transaction usable after the refused insert.
        with session.begin_nested():
            contact = _add_contact(
                session,
                actor_id=actor_id,
                user_id=user_id,
                sent=sent,
                now=now,
                submission=(key, digest),
            )
        return Logged(contact, repeated=False)
    except IntegrityError:
        first = _contact_of_key(session, user_id, key)
        if first is None:  # another constraint refused it: not a repeat
            raise
    if same_values_only and first.submission_digest != digest:
        raise Invalid.on(
            "idempotency_key",
            N_("This key was used before for another contact: use a new key for a new contact."),
        )
    return Logged(first, repeated=True)


def _sent(*values) -> dict:
    """The contact's fields as sent, by name (in the order of EDITABLE_FIELDS)."""
    return dict(zip(EDITABLE_FIELDS, values, strict=True))


def _add_contact(
    session: Session,
    *,
    actor_id,
    user_id: int | None,
    sent: dict,
    now: datetime | None,
    submission: tuple[str, str] | None = None,
) -> ContactLog:
    now = now or utcnow()
    actor_id = _lock_actor_for_contact(session, actor_id)
    if sent["occurred_at"] in (None, ""):
        # `now` is naive UTC: mark it so, or it is read as Brussels time (1-2 hours off).
        sent = sent | {"occurred_at": _as_utc(now)}
    values = _clean(sent, now=now)
    key, digest = submission or (None, None)
    contact = ContactLog(
        actor_id=actor_id,
        created_by_id=user_id,
        created_at=now,
        submission_key=key,
        submission_digest=digest,
        **values,
    )
    session.add(contact)
    session.flush()
    refresh_contact_dates(session, actor_id)
    return contact


def _contact_of_key(session: Session, user_id: int, key: str) -> ContactLog | None:
    """The contact the user's submission key logged (committed by any transaction)."""
    query = select(ContactLog).where(
        ContactLog.created_by_id == user_id, ContactLog.submission_key == key
    )
    return session.scalars(query).one_or_none()


def _digest(actor_id, sent: dict) -> str:
    """A fingerprint of what was sent, as sent: a retry that leaves out `occurred_at` again is
    the same request, though "now" moved on."""
    canonical = json.dumps(
        {"actor_id": str(actor_id), **sent}, sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def edit_contact(
    session: Session,
    contact_id: int,
    *,
    user_id: int | None,
    now: datetime | None = None,
    **changes,
) -> ContactLog:
    """Change a logged contact, keeping who edited it and when."""
    now = now or utcnow()
    contact = get_contact(session, contact_id)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise Invalid.on(unknown[0], N_("Unknown field '%(name)s'."), name=unknown[0])
    _lock_actor_for_contact(session, contact.actor_id)
    merged = {name: getattr(contact, name) for name in EDITABLE_FIELDS}
    # The stored moment is naive UTC: re-read as Brussels time it moved back 1-2 hours on
    # every edit.
    merged["occurred_at"] = _as_utc(contact.occurred_at)
    merged |= changes
    values = _clean(merged, now=now)
    for name, value in values.items():
        setattr(contact, name, value)
    contact.edited_by_id = user_id
    contact.edited_at = now
    session.flush()
    refresh_contact_dates(session, contact.actor_id)
    return contact


def delete_contact(session: Session, contact_id: int) -> None:
    """Remove a logged contact (administrators only) and update the actor's contact dates."""
    contact = get_contact(session, contact_id)
    actor_id = contact.actor_id
    # As log_contact: the recomputed dates see every contact. Archived: read-only.
    _lock_actor_for_contact(session, actor_id)
    session.delete(contact)
    session.flush()
    refresh_contact_dates(session, actor_id)


def get_contact(session: Session, contact_id) -> ContactLog:
    """The contact with this id."""
    return get_row(session, ContactLog, contact_id, what="contact")


def list_contacts(session: Session, actor_id: int, *, page: int = 1, per_page: int = 25) -> Page:
    """An actor's timeline, newest first."""
    query = (
        select(ContactLog)
        .where(ContactLog.actor_id == as_id(actor_id))
        .order_by(ContactLog.occurred_at.desc(), ContactLog.id.desc())
    )
    return paginate(session, query, page=page, per_page=per_page)


def latest_contacts(session: Session, actor_id: int, *, limit: int = 3) -> list[ContactLog]:
    """The actor's most recent contacts, newest first (the top of the actor page)."""
    query = (
        select(ContactLog)
        .where(ContactLog.actor_id == as_id(actor_id))
        .order_by(ContactLog.occurred_at.desc(), ContactLog.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def open_follow_ups(session: Session, *, user_id: int, limit: int = 200) -> list[ContactLog]:
    """The user's follow-ups not yet done, earliest (so overdue) first."""
    if as_id(user_id) is None:  # `created_by_id == None` would list orphaned follow-ups
        return []
    query = (
        select(ContactLog)
        .join(Actor, Actor.id == ContactLog.actor_id)
        .where(
            ContactLog.created_by_id == as_id(user_id),
            ContactLog.follow_up_on.isnot(None),
            ContactLog.follow_up_done_at.is_(None),
            Actor.archived.is_(False),
        )
        .order_by(ContactLog.follow_up_on, ContactLog.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def mark_follow_up_done(
    session: Session, contact_id: int, *, user_id: int, now: datetime | None = None
) -> ContactLog:
    """Close the follow-up of one of the user's contacts."""
    contact = get_contact(session, contact_id)
    if contact.created_by_id != user_id or contact.follow_up_on is None:
        raise NotFound("follow-up", contact_id)
    _lock_actor_for_contact(session, contact.actor_id)
    contact.follow_up_done_at = now or utcnow()
    session.flush()
    return contact


def refresh_contact_dates(session: Session, actor_id: int) -> None:
    """Recompute the actor's denormalised last-contact dates from its contacts.

    A Core UPDATE, so the actor's version is not bumped: logging a call must not turn a
    colleague's open edit form into a conflict.
    """
    contacts = ContactLog.__table__.c

    def latest(*conditions):
        return (
            select(contacts.occurred_at)
            .where(contacts.actor_id == actor_id, *conditions)
            .order_by(contacts.occurred_at.desc())
            .limit(1)
            .scalar_subquery()
        )

    reached = contacts.outcome == Outcome.REACHED
    session.execute(
        update(Actor.__table__)
        .where(Actor.__table__.c.id == actor_id)
        .values(
            last_contact_at=latest(contacts.outcome != Outcome.PLANNED),
            last_reached_at=latest(reached),
            last_direct_reached_at=latest(
                reached, contacts.channel.in_([str(c) for c in DIRECT_CHANNELS])
            ),
            last_attempt_at=latest(contacts.outcome.in_([str(o) for o in FAILED_OUTCOMES])),
        )
    )
    loaded = session.identity_map.get(session.identity_key(Actor, actor_id))
    if loaded is not None:
        session.expire(loaded, list(CONTACT_DATE_FIELDS))


def parse_occurred_at(raw, *, field: str = "occurred_at") -> datetime:
    """A moment as naive UTC.

    Text (ISO 8601, as forms and the API send it) without an offset is Brussels time: that is
    what a person typed. A naive `datetime` object is UTC, as Bereik stores every moment.
    """
    if isinstance(raw, datetime):
        moment = raw if raw.tzinfo is not None else raw.replace(tzinfo=UTC)
    else:
        text = "" if raw is None else str(raw).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid.on(
                field, N_("'%(value)s' is not a date and time."), value=echo(text)
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CITY_TIMEZONE)
    try:
        return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None, microsecond=0)
    except OverflowError:  # year 1 or 9999 shifted past the calendar by the UTC offset
        raise Invalid.on(
            field, N_("'%(value)s' is not a date and time."), value=str(raw)[:40]
        ) from None


def _lock_actor(session: Session, actor_id):
    """The actor's name and archived flag (None: no such actor), holding its row until commit."""
    # FOR UPDATE serialises contact writes per actor on PostgreSQL, so the dates recomputed
    # after the insert see every committed contact; SQLite's BEGIN IMMEDIATE already does.
    ident = as_id(actor_id)
    if ident is None:  # beyond PostgreSQL's integer range: an error there, not "not found"
        return None
    query = select(Actor.name, Actor.archived).where(Actor.id == ident)
    return session.execute(query.with_for_update()).first()


def _lock_actor_for_contact(session: Session, actor_id) -> int:
    """The actor's id, its row held until commit; `Invalid` when it is archived."""
    actor = _lock_actor(session, actor_id)
    if actor is None:
        raise NotFound("actor", actor_id)
    refuse_when_archived(actor)
    return as_id(actor_id)


def _clean(values: dict, *, now: datetime) -> dict:
    channel, direction, outcome, occurred_at, note, follow_up_on = collect_errors(
        lambda: parse_choice(values["channel"], Channel, field="channel"),
        lambda: parse_choice(values["direction"] or "outgoing", Direction, field="direction"),
        lambda: parse_choice(values["outcome"], Outcome, field="outcome"),
        lambda: _occurred_at(values["occurred_at"], now=now),
        lambda: clean_text(values["note"], field="note", max_length=TEXT_MAX) or "",
        lambda: parse_date(values["follow_up_on"], field="follow_up_on"),
    )
    _check_outcome_fits(channel, outcome)
    # Both as read on a Brussels calendar: 00:30 on 2 June in Brussels is still 1 June in UTC.
    if follow_up_on is not None and follow_up_on < today_in_city(occurred_at):
        raise Invalid.on(
            "follow_up_on", N_("A follow-up date cannot lie before the contact itself.")
        )
    return {
        "channel": channel,
        "direction": direction,
        "outcome": outcome,
        "occurred_at": occurred_at,
        "note": note,
        "follow_up_on": follow_up_on,
    }


def _check_outcome_fits(channel: str, outcome: str) -> None:
    """Refuse an outcome that cannot happen on the channel (a visit cannot leave a message)."""
    possible = CHANNEL_OUTCOMES[channel]
    if outcome not in possible:
        raise Invalid.on(
            "outcome",
            N_(
                "The outcome '%(outcome)s' cannot happen on the channel '%(channel)s'. "
                "Possible: %(choices)s."
            ),
            channel=Message(CHANNEL_LABELS[channel]),
            outcome=Message(OUTCOME_LABELS[outcome]),
            choices=tuple(Message(OUTCOME_LABELS[o]) for o in possible),
        )


def _occurred_at(raw, *, now: datetime) -> datetime:
    moment = parse_occurred_at(raw)
    if moment > now + CLOCK_SKEW:
        raise Invalid.on("occurred_at", N_("A contact cannot take place in the future."))
    if moment < EARLIEST:
        raise Invalid.on("occurred_at", N_("This date is too far in the past."))
    return moment


def _as_utc(moment: datetime) -> datetime:
    """A stored (naive UTC) moment, marked as UTC for `parse_occurred_at`."""
    return moment.replace(tzinfo=UTC)
