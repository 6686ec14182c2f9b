"""Use cases on actors: create, update, archive, delete, find, search, spot duplicates."""

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlalchemy import and_, delete, exists, false, select, true
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from crm.clock import utcnow
from crm.edits import check_version, conflict_when_stale
from crm.messages import N_, Invalid, Message
from crm.models import (
    ADDRESS_MAX,
    NAME_MAX,
    POSTCODE_MAX,
    TEXT_MAX,
    Actor,
    ContactLog,
    District,
    Relation,
    Theme,
    actor_themes,
)
from crm.paging import Page, paginate
from crm.reach import status_condition, window_start
from crm.rows import get_row
from crm.validation import (
    clean_text,
    collect_errors,
    echo,
    parse_bool,
    parse_choice,
    parse_email,
    parse_int,
    parse_phone,
    phone_query,
    refuse_unknown_fields,
    search_key,
    storable,
)
from crm.vocabulary import Channel, Kind, Language

WRITABLE_FIELDS = (
    "name",
    "kind",
    "district",
    "themes",
    "phone",
    "email",
    "address",
    "postcode",
    "preferred_channel",
    "preferred_language",
    "do_not_phone",
    "do_not_email",
    "do_not_visit",
    "influence",
    "interest",
    "notes",
)
SORTS = ("name", "-name", "kind", "district", "last_contact", "-created")
DUPLICATE_NAME_SCORE = 90  # token_sort_ratio: 'Jan Peeters' ~ 'Peeters Jan' ~ 'Jan Peters'


@dataclass(frozen=True)
class PossibleDuplicate:
    """An existing actor that looks like the one being entered, and why."""

    actor: Actor
    reason: str  # "phone", "email" or "name"


def get_actor(session: Session, actor_id) -> Actor:
    """The actor with this id, archived or not."""
    return get_row(session, Actor, actor_id, what="actor")


def refuse_when_archived(actor, *, field: str = "actor") -> None:
    """`Invalid` when the actor is archived: archived actors are read-only until restored.

    The one rule for every write on an actor and its links (fields, relations, contacts,
    claims, invitations, idea owners); `actor` is anything with `name` and `archived`.
    Restoring and deleting for good stay allowed."""
    if actor.archived:
        raise Invalid.on(field, ARCHIVED_MESSAGE, name=actor.name)


ARCHIVED_MESSAGE = N_("%(name)s is archived: restore it first to change it.")


def create_actor(session: Session, *, now: datetime | None = None, **fields) -> Actor:
    """A new actor from the writable fields; raises `Invalid` with every problem at once."""
    refuse_unknown_fields(fields, WRITABLE_FIELDS)
    values = _clean_fields(session, {**_defaults(), **fields})
    now = now or utcnow()
    actor = Actor(created_at=now, updated_at=now, archived=False)
    apply_values(actor, values)
    session.add(actor)
    session.flush()
    return actor


def update_actor(
    session: Session, actor_id: int, *, version: int, now: datetime | None = None, **changes
) -> Actor:
    """Change the given fields when `version` is the stored one, else raise `Conflict`."""
    refuse_unknown_fields(changes, WRITABLE_FIELDS)
    actor = get_actor(session, actor_id)
    # A stale version first: the client learns the current state (archived) with its version.
    check_version(actor, version, _stale_edit(actor))
    refuse_when_archived(actor)
    values = _clean_fields(session, changes)
    apply_values(actor, values)
    actor.updated_at = now or utcnow()
    # Always write updated_at, so that the version is bumped even when only the themes (another
    # table) changed or the save lands in the same second as the last: else a stale edit of the
    # themes would overwrite a colleague's silently.
    flag_modified(actor, "updated_at")
    with conflict_when_stale(session, _STALE_SAVE):
        session.flush()
    return actor


def set_archived(
    session: Session, actor_id: int, archived: bool, *, version: int | None = None
) -> Actor:
    """Archive (drop from lists, analyses and exports, keep history) or restore an actor."""
    actor = get_actor(session, actor_id)
    if version is not None:
        check_version(actor, version, _stale_edit(actor))
    if actor.archived != archived:
        actor.archived = archived
        actor.updated_at = utcnow()
        with conflict_when_stale(session, _STALE_SAVE):
            session.flush()
    return actor


def delete_actor(session: Session, actor_id: int) -> None:
    """Remove an actor with its contacts and relations for good (administrators only)."""
    actor = get_actor(session, actor_id)
    session.execute(delete(ContactLog).where(ContactLog.actor_id == actor_id))
    session.execute(
        delete(Relation).where((Relation.source_id == actor_id) | (Relation.target_id == actor_id))
    )
    # The actor's theme links go with session.delete (its `themes` collection is loaded): a
    # Core DELETE of them first made that flush fail with StaleDataError ("expected to delete
    # 2 rows, 0 matched").
    session.delete(actor)
    session.flush()


def search_actors(
    session: Session,
    *,
    q: str | None = None,
    kind: str | None = None,
    district: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    include_archived: bool = False,
    sort: str = "name",
    page: int = 1,
    per_page: int = 25,
    now: datetime | None = None,
    window_days: int = 180,
) -> Page[Actor]:
    """Actors matching a name, phone (any format) or e-mail search and the filters, paged.

    An unknown filter value (kind, district, theme, status) matches no actor.
    """
    conditions = [] if include_archived else [Actor.archived.is_(False)]
    if not all(storable(str(v)) for v in (q, kind, district, theme, status) if v):
        # Nothing stored holds a control character, and PostgreSQL refuses a NUL even in a
        # query parameter: such a search finds nothing instead of failing.
        conditions.append(false())
        q = kind = district = theme = status = None
    conditions += _search_conditions(q)
    if kind:
        conditions.append(Actor.kind == kind)
    if district:
        district_id = _district_id_or_none(session, district)
        # `district_id == None` would have listed every actor without a district.
        conditions.append(Actor.district_id == district_id if district_id else false())
    if theme:
        conditions.append(
            exists().where(
                actor_themes.c.actor_id == Actor.id,
                actor_themes.c.theme_id == Theme.id,
                Theme.name == theme,
            )
        )
    if status:
        conditions.append(
            status_condition(status, since=window_start(now or utcnow(), window_days))
        )
    query = select(Actor).where(*conditions)
    if sort == "district":
        query = query.outerjoin(District, Actor.district_id == District.id)
    query = query.order_by(*_ordering(sort))
    return paginate(session, query, page=page, per_page=per_page)


def find_possible_duplicates(
    session: Session,
    *,
    name: str | None = None,
    kind: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[PossibleDuplicate]:
    """Existing actors with the same phone or e-mail, or a very similar name in the same kind."""
    found: dict[int, PossibleDuplicate] = {}

    def add(actors, reason):
        for actor in actors:
            if actor.id != exclude_id and actor.id not in found:
                found[actor.id] = PossibleDuplicate(actor, reason)

    # One more than `limit` per look-up: the actor being edited (exclude_id) may be among them.
    e164 = phone_query(phone) if phone else None
    if e164:
        add(session.scalars(select(Actor).where(Actor.phone == e164).limit(limit + 1)), "phone")
    mail = _quiet(parse_email, email)
    if mail:
        add(session.scalars(select(Actor).where(Actor.email == mail).limit(limit + 1)), "email")
    if name and kind and storable(str(kind)):
        add(_similar_names(session, search_key(name), kind, limit + 1), "name")
    return list(found.values())[:limit]


def choices_of_districts(session: Session) -> list[str]:
    """District names, alphabetically."""
    return list(session.scalars(select(District.name).order_by(District.name)))


def choices_of_themes(session: Session) -> list[str]:
    """Theme names, alphabetically."""
    return list(session.scalars(select(Theme.name).order_by(Theme.name)))


def ensure_districts_and_themes(session: Session, districts, themes) -> None:
    """Create the named districts and themes that do not exist yet."""
    for model, names in ((District, districts), (Theme, themes)):
        existing = set(session.scalars(select(model.name)))
        session.add_all(model(name=n) for n in names if n not in existing)
    session.flush()


# --- helpers -------------------------------------------------------------------------------


def _defaults() -> dict:
    return {
        "name": None,  # required: validated (and refused) like any other field
        "kind": None,
        "district": None,
        "themes": [],
        "do_not_phone": False,
        "do_not_email": False,
        "do_not_visit": False,
        "influence": 3,
        "interest": 3,
        "notes": "",
    }


def _clean_fields(session: Session, fields: dict) -> dict:
    """Validated values for the given fields; every problem reported at once."""
    cleaners = {
        **PLAIN_CLEANERS,
        "district": lambda v: _district_or_none(session, v),
        "themes": lambda v: themes_by_name(session, v),
    }
    names = list(fields)
    cleaned = collect_errors(*(lambda n=n: cleaners[n](fields[n]) for n in names))
    return dict(zip(names, cleaned, strict=True))


def clean_plain_fields(fields: dict) -> dict:
    """The fields validated without the database (all but district and themes), each problem
    on its field at once; as create_actor validates them (an import checks rows with it)."""
    names = [name for name in fields if name in PLAIN_CLEANERS]
    cleaned = collect_errors(*(lambda n=n: PLAIN_CLEANERS[n](fields[n]) for n in names))
    return {**fields, **dict(zip(names, cleaned, strict=True))}


def apply_values(actor: Actor, values: dict) -> None:
    """Set validated values on the actor, and its search key from its name."""
    for name, value in values.items():
        setattr(actor, name, value)
    if "name" in values:
        # The key can be longer than the name ('ß' -> 'ss', ligatures): PostgreSQL refuses
        # more than the column holds.
        actor.search_name = search_key(values["name"])[:NAME_MAX]


def _stale_edit(actor: Actor) -> Message:
    return Message(
        N_(
            "Someone else saved %(name)s in the meantime. Your changes were not saved: "
            "check the current details and enter them again."
        ),
        name=actor.name,
    )


_STALE_SAVE = Message(
    N_("Someone else saved this actor in the meantime. Your changes were not saved.")
)


def _district_or_none(session: Session, name) -> District | None:
    text = clean_text(name, field="district", max_length=100)
    if text is None:
        return None
    district = session.scalar(select(District).where(District.name == text))
    if district is None:
        raise Invalid.on(
            "district",
            N_("'%(value)s' is not a known district; choose one of: %(choices)s."),
            value=text,
            choices=", ".join(choices_of_districts(session)),
        )
    return district


def _district_id_or_none(session: Session, name: str) -> int | None:
    return session.scalar(select(District.id).where(District.name == name))


def themes_by_name(session: Session, names) -> list[Theme]:
    """The themes of these names (a list, or text separated by commas); `Invalid` for unknown
    names."""
    if names is None:
        return []
    if isinstance(names, str):
        names = [n for n in names.split(",")]
    if not isinstance(names, list | tuple):
        raise Invalid.on("themes", N_("Give the themes as a list of names."))
    wanted = [str(n).strip() for n in names if str(n).strip()]
    askable = [n for n in wanted if storable(n)]
    themes = list(session.scalars(select(Theme).where(Theme.name.in_(askable)))) if askable else []
    unknown = sorted(set(wanted) - {t.name for t in themes})
    if unknown:
        raise Invalid.on(
            "themes", N_("Unknown theme(s): %(names)s."), names=", ".join(echo(u) for u in unknown)
        )
    return themes


def _postcode(value) -> str | None:
    text = clean_text(value, field="postcode", max_length=POSTCODE_MAX)
    if text is not None and not (text.isascii() and text.isdigit() and len(text) == 4):
        raise Invalid.on(
            "postcode", N_("'%(value)s' is not a Belgian postcode (4 digits)."), value=text
        )
    return text


# Validation of each field that needs no database (district and themes are looked up).
PLAIN_CLEANERS = {
    "name": lambda v: clean_text(v, field="name", max_length=NAME_MAX, required=True),
    "kind": lambda v: parse_choice(v, Kind, field="kind"),
    "phone": lambda v: parse_phone(v, field="phone"),
    "email": lambda v: parse_email(v, field="email"),
    "address": lambda v: clean_text(v, field="address", max_length=ADDRESS_MAX),
    "postcode": lambda v: _postcode(v),
    "preferred_channel": lambda v: parse_choice(
        v, Channel, field="preferred_channel", required=False
    ),
    "preferred_language": lambda v: parse_choice(
        v, Language, field="preferred_language", required=False
    ),
    "do_not_phone": parse_bool,
    "do_not_email": parse_bool,
    "do_not_visit": parse_bool,
    "influence": lambda v: parse_int(v, field="influence", low=1, high=5, default=3),
    "interest": lambda v: parse_int(v, field="interest", low=1, high=5, default=3),
    "notes": lambda v: clean_text(v, field="notes", max_length=TEXT_MAX) or "",
}


def _quiet(parse, value):
    try:
        return parse(value)
    except Invalid:
        return None


def _search_conditions(q: str | None) -> list:
    text = (q or "").strip()
    if not text:
        return []
    e164 = phone_query(text)
    if e164:
        return [Actor.phone == e164]
    if "@" in text:
        return [Actor.email.like(escape_like(text.lower()) + "%", escape="\\")]
    return [name_contains(text)]


def name_contains(text: str):
    """Actors whose name contains every word of `text`, in any order, each word anywhere (also
    inside a word), accents and case ignored (a SQL condition; on PostgreSQL a trigram index
    serves it: migrations/versions/0004)."""
    words = search_key(text).split()
    return and_(
        true(),
        *(Actor.search_name.like("%" + escape_like(word) + "%", escape="\\") for word in words),
    )


def escape_like(text: str) -> str:
    """Text for a LIKE pattern with `escape="\\"`: its %, _ and \\ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ordering(sort: str) -> list:
    match sort:
        case "-name":
            return [Actor.search_name.desc(), Actor.id.desc()]
        case "kind":
            return [Actor.kind, Actor.search_name, Actor.id]
        case "district":
            # By district name (joined in search_actors), not by id; actors without one last.
            return [District.name.nulls_last(), Actor.search_name, Actor.id]
        case "last_contact":
            return [Actor.last_contact_at.desc().nulls_last(), Actor.id]
        case "-created":
            return [Actor.created_at.desc(), Actor.id.desc()]
        case _:
            return [Actor.search_name, Actor.id]


def _similar_names(session: Session, key: str, kind: str, limit: int) -> list[Actor]:
    rows = session.execute(select(Actor.id, Actor.search_name).where(Actor.kind == kind)).all()
    matches = process.extract(
        key,
        {row.id: row.search_name for row in rows},
        scorer=fuzz.token_sort_ratio,
        score_cutoff=DUPLICATE_NAME_SCORE,
        limit=limit,
    )
    ids = [match[2] for match in matches]
    return [session.get(Actor, i) for i in ids]
