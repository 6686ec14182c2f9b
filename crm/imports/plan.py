"""The dry run of an import: what each row of a list would do, before anything is written.

A row is one of:
- `error`: a cell cannot be read (which cell, what is wrong); the import stops on it unless the
  user chose to skip the rows in error;
- `new`: nobody stored looks like it;
- `update` / `unchanged`: it is an actor already stored, recognised for sure: the same
  enterprise number, or the same name (after folding case, accents and legal forms) with the same
  phone, e-mail or address and nothing contradicting; `update` names the fields the file
  fills in differently (an empty cell never erases a stored value; themes are added; a name
  that differs only in case, accents or legal form keeps the team's own spelling);
- `duplicate`: it may be someone stored (with whom and why: crm.duplicates), or an earlier row of
  the same file: it is left out unless the user adds it anyway.

A row of a Sint-Niklaas postcode that two districts share (9100) and no district cell carries a
`question`: the user picks the district, or the actor is stored without one.

The same functions check a file (page, CLI, API) and the KBO register's enterprises.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.actors import (
    ARCHIVED_MESSAGE,
    WRITABLE_FIELDS,
    choices_of_districts,
    choices_of_themes,
    clean_plain_fields,
)
from crm.duplicates import (
    ActorFacts,
    DuplicateIndex,
    address_key,
    email_key,
    name_key,
    phone_key,
    stored_facts,
)
from crm.imports.columns import Ambiguous, check_mapping, district_for_postcode, map_value
from crm.imports.files import Table
from crm.messages import N_, Invalid, Message
from crm.models import Actor
from crm.versioning import current_data_version

NEW, UPDATE, UNCHANGED, DUPLICATE, ERROR = "new", "update", "unchanged", "duplicate", "error"
ACTIONS = (NEW, UPDATE, UNCHANGED, DUPLICATE, ERROR)
# The fields a list can fill in: an actor's writable fields; the register adds its number.
IMPORT_FIELDS = WRITABLE_FIELDS
KBO_FIELD = "enterprise_number"
CHECK_STEP = "checking"

NAME_MISSING = N_("The name is empty: every actor needs a name.")
UNKNOWN_FIELD = N_("'%(field)s' is not a field an import can fill in.")
FIELD_TWICE = N_("Two columns are mapped to %(field)s: map one of them to nothing.")
NO_SUCH_COLUMN = N_("The file has no column '%(column)s'.")

Progress = Callable[[str, int, int], None]


def no_progress(step: str, done: int, total: int) -> None:
    """The progress callback of a caller that shows none."""
    return None


@dataclass(frozen=True)
class CellError:
    """What is wrong in one cell: its column header, Excel reference ("D7") and messages."""

    column: str
    cell: str
    messages: tuple[Message, ...]


@dataclass(frozen=True)
class Match:
    """A stored actor (or an earlier row, `actor_id` None) a row may be, and why."""

    actor_id: int | None
    name: str
    reasons: tuple[str, ...]
    row: int | None = None  # the earlier row of the same file


@dataclass(frozen=True)
class RowInput:
    """One row to import: its number, the values read (for create_actor) and its cell errors."""

    number: int
    values: dict
    errors: tuple[CellError, ...] = ()
    question: tuple[str, ...] = ()  # districts to choose from (a shared postcode)


@dataclass(frozen=True)
class PlannedRow:
    """What importing one row would do."""

    number: int
    action: str
    values: dict
    actor_id: int | None = None  # the stored actor it updates or leaves unchanged
    changes: tuple[str, ...] = ()  # fields an update changes
    matches: tuple[Match, ...] = ()  # possible duplicates
    errors: tuple[CellError, ...] = ()
    question: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.values.get("name") or ""


@dataclass
class ImportPlan:
    """The dry run: every row's action, and the data version it was checked against."""

    rows: list[PlannedRow]
    data_version: int
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = {action: 0 for action in ACTIONS}
        for row in self.rows:
            self.counts[row.action] += 1

    def rows_in_error(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == ERROR]


@dataclass(frozen=True)
class Answers:
    """The user's choices in the dry run: a district per questioned row, and the possible
    duplicates to add anyway as new actors."""

    districts: Mapping[int, str] = field(default_factory=dict)
    add_anyway: frozenset[int] = frozenset()


# --- reading the rows of a file ---------------------------------------------------------------


def check_columns(table: Table, mapping: Mapping[str, str | None]) -> dict[str, str]:
    """The mapping of the table's headers to fields, without the unmapped ones; `Invalid` when
    no column is the name, a field has two columns, or a header is not in the file."""
    chosen = {header: f for header, f in mapping.items() if f}
    for header, target in chosen.items():
        if header not in table.headers:
            raise Invalid.on("mapping", NO_SUCH_COLUMN, column=header)
        if target not in IMPORT_FIELDS:
            raise Invalid.on("mapping", UNKNOWN_FIELD, field=target)
    fields = list(chosen.values())
    twice = sorted({f for f in fields if fields.count(f) > 1})
    if twice:
        raise Invalid.on("mapping", FIELD_TWICE, field=twice[0])
    check_mapping(chosen)
    return chosen


def read_rows(
    table: Table,
    mapping: Mapping[str, str | None],
    *,
    districts: Sequence[str],
    themes: Sequence[str],
    answers: Answers = Answers(),
) -> list[RowInput]:
    """Each row of the table as actor values with its cell errors (nothing looked up)."""
    chosen = check_columns(table, mapping)
    positions = {header: table.headers.index(header) for header in chosen}
    return [
        _read_row(row.number, row.values, chosen, positions, districts, themes, answers)
        for row in table.rows
    ]


def _read_row(number, cells, chosen, positions, districts, themes, answers) -> RowInput:
    values: dict = {}
    errors: dict[str, list[Message]] = {}  # by field
    for header, target in chosen.items():
        raw = cells[positions[header]] if positions[header] < len(cells) else ""
        try:
            values[target] = map_value(target, raw, districts=districts, themes=themes)
        except Invalid as refusal:
            errors.setdefault(target, []).extend(_all_messages(refusal))
    raw_district = cells[positions[h]] if (h := _header_of(chosen, "district")) else None
    question: tuple[str, ...] = ()
    if "district" not in errors:
        try:
            values["district"], question = _district(values, raw_district, number, answers)
        except Invalid as refusal:
            errors.setdefault("district", []).extend(_all_messages(refusal))
    if not values.get("name") and "name" not in errors:
        errors["name"] = [Message(NAME_MISSING)]
    values = {k: v for k, v in values.items() if v is not None}
    try:
        # map_value validated phones, e-mails and choices already (an e-mail costs 150 µs:
        # 1.5 s of a 10 000-row list to do twice); the other cells are validated here.
        values = {**values, **clean_plain_fields(_unchecked(values))}
    except Invalid as refusal:
        for target, messages in refusal.errors.items():
            errors.setdefault(target, []).extend(messages)
    cell_errors = tuple(
        CellError(
            column=_header_of(chosen, target) or target,
            cell=_cell(positions.get(_header_of(chosen, target)), number),
            messages=tuple(messages),
        )
        for target, messages in errors.items()
    )
    return RowInput(number=number, values=values, errors=cell_errors, question=question)


# The fields map_value passes on as typed, for create_actor's own validation.
CHECKED_LATER = frozenset({"name", "address", "postcode", "influence", "interest", "notes"})


def _unchecked(values: dict) -> dict:
    return {name: value for name, value in values.items() if name in CHECKED_LATER}


def _district(values: dict, raw_district, number: int, answers: Answers):
    """The row's district and, for a shared postcode nobody chose for, the question."""
    from_postcode = district_for_postcode(values.get("postcode"), named=raw_district)
    if isinstance(from_postcode, Ambiguous):
        chosen = answers.districts.get(number)
        if chosen in from_postcode.choices:
            return chosen, ()
        return None, from_postcode.choices
    return from_postcode or values.get("district"), ()


def _header_of(chosen: Mapping[str, str], target: str) -> str | None:
    return next((header for header, f in chosen.items() if f == target), None)


def _cell(position: int | None, number: int) -> str:
    """The Excel reference of a cell: column letters and row number ("AB12")."""
    if position is None:
        return str(number)
    letters, n = "", position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{number}"


def _all_messages(refusal: Invalid) -> list[Message]:
    return [message for messages in refusal.errors.values() for message in messages]


# --- checking the rows against the stored actors ------------------------------------------


def plan_file(
    session: Session,
    table: Table,
    mapping: Mapping[str, str | None],
    *,
    answers: Answers = Answers(),
    progress: Progress = no_progress,
) -> ImportPlan:
    """The dry run of a file with this column mapping: every row's action (nothing written)."""
    rows = read_rows(
        table,
        mapping,
        districts=choices_of_districts(session),
        themes=choices_of_themes(session),
        answers=answers,
    )
    return plan_rows(session, rows, answers=answers, progress=progress)


def plan_rows(
    session: Session,
    rows: Sequence[RowInput],
    *,
    answers: Answers = Answers(),
    progress: Progress = no_progress,
) -> ImportPlan:
    """What each row would do against the actors stored now (module docstring)."""
    version = current_data_version(session)
    total = len(rows)
    progress(CHECK_STEP, 0, total)
    facts = stored_facts(session)
    readable = [row for row in rows if not row.errors]
    matches = _matches_by_row(readable, facts, lambda done, _of: progress(CHECK_STEP, done, total))
    by_number = _known_by_enterprise_number(session, readable)
    stored = _stored_actors(session, readable, matches, by_number, facts)
    planned, first_rows = [], {}
    for row in rows:  # fast: the progress moved while the rows were compared (the slow part)
        planned.append(_plan_row(row, matches, by_number, stored, facts, first_rows, answers))
    progress(CHECK_STEP, total, total)
    return ImportPlan(rows=planned, data_version=version)


def _facts_of(values: Mapping) -> ActorFacts:
    return ActorFacts(
        name=values.get("name") or "",
        kind=values.get("kind"),
        phone=values.get("phone"),
        email=values.get("email"),
        address=values.get("address"),
        postcode=values.get("postcode"),
    )


def _matches_by_row(
    rows: Sequence[RowInput], facts: Mapping[int, ActorFacts], progress=None
) -> dict:
    """The stored actors each readable row may be: row number -> [DuplicateMatch], best first.
    `progress(done, total)` is told how many rows were compared."""
    if not rows or not facts:
        return {}
    found = DuplicateIndex(facts).find([_facts_of(row.values) for row in rows], progress=progress)
    by_row: dict[int, list] = {}
    for match in found:
        by_row.setdefault(rows[match.candidate].number, []).append(match)
    return by_row


def _known_by_enterprise_number(session: Session, rows: Sequence[RowInput]) -> dict[str, int]:
    numbers = [row.values[KBO_FIELD] for row in rows if row.values.get(KBO_FIELD)]
    found: dict[str, int] = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        query = select(Actor.enterprise_number, Actor.id).where(Actor.enterprise_number.in_(chunk))
        found.update({number: actor_id for number, actor_id in session.execute(query)})
    return found


def _stored_actors(session, rows, matches, by_number, facts) -> dict[int, Actor]:
    """The stored actors a row may update, loaded at once (by id)."""
    wanted = set(by_number.values())
    for row in rows:
        same = _same_actor(row, matches.get(row.number, ()), facts)
        if same is not None:
            wanted.add(same)
    actors: dict[int, Actor] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        actors.update({a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(chunk)))})
    return actors


# A stored actor's name key is asked for once per row it matches, twice per check (the
# common names match hundreds of rows of a long list).
_stored_name_key = lru_cache(maxsize=100_000)(name_key)


def _same_actor(row: RowInput, found: Iterable, facts: Mapping[int, ActorFacts]) -> int | None:
    """The one stored actor this row surely is: the same name key and a shared phone, e-mail or
    address (the index leaves out matches a different phone, e-mail or address contradicts)."""
    key = name_key(row.values.get("name") or "")
    sure = [
        match.existing_id
        for match in found
        if _stored_name_key(facts[match.existing_id].name) == key
        and set(match.reasons) & {"phone", "email", "address"}
    ]
    return sure[0] if len(sure) == 1 else None


def _plan_row(row, matches, by_number, stored, facts, first_rows, answers) -> PlannedRow:
    if row.errors:
        return PlannedRow(row.number, ERROR, row.values, errors=row.errors, question=row.question)
    earlier = _earlier_row(row, first_rows)
    if earlier is not None and row.number not in answers.add_anyway:
        name = row.values["name"]
        same = Match(actor_id=None, name=name, reasons=("same_row",), row=earlier)
        return PlannedRow(row.number, DUPLICATE, row.values, matches=(same,))
    found = matches.get(row.number, [])
    number = row.values.get(KBO_FIELD)
    actor_id = by_number.get(number) if number else _same_actor(row, found, facts)
    if actor_id is not None and ("actor", actor_id) in first_rows:
        # Two rows of the file are the same stored actor: the first one updates it.
        same = Match(
            actor_id=None,
            name=row.values["name"],
            reasons=("same_row",),
            row=first_rows[("actor", actor_id)],
        )
        return PlannedRow(row.number, DUPLICATE, row.values, matches=(same,))
    if actor_id is not None and stored[actor_id].archived:
        # Found by its enterprise number (archived actors are out of duplicate detection):
        # archived actors are read-only until restored.
        message = Message(ARCHIVED_MESSAGE, name=stored[actor_id].name)
        error = CellError(column=KBO_FIELD, cell=str(row.number), messages=(message,))
        return PlannedRow(row.number, ERROR, row.values, errors=(error,))
    if actor_id is not None:
        first_rows[("actor", actor_id)] = row.number
        changes = _changes(stored[actor_id], row.values)
        action = UPDATE if changes else UNCHANGED
        return PlannedRow(
            row.number, action, row.values, actor_id=actor_id, changes=changes, question=()
        )
    if found and row.number not in answers.add_anyway:
        candidates = tuple(
            Match(m.existing_id, facts[m.existing_id].name, m.reasons) for m in found[:5]
        )
        return PlannedRow(
            row.number, DUPLICATE, row.values, matches=candidates, question=row.question
        )
    return PlannedRow(row.number, NEW, row.values, question=row.question)


def _earlier_row(row: RowInput, first_rows: dict) -> int | None:
    """The number of an earlier row of the file with the same name and phone, e-mail or
    address (a list with someone on it twice); remembers this row's keys."""
    name = name_key(row.values.get("name") or "")
    values = row.values
    keys = [
        ("phone", phone_key(values.get("phone"))),
        ("email", email_key(values.get("email"))),
        ("address", address_key(values.get("address"), values.get("postcode"))),
        (KBO_FIELD, values.get(KBO_FIELD)),
    ]
    keys = [(name, kind, key) for kind, key in keys if key] or [(name, "name", "")]
    for key in keys:
        if key in first_rows:
            return first_rows[key]
    for key in keys:
        first_rows[key] = row.number
    return None


def _changes(actor: Actor, values: Mapping) -> tuple[str, ...]:
    """The fields the row fills in differently from the stored actor (themes: new ones)."""
    changed = []
    for name, value in values.items():
        if name == "name" and name_key(value) == name_key(actor.name):
            continue  # the same name in other letters ("bv", capitals): the team's spelling stays
        if name == "themes":
            if set(value) - {theme.name for theme in actor.themes}:
                changed.append(name)
        elif name == "district":
            if value != (actor.district.name if actor.district else None):
                changed.append(name)
        elif value != getattr(actor, name):
            changed.append(name)
    return tuple(changed)
