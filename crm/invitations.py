"""An event's invitation list: who is on it, the channel to invite each by (crm.channels), the
statuses, check-in and attendance (which counts as a direct contact for the reach analysis).

The balanced list builder is `crm.builder`."""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from crm.actors import ARCHIVED_MESSAGE, name_contains, refuse_when_archived
from crm.channels import check_invite_channel, invite_channel
from crm.clock import utcnow
from crm.contacts import delete_contact, log_contact
from crm.events import get_event
from crm.messages import N_, Invalid, Message, NotFound
from crm.models import Actor, Invitation
from crm.paging import Page, paginate
from crm.rows import get_row, lock_row
from crm.validation import as_id, collect_errors, parse_choice, parse_id, search_key, storable
from crm.vocabulary import (
    CHANNEL_LABELS,
    INVITATION_STATUS_LABELS,
    INVITE_CHANNELS,
    LEFT_OUT_REASON_LABELS,
    Channel,
    InvitationStatus,
)

# One bulk change touches at most this many invitations: a page of the list holds 100 at most.
MAX_BULK_CHANGE = 500


@contextmanager
def changing_the_list(session: Session) -> Iterator[None]:
    """Write new invitations in a savepoint: when someone else added the same actor to the list
    at the same moment, `Invalid` (try again) instead of a database error."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError:
        raise Invalid.on(
            "actor_ids", N_("Someone else changed this list at the same moment: try again.")
        ) from None


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
        if actor is None:
            errors.setdefault("actor_ids", []).append(
                Message(N_("There is no actor with number %(id)d."), id=actor_id)
            )
            continue
        if actor.archived:
            errors.setdefault("actor_ids", []).append(Message(ARCHIVED_MESSAGE, name=actor.name))
            continue
        if actor_id in existing:
            result.append(existing[actor_id])
            continue
        try:
            if actor_id in overrides:
                channel, overridden = check_invite_channel(actor, overrides[actor_id]), True
            else:
                choice = invite_channel(actor)
                if choice.channel is None:
                    raise Invalid.on(
                        "actor_ids",
                        N_("%(name)s cannot be invited: %(reason)s."),
                        name=actor.name,
                        reason=Message(LEFT_OUT_REASON_LABELS[choice.left_out]),
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
    with changing_the_list(session):
        session.add_all(i for i in result if i.id is None)
    return result


def get_invitation(session: Session, invitation_id, *, event_id=None) -> Invitation:
    """The invitation with this id (on the list of `event_id`, when given)."""
    invitation = get_row(session, Invitation, invitation_id, what="invitation")
    if event_id is not None and invitation.event_id != as_id(event_id):
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
        query = query.where(name_contains(key))
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
    refuse_when_archived(invitation.actor)
    now = now or utcnow()
    new_status = (
        parse_choice(status, InvitationStatus, field="status") if status is not None else None
    )
    new_channel = check_invite_channel(invitation.actor, channel) if channel is not None else None
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


def change_invitations(
    session: Session,
    event_id,
    invitation_ids: Iterable,
    *,
    status=None,
    channel=None,
    seen: Mapping[int, tuple[str, str]] | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> list[Invitation]:
    """Change the status and/or channel of several invitations of the event, each by the rules
    of `update_invitation`, all or none: `Invalid` (nothing changed) naming each invitation
    refused and why. `seen` (id -> status and channel the page showed) refuses an invitation
    someone else changed in the meantime, as a version column would."""
    event = get_event(session, event_id)
    ids = _bulk_ids(invitation_ids)
    _check_bulk_values(status, channel)  # once, not once per invitation
    refusals: list[Message] = []
    refused = 0
    with suppress(_Refused), session.begin_nested():  # a refusal undoes the changes before it
        for ident in ids:
            problems = _change_one(
                session,
                event.id,
                ident,
                seen,
                status=status,
                channel=channel,
                user_id=user_id,
                now=now,
            )
            refused += bool(problems)
            refusals.extend(problems)
        if refusals:
            raise _Refused
    if refusals:
        intro = Message(
            N_("Nothing was changed: %(refused)d of the %(total)d invitations cannot be."),
            refused=refused,
            total=len(ids),
        )
        raise Invalid({"invitation": [intro, *refusals]})
    return [get_invitation(session, ident) for ident in ids]


def _check_bulk_values(status, channel) -> None:
    if status is None and channel is None:
        raise Invalid.on("status", N_("Choose a new status or a new channel."))
    collect_errors(
        lambda: status is None or parse_choice(status, InvitationStatus, field="status"),
        lambda: channel is None or parse_choice(channel, INVITE_CHANNELS, field="channel"),
    )


def _change_one(session: Session, event_id: int, ident: int, seen, **changes) -> list[Message]:
    """Change one invitation of a bulk change as `update_invitation` does; what refused it,
    each message naming the actor (none when it was changed)."""
    try:
        invitation = _locked_as_seen(session, event_id, ident, seen)
    except Invalid as error:
        return _messages(error)
    try:
        update_invitation(session, invitation.id, **changes)
    except Invalid as error:
        return [_naming(message, invitation.actor.name) for message in _messages(error)]
    return []


class _Refused(Exception):
    """Rolls the bulk change's savepoint back."""


def _naming(message: Message, name: str) -> Message:
    """The message, led by the actor's name unless it names the actor already."""
    if "name" in message.params:
        return message
    return Message(N_("%(name)s: %(reason)s"), name=name, reason=message)


def _messages(error: Invalid) -> list[Message]:
    return [message for messages in error.errors.values() for message in messages]


def _locked_as_seen(session: Session, event_id: int, ident: int, seen) -> Invitation:
    """The invitation, locked; `Invalid` when it is not on this event's list or no longer has
    the status and channel the page showed (someone else changed it)."""
    try:
        invitation = _locked_invitation(session, ident)
    except NotFound:
        invitation = None
    if invitation is None or invitation.event_id != event_id:
        raise Invalid.on(
            "invitation", N_("Invitation %(id)d is not on this list (any more)."), id=ident
        )
    if seen is not None and seen.get(ident) != (invitation.status, invitation.channel):
        raise Invalid.on(
            "invitation",
            N_(
                "%(name)s was changed by someone else in the meantime "
                "(now: %(status)s, %(channel)s)."
            ),
            name=invitation.actor.name,
            status=Message(INVITATION_STATUS_LABELS.get(invitation.status, invitation.status)),
            channel=Message(CHANNEL_LABELS.get(invitation.channel, invitation.channel)),
        )
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
                name_contains(key),
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
    """The invitation, its row locked until commit: a double tap on "present" must not log two
    contacts."""
    return lock_row(session, Invitation, invitation_id, what="invitation")


def remove_invitation(session: Session, invitation_id) -> None:
    """Take an actor off the list (and its attendance contact, if any)."""
    invitation = get_invitation(session, invitation_id)
    refuse_when_archived(invitation.actor)
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


def _bulk_ids(raw: Iterable) -> list[int]:
    """The invitation ids of a bulk change: numbers, at least one, at most MAX_BULK_CHANGE."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise Invalid.on("invitation", N_("Give the invitations as a list of numbers."))
    ids = list(dict.fromkeys(parse_id(value, field="invitation") for value in raw))
    if not ids:
        raise Invalid.on("invitation", N_("Tick at least one invitation."))
    if len(ids) > MAX_BULK_CHANGE:
        raise Invalid.on(
            "invitation",
            N_("Change at most %(max)d invitations at once."),
            max=MAX_BULK_CHANGE,
        )
    return ids


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
