"""Use cases on events: create, update, find, list (workshops, ateliers, info sessions)."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from crm.actors import themes_by_name
from crm.clock import CITY_TIMEZONE, today_in_city, utcnow
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
    search_key,
)
from crm.vocabulary import EventType

WRITABLE_FIELDS = ("name", "type", "starts_at", "place", "capacity", "themes", "description")
MAX_CAPACITY = 10_000
EARLIEST_EVENT = datetime(2000, 1, 1)
LATEST_AHEAD = timedelta(days=5 * 366)  # an event more than five years ahead is a typo
_STALE = Message(N_("Someone else saved this event in the meantime. Your changes were not saved."))


class DuplicateEvent(Invalid):
    """Another event has the same name on the same day: stored only when confirmed (two
    identical entries in every menu help nobody, a second session of an atelier can)."""

    def __init__(self, existing: Event):
        super().__init__(
            {
                "name": [
                    Message(
                        N_("There is already an event “%(name)s” on %(day)s (number %(id)d)."),
                        name=existing.name,
                        day=today_in_city(existing.starts_at).isoformat(),
                        id=existing.id,
                    )
                ]
            }
        )
        self.existing = existing


def get_event(session: Session, event_id) -> Event:
    """The event with this id."""
    return get_row(session, Event, event_id, what="event")


def create_event(
    session: Session,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
    confirm_duplicate: bool = False,
    **fields,
) -> Event:
    """A new event; raises `Invalid` with every problem at once. `starts_at` as text without
    an offset is Brussels time, a naive datetime is UTC (as `crm.contacts.parse_occurred_at`).
    `DuplicateEvent` when an event of the same name is on the same day, unless confirmed."""
    refuse_unknown_fields(fields, WRITABLE_FIELDS)
    now = now or utcnow()
    defaults = {"place": "", "description": "", "themes": []}
    values = _clean_fields(session, {**defaults, **fields}, now=now, required=WRITABLE_FIELDS)
    if not confirm_duplicate:
        _refuse_duplicate(session, values["name"], values["starts_at"])
    event = Event(created_by_id=user_id, created_at=now, updated_at=now)
    _apply(event, values)
    session.add(event)
    session.flush()
    return event


def update_event(
    session: Session,
    event_id,
    *,
    version,
    now: datetime | None = None,
    confirm_duplicate: bool = False,
    **changes,
) -> Event:
    """Change the given fields when `version` is the stored one, else raise `Conflict`.
    `DuplicateEvent` when the new name or day makes it another event's twin, unless confirmed."""
    refuse_unknown_fields(changes, WRITABLE_FIELDS)
    event = get_event(session, event_id)
    check_version(event, version, _STALE)
    now = now or utcnow()
    values = _clean_fields(session, changes, now=now, required=())
    if not confirm_duplicate and _renamed_or_moved(event, values):
        _refuse_duplicate(
            session,
            values.get("name", event.name),
            values.get("starts_at", event.starts_at),
            other_than=event.id,
        )
    _apply(event, values)
    event.updated_at = now
    flag_modified(event, "updated_at")  # the version moves even when only the themes changed
    with conflict_when_stale(session, _STALE):
        session.flush()
    return event


def find_same_event(
    session: Session, name: str, starts_at: datetime, *, other_than: int | None = None
) -> Event | None:
    """The first event with the same name (case, accents and spaces ignored) on the same
    Brussels day as `starts_at` (naive UTC), other than event `other_than`."""
    start, end = _city_day_in_utc(today_in_city(starts_at))
    query = select(Event).where(Event.starts_at >= start, Event.starts_at < end)
    if other_than is not None:
        query = query.where(Event.id != other_than)
    key = search_key(name)
    # A day holds a handful of events: comparing their keys here needs no stored key column.
    same_day = session.scalars(query.order_by(Event.starts_at, Event.id))
    return next((event for event in same_day if search_key(event.name) == key), None)


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


def _refuse_duplicate(
    session: Session, name: str, starts_at: datetime, *, other_than: int | None = None
) -> None:
    existing = find_same_event(session, name, starts_at, other_than=other_than)
    if existing is not None:
        raise DuplicateEvent(existing)


def _renamed_or_moved(event: Event, values: dict) -> bool:
    """Whether the change gives the event another name key or another day (an event that was
    a twin already is not asked about again for each edit of its description)."""
    renamed = "name" in values and search_key(values["name"]) != search_key(event.name)
    moved = "starts_at" in values and today_in_city(values["starts_at"]) != today_in_city(
        event.starts_at
    )
    return renamed or moved


def _city_day_in_utc(day: date) -> tuple[datetime, datetime]:
    """The start of `day` and of the next day in Brussels, as naive UTC moments."""

    def utc_midnight(d: date) -> datetime:
        local = datetime.combine(d, time(), tzinfo=CITY_TIMEZONE)
        return local.astimezone(UTC).replace(tzinfo=None)

    return utc_midnight(day), utc_midnight(day + timedelta(days=1))


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
