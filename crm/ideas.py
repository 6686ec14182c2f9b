"""Ideas raised at events: create, edit, their owners and dated status updates, and the
keep-warm list (the participants and owners to send news on their ideas, each with the channel
to reach them: e-mail, else a letter, else a phone call; never silence).

The idea's `status` is always the status of its latest update (by date, then by entry): every
status change is an `IdeaUpdate`, so the timeline and the keep-warm list tell the same story.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import false, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from crm.actors import search_actors
from crm.clock import utcnow
from crm.contacts import today_in_city
from crm.exports import csv_chunks, log_export
from crm.invitations import LEFT_OUT_REASONS, blocked_reason
from crm.messages import N_, Conflict, Invalid, Message, NotFound
from crm.models import (
    NAME_MAX,
    TEXT_MAX,
    Actor,
    Event,
    Idea,
    IdeaUpdate,
    Invitation,
    Theme,
    User,
    event_themes,
)
from crm.paging import Page, paginate
from crm.validation import (
    as_id,
    clean_text,
    collect_errors,
    display_phone,
    echo,
    parse_choice,
    parse_date,
    parse_id,
    refuse_unknown_fields,
    search_key,
    storable,
)
from crm.vocabulary import (
    IDEA_STATUS_LABELS,
    KIND_LABELS,
    Channel,
    ExportKind,
    IdeaStatus,
    InvitationStatus,
    Kind,
)

WRITABLE_FIELDS = ("title", "description", "theme", "event_id", "owner_ids", "status")
EARLIEST_UPDATE = date(2000, 1, 1)  # an update dated before this is a typo
MAX_OWNERS = 50

# The channels of the keep-warm list, in the order of the rule; "none" keeps them on the list.
KEEP_WARM_CHANNELS = (Channel.EMAIL, Channel.LETTER, Channel.PHONE, "none")
KEEP_WARM_CHANNEL_LABELS = {
    Channel.EMAIL: N_("E-mail"),
    Channel.LETTER: N_("Letter"),
    Channel.PHONE: N_("Phone call"),
    "none": N_("No way to reach them yet"),
}
PARTICIPANT, OWNER = "participant", "owner"
ROLE_LABELS = {PARTICIPANT: N_("Participant"), OWNER: N_("Idea owner")}

# An owner line in the form: "Vzw De Vlaskop (#12)" as the edit form shows it, "#12" or "12".
_NUMBERED_LINE = re.compile(r"\(#\s*(\S+?)\s*\)\s*$")
_NUMBERS_LINE = re.compile(r"^[#0-9,;\s]+$")


# --- ideas -----------------------------------------------------------------------------------


def get_idea(session: Session, idea_id) -> Idea:
    """The idea with this id."""
    ident = as_id(idea_id)
    idea = session.get(Idea, ident) if ident is not None else None
    if idea is None:
        raise NotFound("idea", idea_id)
    return idea


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
    if version is None or str(version) != str(idea.version):
        raise Conflict(_conflict_message(), current_version=idea.version)
    now = now or utcnow()
    values = _clean_fields(session, changes)
    new_status = values.pop("status", None)
    with _conflict_when_stale(session):
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
    with _conflict_when_stale(session):
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


# --- the keep-warm list -----------------------------------------------------------------------


@dataclass(frozen=True)
class KeepWarmIdea:
    """One of the actor's ideas with its latest status and the date of its latest update."""

    idea_id: int
    title: str
    status: str
    updated_on: date | None


@dataclass(frozen=True)
class KeepWarmRow:
    """One actor to keep warm: who, why (roles), their ideas and how to reach them.

    `channel` is one of KEEP_WARM_CHANNELS; for "none", `reasons` says why (LEFT_OUT_REASONS
    keys). Details blocked by a do-not flag are left empty; `phone` is in national format."""

    actor_id: int
    name: str
    kind: str
    district: str
    roles: tuple[str, ...]
    ideas: tuple[KeepWarmIdea, ...]
    channel: str
    reasons: tuple[str, ...]
    email: str
    address: str
    postcode: str
    phone: str


def keep_warm_list(session: Session, *, event_id=None, theme=None) -> list[KeepWarmRow]:
    """The participants (attended) and idea owners of one event or of one theme, one row per
    actor by name, each with their ideas' latest status and the channel to send news by."""
    event_given = event_id not in (None, "")
    theme_given = theme not in (None, "") and str(theme).strip() != ""
    if event_given == theme_given:
        raise Invalid.on("scope", N_("Choose an event or a theme (one of the two)."))
    if event_given:
        event = _event(session, event_id, field="event_id")
        events = select(Event.id).where(Event.id == event.id)
        ideas_in_scope = Idea.event_id == event.id
    else:
        found = _theme(session, theme, field="theme")
        events = select(event_themes.c.event_id).where(event_themes.c.theme_id == found.id)
        ideas_in_scope = Idea.theme_id == found.id
    participants = set(
        session.scalars(
            select(Invitation.actor_id).where(
                Invitation.event_id.in_(events),
                Invitation.status == InvitationStatus.ATTENDED,
            )
        )
    )
    ideas = list(session.scalars(select(Idea).where(ideas_in_scope).order_by(Idea.title, Idea.id)))
    latest = _latest_updates(session, [i.id for i in ideas])
    owned: dict[int, list[KeepWarmIdea]] = {}
    for idea in ideas:
        update = latest.get(idea.id)
        item = KeepWarmIdea(
            idea.id,
            idea.title,
            update.status if update else idea.status,
            update.occurred_on if update else None,
        )
        for owner in idea.owners:
            owned.setdefault(owner.id, []).append(item)
    ids = participants | set(owned)
    if not ids:
        return []
    actors = session.scalars(
        select(Actor)
        .where(Actor.id.in_(ids), Actor.archived.is_(False))
        .order_by(Actor.search_name, Actor.id)
    )
    return [_row(actor, actor.id in participants, owned.get(actor.id, [])) for actor in actors]


def keep_warm_channel(actor) -> tuple[str, tuple[str, ...]]:
    """The channel to send news by and, when there is none, why (LEFT_OUT_REASONS keys):
    e-mail, else a letter, else a call; poverty organisations are phoned first, then written
    to, and mailed only when nothing else reaches them (DESIGN.md §1)."""
    order = (
        (Channel.PHONE, Channel.LETTER, Channel.EMAIL)
        if actor.kind == Kind.POVERTY_ORGANISATION
        else (Channel.EMAIL, Channel.LETTER, Channel.PHONE)
    )
    for channel in order:
        if blocked_reason(actor, channel) is None:
            return channel, ()
    flags = []
    if actor.email and actor.do_not_email:
        flags.append("do_not_email")
    if actor.phone and actor.do_not_phone:
        flags.append("do_not_phone")
    return "none", tuple(flags) or ("no_contact_details",)


def by_channel(rows: Iterable[KeepWarmRow]) -> dict[str, list[KeepWarmRow]]:
    """The rows grouped by channel, in the order of the rule (every channel present)."""
    groups: dict[str, list[KeepWarmRow]] = {str(c): [] for c in KEEP_WARM_CHANNELS}
    for row in rows:
        groups[row.channel].append(row)
    return groups


def keep_warm_csv(
    rows: Iterable[KeepWarmRow], *, dialect: str, translate: Callable[[str], str] = str
) -> Iterator[bytes]:
    """The keep-warm list as CSV chunks in `dialect`, labels through `translate`.

    An unknown dialect raises `Invalid` at once, before any byte is sent (`csv_chunks`)."""
    header = [
        translate(text)
        for text in (
            N_("Number"),
            N_("Name"),
            N_("Kind"),
            N_("District"),
            N_("Role"),
            N_("Channel"),
            N_("E-mail address"),
            N_("Address"),
            N_("Postcode"),
            N_("Phone"),
            N_("Ideas"),
            N_("Why not reachable"),
        )
    ]
    return csv_chunks(header, (_csv_row(row, translate) for row in rows), dialect=dialect)


def export_keep_warm(
    session: Session,
    *,
    event_id=None,
    theme=None,
    dialect: str = "excel-be",
    user_id: int | None = None,
    translate: Callable[[str], str] = str,
) -> Iterator[bytes]:
    """The keep-warm list of an event or a theme as CSV chunks, written in the export log
    (the caller commits before streaming). `Invalid` (nothing logged) for a bad scope or
    dialect."""
    rows = keep_warm_list(session, event_id=event_id, theme=theme)
    chunks = keep_warm_csv(rows, dialect=dialect, translate=translate)
    scope = {"event_id": int(event_id)} if event_id not in (None, "") else {"theme": theme}
    log_export(
        session,
        user_id=user_id,
        kind=ExportKind.KEEP_WARM,
        event_id=scope.get("event_id"),
        details={**scope, "dialect": dialect},
        rows=len(rows),
    )
    return chunks


# --- helpers -----------------------------------------------------------------------------------


def _clean_fields(session: Session, fields: dict) -> dict:
    """Validated values for the given fields; every problem reported at once."""
    cleaners = {
        "title": lambda v: clean_text(v, field="title", max_length=NAME_MAX, required=True),
        "description": lambda v: clean_text(v, field="description", max_length=TEXT_MAX) or "",
        "theme": lambda v: _theme(session, v, field="theme", required=False),
        "event_id": lambda v: _event(session, v, field="event_id", required=False),
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


def _theme(session: Session, raw, *, field: str, required: bool = True) -> Theme | None:
    text = clean_text(raw, field=field, max_length=100, required=required)
    if text is None:
        return None
    theme = session.scalar(select(Theme).where(Theme.name == text))
    if theme is None:
        raise Invalid.on(field, N_("Unknown theme(s): %(names)s."), names=echo(text))
    return theme


def _event(session: Session, raw, *, field: str, required: bool = True) -> Event | None:
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
            errors.append(
                Message(N_("%(name)s is archived: restore the actor first."), name=actor.name)
            )
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
    ident = as_id(idea_id)
    idea = (
        session.scalar(
            select(Idea)
            .where(Idea.id == ident)
            .with_for_update(of=Idea)  # not the joined theme: PostgreSQL refuses that
            .execution_options(populate_existing=True)
        )
        if ident is not None
        else None
    )
    if idea is None:
        raise NotFound("idea", idea_id)
    return idea


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
    latest = _latest_updates(session, [idea.id]).get(idea.id)
    if latest is not None and latest.status != idea.status:
        idea.status = latest.status
        idea.updated_at = now
    return update


def _latest_updates(session: Session, idea_ids: list[int]) -> dict[int, IdeaUpdate]:
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


def _row(actor: Actor, participant: bool, ideas: list[KeepWarmIdea]) -> KeepWarmRow:
    channel, reasons = keep_warm_channel(actor)
    roles = ((PARTICIPANT,) if participant else ()) + ((OWNER,) if ideas else ())
    return KeepWarmRow(
        actor_id=actor.id,
        name=actor.name,
        kind=actor.kind,
        district=actor.district.name if actor.district else "",
        roles=roles,
        ideas=tuple(ideas),
        channel=str(channel),
        reasons=reasons,
        email="" if actor.do_not_email else actor.email or "",
        address=actor.address or "",
        postcode=actor.postcode or "",
        phone="" if actor.do_not_phone else display_phone(actor.phone),
    )


def _csv_row(row: KeepWarmRow, translate: Callable[[str], str]) -> list:
    ideas = "; ".join(
        f"{idea.title} ({translate(IDEA_STATUS_LABELS.get(idea.status, idea.status))}"
        + (f", {idea.updated_on.isoformat()})" if idea.updated_on else ")")
        for idea in row.ideas
    )
    return [
        row.actor_id,
        row.name,
        translate(KIND_LABELS.get(row.kind, row.kind)),
        row.district,
        ", ".join(translate(ROLE_LABELS[r]) for r in row.roles),
        translate(KEEP_WARM_CHANNEL_LABELS[row.channel]),
        row.email,
        row.address,
        row.postcode,
        row.phone,
        ideas,
        ", ".join(translate(LEFT_OUT_REASONS[r]) for r in row.reasons),
    ]


def _conflict_message() -> Message:
    return Message(N_("Someone else saved this idea in the meantime. Your changes were not saved."))


@contextmanager
def _conflict_when_stale(session: Session):
    """Turn a save over a colleague's newer version (StaleDataError) into `Conflict`."""
    try:
        yield
    except StaleDataError:
        session.rollback()
        raise Conflict(_conflict_message()) from None
