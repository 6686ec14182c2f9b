"""Use cases on events: create, update, find, list (workshops, ateliers, info sessions)."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from crm.actors import themes_by_name
from crm.clock import utcnow
from crm.contacts import parse_occurred_at
from crm.edits import check_version, conflict_when_stale
from crm.messages import N_, Invalid, Message
from crm.models import ADDRESS_MAX, NAME_MAX, TEXT_MAX, Event
from crm.paging import Page, paginate
from crm.rows import get_row
from crm.validation import (
    clean_text,
    collect_errors,
    parse_choice,
    parse_int,
    refuse_unknown_fields,
)
from crm.vocabulary import EventType

WRITABLE_FIELDS = ("name", "type", "starts_at", "place", "capacity", "themes", "description")
MAX_CAPACITY = 10_000
EARLIEST_EVENT = datetime(2000, 1, 1)
LATEST_AHEAD = timedelta(days=5 * 366)  # an event more than five years ahead is a typo
_STALE = Message(N_("Someone else saved this event in the meantime. Your changes were not saved."))


def get_event(session: Session, event_id) -> Event:
    """The event with this id."""
    return get_row(session, Event, event_id, what="event")


def create_event(
    session: Session, *, user_id: int | None = None, now: datetime | None = None, **fields
) -> Event:
    """A new event; raises `Invalid` with every problem at once. `starts_at` as text without
    an offset is Brussels time, a naive datetime is UTC (as `crm.contacts.parse_occurred_at`)."""
    refuse_unknown_fields(fields, WRITABLE_FIELDS)
    now = now or utcnow()
    defaults = {"place": "", "description": "", "themes": []}
    values = _clean_fields(session, {**defaults, **fields}, now=now, required=WRITABLE_FIELDS)
    event = Event(created_by_id=user_id, created_at=now, updated_at=now)
    _apply(event, values)
    session.add(event)
    session.flush()
    return event


def update_event(
    session: Session, event_id, *, version, now: datetime | None = None, **changes
) -> Event:
    """Change the given fields when `version` is the stored one, else raise `Conflict`."""
    refuse_unknown_fields(changes, WRITABLE_FIELDS)
    event = get_event(session, event_id)
    check_version(event, version, _STALE)
    now = now or utcnow()
    _apply(event, _clean_fields(session, changes, now=now, required=()))
    event.updated_at = now
    flag_modified(event, "updated_at")  # the version moves even when only the themes changed
    with conflict_when_stale(session, _STALE):
        session.flush()
    return event


def list_events(
    session: Session,
    *,
    upcoming: bool | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """Events, upcoming ones soonest first, past ones most recent first (None: all, newest
    first)."""
    now = now or utcnow()
    query = select(Event)
    if upcoming is True:
        query = query.where(Event.starts_at >= now).order_by(Event.starts_at, Event.id)
    elif upcoming is False:
        query = query.where(Event.starts_at < now).order_by(Event.starts_at.desc(), Event.id)
    else:
        query = query.order_by(Event.starts_at.desc(), Event.id)
    return paginate(session, query, page=page, per_page=per_page)


def _clean_fields(session: Session, fields: dict, *, now: datetime, required) -> dict:
    cleaners = {
        "name": lambda v: clean_text(v, field="name", max_length=NAME_MAX, required=True),
        "type": lambda v: parse_choice(v, EventType, field="type"),
        "starts_at": lambda v: _starts_at(v, now=now),
        "place": lambda v: clean_text(v, field="place", max_length=ADDRESS_MAX) or "",
        "capacity": lambda v: parse_int(v, field="capacity", low=1, high=MAX_CAPACITY),
        "themes": lambda v: themes_by_name(session, v),
        "description": lambda v: clean_text(v, field="description", max_length=TEXT_MAX) or "",
    }
    missing = {name: None for name in required if name not in fields}
    names = list({**fields, **missing})
    values = {**fields, **missing}
    cleaned = collect_errors(*(lambda n=n: cleaners[n](values[n]) for n in names))
    return dict(zip(names, cleaned, strict=True))


def _starts_at(raw, *, now: datetime) -> datetime:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise Invalid.on("starts_at", N_("This field is required."))
    moment = parse_occurred_at(raw, field="starts_at")
    if not EARLIEST_EVENT <= moment <= now + LATEST_AHEAD:
        raise Invalid.on("starts_at", N_("Choose a date between 2000 and five years from now."))
    return moment


def _apply(event: Event, values: dict) -> None:
    for name, value in values.items():
        setattr(event, name, value)
