"""The keep-warm list: the participants and idea owners of an event or a theme, each with the
latest status of their ideas and the channel to bring them the news (crm.channels.news_channel:
e-mail, else a letter, else a call; never silence), and its CSV export."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.channels import news_channel
from crm.exports import csv_chunks, log_export
from crm.ideas import event_field, latest_updates, theme_field
from crm.messages import N_, Invalid
from crm.models import Actor, Event, Idea, Invitation, event_themes
from crm.validation import display_phone
from crm.vocabulary import (
    COLUMN_LABELS,
    IDEA_STATUS_LABELS,
    KEEP_WARM_CHANNEL_LABELS,
    KEEP_WARM_CHANNELS,
    KEEP_WARM_ROLE_LABELS,
    KIND_LABELS,
    LEFT_OUT_REASON_LABELS,
    ExportKind,
    InvitationStatus,
    KeepWarmRole,
)

CSV_COLUMNS = (
    "number",
    "name",
    "kind",
    "district",
    "role",
    "channel",
    "email",
    "address",
    "postcode",
    "phone",
    "ideas",
    "why_not_reachable",
)


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

    `channel` is one of KEEP_WARM_CHANNELS; for "none", `reasons` says why (LeftOutReason
    values). Details blocked by a do-not flag are left empty; `phone` is in national format."""

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
        event = event_field(session, event_id, field="event_id")
        events = select(Event.id).where(Event.id == event.id)
        ideas_in_scope = Idea.event_id == event.id
    else:
        found = theme_field(session, theme, field="theme")
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
    latest = latest_updates(session, [i.id for i in ideas])
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
    header = [translate(COLUMN_LABELS[column]) for column in CSV_COLUMNS]
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


def _row(actor: Actor, participant: bool, ideas: list[KeepWarmIdea]) -> KeepWarmRow:
    channel, reasons = news_channel(actor)
    roles = ((KeepWarmRole.PARTICIPANT,) if participant else ()) + (
        (KeepWarmRole.OWNER,) if ideas else ()
    )
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
        ", ".join(translate(KEEP_WARM_ROLE_LABELS[r]) for r in row.roles),
        translate(KEEP_WARM_CHANNEL_LABELS[row.channel]),
        row.email,
        row.address,
        row.postcode,
        row.phone,
        ideas,
        ", ".join(translate(LEFT_OUT_REASON_LABELS[r]) for r in row.reasons),
    ]
