"""Merging two actors found to be one (issue 12): everything of the removed actor moves to the
kept one, the user picks each field's value, and the merge is recorded (who, when, counts).

What moves, and what happens when both actors have the same thing:
- contacts: all of them, always (the kept actor's contact dates are recomputed);
- relations: a relation between the two merged actors would link the kept actor to itself: it
  is dropped. One that the kept actor already has (same other actor and type) is joined into
  it: the higher strength, the earlier start, the later end (none: still running);
- invitations: both on the same event's list: one invitation stays, with the status furthest
  along (`STATUS_RANK`: attended beats no-show beats confirmed ...) and its attendance contact;
  the other's attendance contact stays a contact of the kept actor (a merge loses no contact);
- ideas: the kept actor carries the ideas of both (once each);
- a claim: the removed actor's claim moves when the kept actor has none;
- the rows of imports and of earlier merges that named the removed actor now name the kept one.
  An import that created or changed the removed actor can then no longer be undone: its rows
  point at the kept actor with a version the merge moved past (crm.imports.records.undo_import
  refuses), so an undo never deletes the kept actor or writes back half of it.

Themes may be taken from the kept record, the removed one, or both (their union). Merging an
actor with itself and merging an archived actor are refused (restore it first: an archived
record is out of every list, and the person merging should see what they bring back).
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from crm.actors import WRITABLE_FIELDS, apply_values, get_actor
from crm.clock import utcnow
from crm.contacts import refresh_contact_dates
from crm.edits import check_version, conflict_when_stale
from crm.jobs import DONE
from crm.messages import N_, Invalid, Message
from crm.models import (
    Actor,
    ActorClaim,
    ContactLog,
    Idea,
    ImportedActor,
    Invitation,
    Job,
    MergeRecord,
    Relation,
    idea_owners,
)
from crm.rows import lock_row
from crm.vocabulary import InvitationStatus

# The fields a merge takes from one record or the other.
MERGE_FIELDS = (*WRITABLE_FIELDS, "enterprise_number")
KEPT, REMOVED, BOTH = "kept", "removed", "both"
DUPLICATES_JOB = "duplicates"  # the job kind of a search for possible duplicates
# How far along an invitation is: of two invitations of one person to one event, the one
# furthest along stays (they came; else they did not come after all; else they said yes ...).
STATUS_RANK = {
    InvitationStatus.TO_INVITE: 0,
    InvitationStatus.INVITED: 1,
    InvitationStatus.DECLINED: 2,
    InvitationStatus.CONFIRMED: 3,
    InvitationStatus.NO_SHOW: 4,
    InvitationStatus.ATTENDED: 5,
}


@dataclass(frozen=True)
class MergeDetails:
    """What a merge record says beyond its counts: the fields taken from the removed record
    (themes: "removed" or "both"), and what was joined or dropped rather than moved."""

    fields: tuple[str, ...]
    themes: str
    relations_joined: int
    relations_dropped: int
    invitations_joined: int


class LinkCounts(NamedTuple):
    """How many contacts, relations, invitations and ideas an actor has."""

    contacts: int
    relations: int
    invitations: int
    ideas: int


def merge_actors(
    session: Session,
    kept_id,
    removed_id,
    *,
    take: Mapping[str, str],
    kept_version,
    removed_version,
    user_id: int | None,
    now: datetime | None = None,
) -> MergeRecord:
    """Move everything of the removed actor to the kept one, give the kept one the values
    `take` picks per field ("kept", "removed"; themes also "both"; a field left out: "kept"),
    delete the removed actor and record the merge. `Conflict` when either was saved since its
    version was read; `Invalid` for the same actor twice, an archived actor or a bad choice."""
    now = now or utcnow()
    choices = _choices(take)
    if str(kept_id) == str(removed_id):
        raise Invalid.on("actor", N_("An actor cannot be merged with itself."))
    kept = lock_row(session, Actor, kept_id, what="actor")
    removed = lock_row(session, Actor, removed_id, what="actor")
    for actor, version in ((kept, kept_version), (removed, removed_version)):
        check_version(actor, version, _stale(actor))
        if actor.archived:
            raise Invalid.on(
                "actor",
                N_("%(name)s is archived: restore it before merging it."),
                name=actor.name,
            )
    values = _values_taken(kept, removed, choices)
    kept_name, removed_name = kept.name, removed.name
    contacts = _move_contacts(session, kept.id, removed.id)
    relations_moved, relations_joined, relations_dropped = _move_relations(
        session, kept.id, removed.id
    )
    invitations_moved, invitations_joined = _move_invitations(session, kept.id, removed.id)
    ideas = _move_ideas(session, kept.id, removed.id)
    _move_claim(session, kept.id, removed.id)
    _move_references(session, kept, removed.id)
    session.delete(removed)
    with conflict_when_stale(session, _stale(kept)):
        session.flush()  # the removed actor is gone: its enterprise number is free for the kept
        apply_values(kept, values)
        kept.updated_at = now
        flag_modified(kept, "updated_at")  # always a new version: see _move_references
        session.flush()
    refresh_contact_dates(session, kept.id)
    _expire_moved(session)
    details = {
        "fields": [f for f in MERGE_FIELDS if choices.get(f, KEPT) != KEPT],
        "themes": choices.get("themes", KEPT),
        "relations_joined": relations_joined,
        "relations_dropped": relations_dropped,
        "invitations_joined": invitations_joined,
    }
    record = MergeRecord(
        kept_id=kept.id,
        kept_name=kept_name,
        removed_id=int(removed_id),
        removed_name=removed_name,
        fields_taken=json.dumps(details),
        contacts_moved=contacts,
        relations_moved=relations_moved,
        invitations_moved=invitations_moved,
        ideas_moved=ideas,
        merged_by_id=user_id,
        merged_at=now,
    )
    session.add(record)
    session.flush()
    return record


def merge_details(record: MergeRecord) -> MergeDetails:
    """The fields taken and the relations and invitations joined or dropped by a merge."""
    data = json.loads(record.fields_taken or "{}")
    if isinstance(data, list):  # only the fields
        data = {"fields": data}
    return MergeDetails(
        fields=tuple(data.get("fields", ())),
        themes=data.get("themes", KEPT),
        relations_joined=data.get("relations_joined", 0),
        relations_dropped=data.get("relations_dropped", 0),
        invitations_joined=data.get("invitations_joined", 0),
    )


def link_counts(session: Session, actor_id: int) -> LinkCounts:
    """How many contacts, relations, invitations and ideas the actor has (what a merge moves)."""

    def counted(query) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    return LinkCounts(
        contacts=counted(select(ContactLog.id).where(ContactLog.actor_id == actor_id)),
        relations=counted(
            select(Relation.id).where(
                (Relation.source_id == actor_id) | (Relation.target_id == actor_id)
            )
        ),
        invitations=counted(select(Invitation.id).where(Invitation.actor_id == actor_id)),
        ideas=counted(select(idea_owners.c.idea_id).where(idea_owners.c.actor_id == actor_id)),
    )


@dataclass(frozen=True)
class Comparison:
    """Two actors side by side for the merge screen: the fields where they differ and where
    they agree, what each has, and which to keep unless the user says otherwise."""

    first: Actor
    second: Actor
    differing: tuple[str, ...]
    same: tuple[str, ...]
    first_counts: LinkCounts
    second_counts: LinkCounts
    suggested_kept: str  # "first" or "second"
    suggested_take: dict[str, str]  # each differing field: "first" or "second"


def compare_actors(session: Session, first_id, second_id) -> Comparison:
    """The two actors' fields and links; keep the one with more contacts, else the older."""
    first = get_actor(session, first_id)
    second = get_actor(session, second_id)
    if first.id == second.id:
        raise Invalid.on("actor", N_("An actor cannot be merged with itself."))
    differing = tuple(n for n in MERGE_FIELDS if _comparable(first, n) != _comparable(second, n))
    first_counts, second_counts = link_counts(session, first.id), link_counts(session, second.id)
    first_kept = (-first_counts.contacts, first.created_at, first.id) <= (
        -second_counts.contacts,
        second.created_at,
        second.id,
    )
    kept_side = "first" if first_kept else "second"
    return Comparison(
        first=first,
        second=second,
        differing=differing,
        suggested_take=_suggested_take(first, second, differing, kept_side),
        same=tuple(n for n in MERGE_FIELDS if n not in differing),
        first_counts=first_counts,
        second_counts=second_counts,
        suggested_kept=kept_side,
    )


def _suggested_take(first: Actor, second: Actor, differing, kept_side: str) -> dict[str, str]:
    """The kept record's value of each differing field, unless it has none and the other has:
    a merge should not drop the address only one of the two records knew."""
    other_side = "second" if kept_side == "first" else "first"
    kept, other = (first, second) if kept_side == "first" else (second, first)
    return {
        name: other_side if _empty(kept, name) and not _empty(other, name) else kept_side
        for name in differing
    }


def _empty(actor: Actor, name: str) -> bool:
    return _comparable(actor, name) in (None, "", [])


def latest_duplicates_search(session: Session) -> Job | None:
    """The newest finished search for possible duplicates (a job of kind "duplicates")."""
    query = select(Job).where(Job.kind == DUPLICATES_JOB, Job.state == DONE)
    return session.scalars(query.order_by(Job.id.desc()).limit(1)).first()


def latest_merges(session: Session, *, limit: int = 20) -> list[MergeRecord]:
    """The most recent merges, newest first."""
    query = select(MergeRecord).order_by(MergeRecord.merged_at.desc(), MergeRecord.id.desc())
    return list(session.scalars(query.limit(limit)))


def pairs_still_present(session: Session, pairs: Iterable[dict]) -> list[dict]:
    """The pairs (dicts with first_id and second_id) whose two actors both still exist and are
    not archived: a pair merged since it was found is left out."""
    pairs = list(pairs)
    ids = {p[side] for p in pairs for side in ("first_id", "second_id")}
    present: set[int] = set()
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        present.update(
            session.scalars(select(Actor.id).where(Actor.id.in_(chunk), Actor.archived.is_(False)))
        )
    return [p for p in pairs if p["first_id"] in present and p["second_id"] in present]


# --- helpers -------------------------------------------------------------------------------


def _comparable(actor: Actor, name: str):
    if name == "themes":
        return sorted(t.name for t in actor.themes)
    if name == "district":
        return actor.district_id
    return getattr(actor, name)


def _choices(take: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(take) - set(MERGE_FIELDS))
    if unknown:
        raise Invalid.on(unknown[0], N_("Unknown field '%(name)s'."), name=unknown[0])
    for name, choice in take.items():
        allowed = (KEPT, REMOVED, BOTH) if name == "themes" else (KEPT, REMOVED)
        if choice not in allowed:
            raise Invalid.on(
                name, N_("Choose which record's value to keep for '%(name)s'."), name=name
            )
    return dict(take)


def _values_taken(kept: Actor, removed: Actor, choices: dict[str, str]) -> dict:
    """The removed actor's values of the fields taken from it (read before it is deleted)."""
    values = {}
    for name in MERGE_FIELDS:
        choice = choices.get(name, KEPT)
        if name == "themes" and choice == BOTH:
            union = {t.id: t for t in [*kept.themes, *removed.themes]}
            values["themes"] = sorted(union.values(), key=lambda t: t.name)
        elif choice == REMOVED:
            values[name] = list(removed.themes) if name == "themes" else getattr(removed, name)
    return values


def _move_contacts(session: Session, kept_id: int, removed_id: int) -> int:
    result = session.execute(
        update(ContactLog)
        .where(ContactLog.actor_id == removed_id)
        .values(actor_id=kept_id)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def _move_relations(session: Session, kept_id: int, removed_id: int) -> tuple[int, int, int]:
    """Moved, joined into one the kept actor has, dropped (between the two merged actors)."""
    moved = joined = dropped = 0
    existing = {
        (r.source_id, r.target_id, r.type): r
        for r in session.scalars(
            select(Relation).where(
                (Relation.source_id == kept_id) | (Relation.target_id == kept_id)
            )
        )
    }
    of_removed = session.scalars(
        select(Relation)
        .where((Relation.source_id == removed_id) | (Relation.target_id == removed_id))
        .order_by(Relation.id)
    )
    for relation in list(of_removed):
        source = kept_id if relation.source_id == removed_id else relation.source_id
        target = kept_id if relation.target_id == removed_id else relation.target_id
        same = existing.get((source, target, relation.type))
        if source == target:
            session.delete(relation)
            dropped += 1
        elif same is not None:
            _join_relation(same, relation)
            session.delete(relation)
            joined += 1
        else:
            relation.source_id, relation.target_id = source, target
            moved += 1
    session.flush()
    return moved, joined, dropped


def _join_relation(kept: Relation, other: Relation) -> None:
    kept.strength = max(kept.strength, other.strength)
    starts = [d for d in (kept.starts_on, other.starts_on) if d is not None]
    kept.starts_on = min(starts) if starts else None
    # No end date means the relation still runs: it outlasts any end date.
    ends = (kept.ends_on, other.ends_on)
    kept.ends_on = None if None in ends else max(ends)


def _move_invitations(session: Session, kept_id: int, removed_id: int) -> tuple[int, int]:
    """Moved, joined into the kept actor's invitation to the same event."""
    moved = joined = 0
    kept_by_event = {
        i.event_id: i
        for i in session.scalars(select(Invitation).where(Invitation.actor_id == kept_id))
    }
    for invitation in list(
        session.scalars(select(Invitation).where(Invitation.actor_id == removed_id))
    ):
        stays = kept_by_event.get(invitation.event_id)
        if stays is None:
            invitation.actor_id = kept_id
            moved += 1
            continue
        if STATUS_RANK.get(invitation.status, 0) > STATUS_RANK.get(stays.status, 0):
            for name in (
                "status",
                "channel",
                "channel_overridden",
                "attendance_contact_id",
                "status_before_attendance",
                "updated_at",
                "updated_by_id",
            ):
                setattr(stays, name, getattr(invitation, name))
        session.delete(invitation)
        joined += 1
    session.flush()
    return moved, joined


def _move_ideas(session: Session, kept_id: int, removed_id: int) -> int:
    owners = idea_owners.c
    shared = select(owners.idea_id).where(owners.actor_id == kept_id)
    session.execute(
        delete(idea_owners).where(owners.actor_id == removed_id, owners.idea_id.in_(shared))
    )
    result = session.execute(
        update(idea_owners).where(owners.actor_id == removed_id).values(actor_id=kept_id)
    )
    return result.rowcount or 0


def _move_claim(session: Session, kept_id: int, removed_id: int) -> None:
    claims = ActorClaim.__table__
    if session.scalar(select(claims.c.actor_id).where(claims.c.actor_id == kept_id)) is None:
        session.execute(
            update(claims).where(claims.c.actor_id == removed_id).values(actor_id=kept_id)
        )
    else:
        session.execute(delete(claims).where(claims.c.actor_id == removed_id))


def _move_references(session: Session, kept: Actor, removed_id: int) -> None:
    """Imports' and earlier merges' rows of the removed actor now name the kept one."""
    rows = ImportedActor.__table__
    taken = select(rows.c.import_id).where(rows.c.actor_id == kept.id)
    session.execute(delete(rows).where(rows.c.actor_id == removed_id, rows.c.import_id.in_(taken)))
    # The kept actor's version before the merge, which the merge moves past: undoing such an
    # import is refused as for any actor changed since.
    session.execute(
        update(rows)
        .where(rows.c.actor_id == removed_id)
        .values(actor_id=kept.id, version_after=kept.version)
    )
    merges = MergeRecord.__table__
    session.execute(update(merges).where(merges.c.kept_id == removed_id).values(kept_id=kept.id))


def _expire_moved(session: Session) -> None:
    # The rows moved by Core statements (idea owners, claims, import rows, merge records) may
    # be loaded in the session with their old actor: read them afresh when next used.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Idea | ActorClaim | ImportedActor | MergeRecord):
            session.expire(obj)


def _stale(actor: Actor) -> Message:
    return Message(
        N_(
            "Someone else saved %(name)s in the meantime. Nothing was merged: check both "
            "records again."
        ),
        name=actor.name,
    )
