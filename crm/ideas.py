"""Ideas raised at events: create, edit, their owners and dated status updates (the news the
keep-warm list, crm.keep_warm, brings to the people who carry them).

The idea's `status` is always the status of its latest update (by date, then by entry): every
status change is an `IdeaUpdate`, so the timeline and the keep-warm list tell the same story.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import false, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from crm.actors import ARCHIVED_MESSAGE, search_actors
from crm.clock import today_in_city, utcnow
from crm.edits import check_version, conflict_when_stale
from crm.messages import N_, Invalid, Message
from crm.models import (
    NAME_MAX,
    TEXT_MAX,
    Actor,
    Event,
    Idea,
    IdeaUpdate,
    Theme,
    User,
)
from crm.paging import Page, paginate
from crm.rows import get_row, lock_row
from crm.validation import (
    as_id,
    clean_text,
    collect_errors,
    echo,
    parse_choice,
    parse_date,
    parse_id,
    refuse_unknown_fields,
    search_key,
    storable,
)
from crm.vocabulary import (
    IdeaStatus,
)

WRITABLE_FIELDS = ("title", "description", "theme", "event_id", "owner_ids", "status")
EARLIEST_UPDATE = date(2000, 1, 1)  # an update dated before this is a typo
MAX_OWNERS = 50
_STALE = Message(N_("Someone else saved this idea in the meantime. Your changes were not saved."))


# An owner line in the form: "Vzw De Vlaskop (#12)" as the edit form shows it, "#12" or "12".
_NUMBERED_LINE = re.compile(r"\(#\s*(\S+?)\s*\)\s*$")
_NUMBERS_LINE = re.compile(r"^[#0-9,;\s]+$")


# --- ideas -----------------------------------------------------------------------------------


def get_idea(session: Session, idea_id) -> Idea:
    """The idea with this id."""
    return get_row(session, Idea, idea_id, what="idea")


def create_idea(
    session: Session,
    *,
    title,
    description="",
    theme=None,
    event_id=None,
    owner_ids=(),
    status=IdeaStatus.NEW,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Idea:
    """A new idea with its first status update; `Invalid` with every problem at once.

    The first update is dated on the day of the idea's event when that has passed (the idea
    was raised there), else today.

    `owner_ids` is a list of actor ids, or text with one owner per line (a number, "#12",
    "Name (#12)" or a name that matches one actor)."""
    now = now or utcnow()
    fields = {
        "title": title,
        "description": description,
        "theme": theme,
        "event_id": event_id,
        "owner_ids": owner_ids,
        "status": status,
    }
    values = _clean_fields(session, fields)
    idea = Idea(created_at=now, updated_at=now)
    _apply(idea, values)
    session.add(idea)
    session.flush()
    today = today_in_city(now)
    raised_on = min(today_in_city(idea.event.starts_at), today) if idea.event else today
    _record_update(
        session, idea, status=idea.status, note="", day=raised_on, user_id=user_id, now=now
    )
    return idea


def update_idea(
    session: Session,
    idea_id,
    *,
    version,
    user_id: int | None = None,
    now: datetime | None = None,
    **changes,
) -> Idea:
    """Change the given fields when `version` is the stored one, else raise `Conflict`.

    A changed `status` is recorded as a status update dated today."""
    refuse_unknown_fields(changes, WRITABLE_FIELDS)
    idea = get_idea(session, idea_id)
    check_version(idea, version, _STALE)
    now = now or utcnow()
    values = _clean_fields(session, changes)
    new_status = values.pop("status", None)
    with conflict_when_stale(session, _STALE):
        _apply(idea, values)
        idea.updated_at = now
        flag_modified(idea, "updated_at")  # the version moves even when only the owners changed
        if new_status is not None and new_status != idea.status:
            day = today_in_city(now)
            _record_update(
                session, idea, status=new_status, note="", day=day, user_id=user_id, now=now
            )
        session.flush()
    return idea


def set_owners(session: Session, idea_id, owner_ids, *, now: datetime | None = None) -> Idea:
    """Replace the idea's owners (actors); `Invalid` for unknown or archived actors, nothing
    stored."""
    idea = get_idea(session, idea_id)
    owners = _owners(session, owner_ids)
    with conflict_when_stale(session, _STALE):
        idea.owners = owners
        idea.updated_at = now or utcnow()
        flag_modified(idea, "updated_at")
        session.flush()
    return idea


def list_ideas(
    session: Session,
    *,
    status: str | None = None,
    theme: str | None = None,
    event_id=None,
    page: int = 1,
    per_page: int = 25,
) -> Page[Idea]:
    """Ideas, most recently changed first, filtered by status, theme name and event.

    An unknown filter value matches no idea."""
    conditions = []
    if status:
        conditions.append(Idea.status == status if status in set(IdeaStatus) else false())
    if theme:
        known = storable(str(theme))
        conditions.append(
            Idea.theme_id.in_(select(Theme.id).where(Theme.name == str(theme)))
            if known
            else false()
        )
    if event_id not in (None, ""):
        ident = as_id(event_id)
        conditions.append(Idea.event_id == ident if ident is not None else false())
    query = (
        select(Idea)
        .where(*conditions)
        .options(selectinload(Idea.event))  # the list shows each idea's event
        .order_by(Idea.updated_at.desc(), Idea.id.desc())
    )
    return paginate(session, query, page=page, per_page=per_page)


def choices_of_events(session: Session) -> list[Event]:
    """Every event, newest first (for the idea form and the keep-warm list)."""
    return list(session.scalars(select(Event).order_by(Event.starts_at.desc(), Event.id)))


# --- status updates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusUpdate:
    """One dated status update of an idea, with the name of who entered it."""

    id: int
    status: str
    note: str
    occurred_on: date
    created_at: datetime
    author: str | None


def add_status_update(
    session: Session,
    idea_id,
    *,
    status,
    note="",
    occurred_on=None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> IdeaUpdate:
    """Record a dated status update (default: today in Brussels); the idea takes the status of
    its latest update, so a back-dated entry does not overwrite a newer status."""
    now = now or utcnow()
    idea = _locked_idea(session, idea_id)
    status, note, day = collect_errors(
        lambda: parse_choice(status, IdeaStatus, field="status"),
        lambda: clean_text(note, field="note", max_length=TEXT_MAX) or "",
        lambda: _occurred_on(occurred_on, today=today_in_city(now)),
    )
    update = _record_update(
        session, idea, status=status, note=note, day=day, user_id=user_id, now=now
    )
    session.flush()
    return update


def list_updates(session: Session, idea_id) -> list[StatusUpdate]:
    """The idea's status updates, newest first."""
    idea = get_idea(session, idea_id)
    rows = session.execute(
        select(IdeaUpdate, User.name)
        .outerjoin(User, IdeaUpdate.created_by_id == User.id)
        .where(IdeaUpdate.idea_id == idea.id)
        .order_by(IdeaUpdate.occurred_on.desc(), IdeaUpdate.id.desc())
    )
    return [
        StatusUpdate(u.id, u.status, u.note, u.occurred_on, u.created_at, author)
        for u, author in rows
    ]


# --- helpers -----------------------------------------------------------------------------------


def _clean_fields(session: Session, fields: dict) -> dict:
    """Validated values for the given fields; every problem reported at once."""
    cleaners = {
        "title": lambda v: clean_text(v, field="title", max_length=NAME_MAX, required=True),
        "description": lambda v: clean_text(v, field="description", max_length=TEXT_MAX) or "",
        "theme": lambda v: theme_field(session, v, field="theme", required=False),
        "event_id": lambda v: event_field(session, v, field="event_id", required=False),
        "owner_ids": lambda v: _owners(session, v),
        "status": lambda v: parse_choice(v, IdeaStatus, field="status"),
    }
    names = list(fields)
    cleaned = collect_errors(*(lambda n=n: cleaners[n](fields[n]) for n in names))
    return dict(zip(names, cleaned, strict=True))


def _apply(idea: Idea, values: dict) -> None:
    attributes = {"event_id": "event", "owner_ids": "owners"}
    for name, value in values.items():
        setattr(idea, attributes.get(name, name), value)


def theme_field(session: Session, raw, *, field: str, required: bool = True) -> Theme | None:
    """The theme named in a field (None when empty and not required); `Invalid` if unknown."""
    text = clean_text(raw, field=field, max_length=100, required=required)
    if text is None:
        return None
    theme = session.scalar(select(Theme).where(Theme.name == text))
    if theme is None:
        raise Invalid.on(field, N_("Unknown theme(s): %(names)s."), names=echo(text))
    return theme


def event_field(session: Session, raw, *, field: str, required: bool = True) -> Event | None:
    """The event numbered in a field (None when empty and not required); `Invalid` if unknown."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise Invalid.on(field, N_("This field is required."))
        return None
    ident = parse_id(raw, field=field)
    event = session.get(Event, ident)
    if event is None:
        raise Invalid.on(field, N_("There is no event with number %(id)d."), id=ident)
    return event


def _owners(session: Session, raw) -> list[Actor]:
    """The actors meant by a list of ids or by text with one owner per line."""
    if raw is None:
        return []
    if isinstance(raw, str):
        ids = _owner_ids_from_text(session, raw)
    elif isinstance(raw, Iterable) and not isinstance(raw, bytes):
        ids = collect_errors(*(lambda v=v: parse_id(v, field="owner_ids") for v in raw))
    else:
        raise Invalid.on("owner_ids", N_("Give the owners as a list of actor numbers."))
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_OWNERS:
        raise Invalid.on("owner_ids", N_("At most %(max)d owners per idea."), max=MAX_OWNERS)
    actors = (
        {a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(ids)))} if ids else {}
    )
    errors = []
    for ident in ids:
        actor = actors.get(ident)
        if actor is None:
            errors.append(Message(N_("There is no actor with number %(id)d."), id=ident))
        elif actor.archived:
            errors.append(Message(ARCHIVED_MESSAGE, name=actor.name))
    if errors:
        raise Invalid({"owner_ids": errors})
    return [actors[i] for i in ids]


def _owner_ids_from_text(session: Session, text: str) -> list[int]:
    ids: list[int] = []
    errors: list[Message] = []
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        try:
            ids.extend(_owner_ids_of_line(session, line))
        except Invalid as error:
            errors.extend(error.errors["owner_ids"])
    if errors:
        raise Invalid({"owner_ids": errors})
    return ids


def _owner_ids_of_line(session: Session, line: str) -> list[int]:
    numbered = _NUMBERED_LINE.search(line)
    if numbered:
        return [parse_id(numbered.group(1), field="owner_ids")]
    if _NUMBERS_LINE.match(line):
        parts = re.split(r"[,;\s]+", line.replace("#", " "))
        return [parse_id(p, field="owner_ids") for p in parts if p]
    if not storable(line) or len(line) > NAME_MAX:
        raise Invalid.on("owner_ids", N_("No actor matches '%(value)s'."), value=echo(line))
    matches = search_actors(session, q=line, per_page=6).items
    exact = [a for a in matches if a.search_name == search_key(line)]
    if len(matches) == 1 or len(exact) == 1:
        return [(exact or matches)[0].id]
    if not matches:
        raise Invalid.on("owner_ids", N_("No actor matches '%(value)s'."), value=echo(line))
    raise Invalid.on(
        "owner_ids",
        N_("Several actors match: %(names)s. Type the number."),
        names=", ".join(f"{a.name} (#{a.id})" for a in matches[:5]),
    )


def _occurred_on(raw, *, today: date) -> date:
    day = parse_date(raw, field="occurred_on")
    if day is None:
        return today
    if day > today:
        raise Invalid.on("occurred_on", N_("A status update cannot be dated in the future."))
    if day < EARLIEST_UPDATE:
        raise Invalid.on("occurred_on", N_("Choose a date from 2000 onwards."))
    return day


def _locked_idea(session: Session, idea_id) -> Idea:
    """The idea, its row held until commit: two updates at once must both count."""
    return lock_row(session, Idea, idea_id, what="idea")


def _record_update(
    session: Session, idea: Idea, *, status: str, note: str, day: date, user_id, now: datetime
) -> IdeaUpdate:
    update = IdeaUpdate(
        idea_id=idea.id,
        status=status,
        note=note,
        occurred_on=day,
        created_by_id=user_id,
        created_at=now,
    )
    session.add(update)
    session.flush()
    latest = latest_updates(session, [idea.id]).get(idea.id)
    if latest is not None and latest.status != idea.status:
        idea.status = latest.status
        idea.updated_at = now
    return update


def latest_updates(session: Session, idea_ids: list[int]) -> dict[int, IdeaUpdate]:
    """The latest update of each idea (by date, then by entry)."""
    latest: dict[int, IdeaUpdate] = {}
    if not idea_ids:
        return latest
    updates = session.scalars(
        select(IdeaUpdate)
        .where(IdeaUpdate.idea_id.in_(idea_ids))
        .order_by(IdeaUpdate.idea_id, IdeaUpdate.occurred_on.desc(), IdeaUpdate.id.desc())
    )
    for update in updates:
        latest.setdefault(update.idea_id, update)
    return latest
