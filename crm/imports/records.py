"""Imports as records: an uploaded list (a draft) with its column mapping and the user's
answers; the confirmed import, all or nothing, with who, when and what it did; its undo.

The confirmed import checks the rows again inside its own transaction when anything was
written since the dry run (the data version moved), so that it never acts on a stale plan: a
row the dry run called new but that a colleague entered meanwhile is then found, not doubled.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, insert, or_, select
from sqlalchemy.orm import Session

from crm.actors import apply_values
from crm.clock import utcnow
from crm.imports.columns import guess_columns
from crm.imports.files import Table, read_table
from crm.imports.plan import (
    DUPLICATE,
    ERROR,
    KBO_FIELD,
    NEW,
    UNCHANGED,
    UPDATE,
    Answers,
    ImportPlan,
    PlannedRow,
    Progress,
    RowInput,
    check_columns,
    no_progress,
    plan_file,
    plan_rows,
)
from crm.imports.serial import row_from_data, row_to_data
from crm.messages import N_, Invalid, Np_
from crm.models import (
    NAME_MAX,
    Actor,
    ContactLog,
    District,
    ImportedActor,
    ImportMapping,
    ImportRecord,
    Invitation,
    Relation,
    Theme,
    actor_themes,
    idea_owners,
)
from crm.paging import Page, paginate
from crm.rows import get_row
from crm.validation import clean_text, search_key
from crm.versioning import bump_data_version, current_data_version

FILE, KBO = "file", "kbo"
DRAFT, IMPORTED, UNDONE = "draft", "imported", "undone"
DEFAULT_KIND = "other"  # a list without a kind column: sorted out later on the actor pages
SAVE_STEP = "saving"
CHUNK = 500  # ids per IN (...) list

ROWS_IN_ERROR = Np_(
    "%(num)d row has an error (row %(rows)s): correct the file, or choose to skip the rows "
    "in error. Nothing was imported.",
    "%(num)d rows have errors (rows %(rows)s): correct the file, or choose to skip the rows "
    "in error. Nothing was imported.",
)
NOT_A_DRAFT = N_("This import was done already; upload the file again to import it once more.")
NOT_IMPORTED = N_("Only an import that was done can be undone.")
CHANGED_SINCE = Np_(
    "The import cannot be undone: %(num)d actor was changed or contacted since (%(names)s).",
    "The import cannot be undone: %(num)d actors were changed or contacted since (%(names)s).",
)
MAPPING_NAME_TAKEN = N_("A saved mapping is called '%(name)s' already: choose another name.")


@dataclass(frozen=True)
class ImportOutcome:
    """What a confirmed import did."""

    import_id: int
    new: int
    updated: int
    unchanged: int
    duplicates: int
    errors: int  # rows in error that were skipped


# --- drafts and mappings ---------------------------------------------------------------------


def start_import(
    session: Session,
    *,
    data: bytes,
    file_name: str,
    created_by_id: int | None,
    mapping: Mapping[str, str | None] | None = None,
    now: datetime | None = None,
) -> tuple[ImportRecord, Table]:
    """A draft import of an uploaded file, read at once (`Invalid` on "file" when it cannot
    be), with the given mapping or the columns guessed from the headers."""
    table = read_table(data, file_name)
    columns = dict(mapping) if mapping else guess_columns(table.headers)
    record = _new_draft(
        session,
        source=FILE,
        file_name=clean_text(file_name, field="file", max_length=255) or "",
        data=data,
        mapping=columns,
        rows=len(table.rows),
        created_by_id=created_by_id,
        now=now,
    )
    return record, table


def check_upload(
    session: Session,
    *,
    data: bytes,
    file_name: str,
    mapping: Mapping[str, str | None] | None = None,
    progress: Progress = no_progress,
) -> tuple[dict[str, str | None], ImportPlan]:
    """The dry run of a file that is not stored as a draft (the CLI, the API): its mapping (as
    given, or guessed from the headers) and every row's action; nothing is written, so that it
    can run in a reading session, off SQLite's write lock."""
    table = read_table(data, file_name)
    columns = dict(mapping) if mapping else guess_columns(table.headers)
    return columns, plan_file(session, table, columns, progress=progress)


def _new_draft(
    session: Session,
    *,
    source: str,
    file_name: str,
    data: bytes | None,
    mapping: Mapping[str, str | None],
    rows: int,
    created_by_id: int | None,
    now: datetime | None,
) -> ImportRecord:
    record = ImportRecord(
        source=source,
        file_name=file_name[:255],
        status=DRAFT,
        data=data,
        mapping=json.dumps(dict(mapping)),
        answers="{}",
        created_by_id=created_by_id,
        created_at=now or utcnow(),
        rows=rows,
        report="[]",
    )
    session.add(record)
    session.flush()
    return record


def get_import(session: Session, import_id) -> ImportRecord:
    """The import with this id."""
    return get_row(session, ImportRecord, import_id, what="import")


def draft_table(record: ImportRecord) -> Table:
    """The draft's file, read again."""
    return read_table(record.data or b"", record.file_name)


def mapping_of(record: ImportRecord) -> dict[str, str | None]:
    """The draft's column mapping: header -> field (or None)."""
    return json.loads(record.mapping)


def answers_of(record: ImportRecord) -> Answers:
    """The user's answers to the dry run's questions."""
    data = json.loads(record.answers or "{}")
    return Answers(
        districts={int(k): v for k, v in data.get("districts", {}).items()},
        add_anyway=frozenset(int(n) for n in data.get("add_anyway", [])),
    )


def set_mapping(session: Session, import_id: int, mapping: Mapping[str, str | None]) -> None:
    """Change a draft's column mapping (checked against its file)."""
    record = _draft(session, import_id)
    check_columns(draft_table(record), mapping)
    record.mapping = json.dumps(dict(mapping))
    session.flush()


def set_answers(session: Session, import_id: int, answers: Answers) -> None:
    """Store the user's answers (districts of shared postcodes, duplicates to add anyway)."""
    record = _draft(session, import_id)
    record.answers = json.dumps(
        {
            "districts": {str(k): v for k, v in answers.districts.items()},
            "add_anyway": sorted(answers.add_anyway),
        }
    )
    session.flush()


def save_mapping(
    session: Session,
    *,
    name: str,
    columns: Mapping[str, str | None],
    created_by_id: int | None,
    now: datetime | None = None,
) -> ImportMapping:
    """Save a column mapping under a name, for the next file like it."""
    clean = clean_text(name, field="name", max_length=100, required=True)
    if session.scalar(select(exists().where(ImportMapping.name == clean))):
        raise Invalid.on("name", MAPPING_NAME_TAKEN, name=clean)
    saved = ImportMapping(
        name=clean,
        columns=json.dumps(dict(columns)),
        created_by_id=created_by_id,
        created_at=now or utcnow(),
    )
    session.add(saved)
    session.flush()
    return saved


def saved_mappings(session: Session) -> list[ImportMapping]:
    """The saved column mappings, by name."""
    return list(session.scalars(select(ImportMapping).order_by(ImportMapping.name)))


def get_mapping(session: Session, mapping_id) -> ImportMapping:
    """The saved mapping with this id."""
    return get_row(session, ImportMapping, mapping_id, what="mapping")


def mapping_for_headers(saved: ImportMapping, headers: list[str]) -> dict[str, str | None]:
    """A saved mapping applied to a file's headers: the headers it knows, the others unmapped."""
    columns = json.loads(saved.columns)
    return {header: columns.get(header) for header in headers}


def list_imports(session: Session, *, limit: int = 50) -> list[ImportRecord]:
    """The latest imports and drafts, newest first."""
    query = select(ImportRecord).order_by(ImportRecord.id.desc()).limit(limit)
    return list(session.scalars(query))


def imports_page(session: Session, *, page: int = 1, per_page: int = 25) -> Page[ImportRecord]:
    """One page of the imports and drafts, newest first."""
    query = select(ImportRecord).order_by(ImportRecord.id.desc())
    return paginate(session, query, page=page, per_page=per_page)


def planned_rows_page(
    plan: ImportPlan, *, action: str | None = None, page: int = 1, per_page: int = 50
) -> Page[PlannedRow]:
    """One page of a dry run's rows, of one action or all."""
    rows = [row for row in plan.rows if action is None or row.action == action]
    page, per_page = max(1, page), max(1, per_page)
    start = (page - 1) * per_page
    return Page(rows[start : start + per_page], len(rows), page, per_page)


def rows_left_out(record: ImportRecord) -> list[PlannedRow]:
    """The rows a done import left out (in error and skipped; possible duplicates)."""
    return [row_from_data(row) for row in json.loads(record.report or "[]")]


def rows_left_out_page(
    record: ImportRecord, *, page: int = 1, per_page: int = 50
) -> tuple[Page[PlannedRow], dict[int, int]]:
    """One page of the rows a done import left out, and the page of each row in error (row
    number -> page): a list of thousands of possible duplicates is no page to send at once."""
    rows = rows_left_out(record)
    page, per_page = max(1, page), max(1, per_page)
    start = (page - 1) * per_page
    errors = {row.number: i // per_page + 1 for i, row in enumerate(rows) if row.action == "error"}
    return Page(rows[start : start + per_page], len(rows), page, per_page), errors


def _draft(session: Session, import_id: int) -> ImportRecord:
    record = get_import(session, import_id)
    if record.status != DRAFT:
        raise Invalid.on("import", NOT_A_DRAFT)
    return record


# --- the dry run and the import ------------------------------------------------------------


def check_draft(session: Session, import_id: int, *, progress: Progress = no_progress):
    """The dry run of a draft: every row's action with its mapping and answers (no writes)."""
    record = _draft(session, import_id)
    return plan_file(
        session,
        draft_table(record),
        mapping_of(record),
        answers=answers_of(record),
        progress=progress,
    )


def import_draft(
    session: Session,
    import_id: int,
    *,
    user_id: int | None,
    skip_invalid: bool = False,
    checked: ImportPlan | None = None,
    now: datetime | None = None,
) -> ImportOutcome:
    """Import a draft, all or nothing (module docstring); `checked` is a dry run to reuse
    when nothing was written since it."""
    record = _draft(session, import_id)
    plan = checked
    if plan is None or plan.data_version != current_data_version(session):
        plan = check_draft(session, import_id)
    return apply_plan(session, record, plan, user_id=user_id, skip_invalid=skip_invalid, now=now)


def import_rows(
    session: Session,
    rows: list[RowInput],
    *,
    source: str,
    file_name: str,
    user_id: int | None,
    skip_invalid: bool = False,
    checked: ImportPlan | None = None,
    progress: Progress = no_progress,
    now: datetime | None = None,
) -> ImportOutcome:
    """Check and import rows that were not uploaded as a file (the KBO register), recorded
    as an import of `source`; `checked` is their dry run to reuse when nothing was written
    since it."""
    plan = checked
    if plan is None or plan.data_version != current_data_version(session):
        plan = plan_rows(session, rows, progress=progress)
    record = _new_draft(
        session,
        source=source,
        file_name=file_name,
        data=None,
        mapping={},
        rows=len(rows),
        created_by_id=user_id,
        now=now,
    )
    return apply_plan(session, record, plan, user_id=user_id, skip_invalid=skip_invalid, now=now)


def apply_plan(
    session: Session,
    record: ImportRecord,
    plan: ImportPlan,
    *,
    user_id: int | None,
    skip_invalid: bool,
    now: datetime | None = None,
) -> ImportOutcome:
    """Write what the plan says, in the caller's transaction; `Invalid` (nothing written) when
    a row is in error and the user did not choose to skip those."""
    in_error = plan.rows_in_error()
    if in_error and not skip_invalid:
        raise Invalid.on(
            "rows",
            ROWS_IN_ERROR,
            num=len(in_error),
            rows=", ".join(str(row.number) for row in in_error[:20])
            + (" …" if len(in_error) > 20 else ""),
        )
    now = now or utcnow()
    created = _create_actors(session, [r for r in plan.rows if r.action == NEW], now)
    updated = _update_actors(session, [r for r in plan.rows if r.action == UPDATE], now)
    _record_touched(session, record.id, created, updated)
    counts = plan.counts
    record.status, record.data = IMPORTED, None
    record.imported_by_id, record.imported_at = user_id, now
    record.new_count, record.updated_count = len(created), len(updated)
    record.unchanged_count, record.duplicate_count = counts[UNCHANGED], counts[DUPLICATE]
    record.error_count = counts[ERROR]
    left_out = [row for row in plan.rows if row.action in (ERROR, DUPLICATE)]
    record.report = json.dumps([row_to_data(row) for row in left_out])
    session.flush()
    return ImportOutcome(
        import_id=record.id,
        new=len(created),
        updated=len(updated),
        unchanged=counts[UNCHANGED],
        duplicates=counts[DUPLICATE],
        errors=counts[ERROR],
    )


def _record_touched(session: Session, import_id: int, created: list[int], updated: dict) -> None:
    """Remember which actors the import created and changed (and how), for its undo."""
    rows = [
        {
            "import_id": import_id,
            "actor_id": actor_id,
            "action": "created",
            "before": "{}",
            "version_after": 1,
        }
        for actor_id in created
    ] + [
        {
            "import_id": import_id,
            "actor_id": actor_id,
            "action": "updated",
            "before": json.dumps(before),
            "version_after": version,
        }
        for actor_id, (before, version) in updated.items()
    ]
    if rows:
        session.execute(insert(ImportedActor), rows)
        bump_data_version(session.connection())


def _create_actors(session: Session, rows: list[PlannedRow], now: datetime) -> list[int]:
    """Insert the new actors at once (Core, not one ORM object each) with their themes."""
    if not rows:
        return []
    districts = dict(session.execute(select(District.name, District.id)).all())
    themes = dict(session.execute(select(Theme.name, Theme.id)).all())
    records = [_actor_row(row.values, districts, now) for row in rows]
    # render_nulls: every row has the same columns, so they go in a few batches; without it
    # each run of rows with other empty fields is its own INSERT (2 500 rows: 1 100 of them).
    statement = insert(Actor).returning(Actor.id, sort_by_parameter_order=True)
    ids = list(session.scalars(statement.execution_options(render_nulls=True), records))
    links = [
        {"actor_id": actor_id, "theme_id": themes[name]}
        for actor_id, row in zip(ids, rows, strict=True)
        for name in row.values.get("themes", ())
    ]
    if links:
        session.execute(insert(actor_themes), links)
    return ids


def _actor_row(values: Mapping, districts: Mapping[str, int], now: datetime) -> dict:
    name = values["name"]
    return {
        "name": name,
        "search_name": search_key(name)[:NAME_MAX],
        "kind": values.get("kind") or DEFAULT_KIND,
        "district_id": districts.get(values.get("district")),
        "phone": values.get("phone"),
        "email": values.get("email"),
        "address": values.get("address"),
        "postcode": values.get("postcode"),
        "preferred_channel": values.get("preferred_channel"),
        "preferred_language": values.get("preferred_language"),
        "do_not_phone": values.get("do_not_phone", False),
        "do_not_email": values.get("do_not_email", False),
        "do_not_visit": values.get("do_not_visit", False),
        "influence": values.get("influence", 3),
        "interest": values.get("interest", 3),
        "notes": values.get("notes", ""),
        KBO_FIELD: values.get(KBO_FIELD),
        "archived": False,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _update_actors(session: Session, rows: list[PlannedRow], now: datetime) -> dict:
    """Change the stored actors the plan updates; their old values and new versions by id."""
    if not rows:
        return {}
    districts = {d.name: d for d in session.scalars(select(District))}
    themes = {t.name: t for t in session.scalars(select(Theme))}
    ids = [row.actor_id for row in rows]
    actors = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        actors.update({a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(chunk)))})
    befores = {}
    for row in rows:
        actor = actors[row.actor_id]
        befores[actor.id] = _before(actor, row.changes)
        changes = {name: row.values[name] for name in row.changes}
        if "district" in changes:
            changes["district"] = districts.get(changes["district"])
        if "themes" in changes:
            wanted = {t.name for t in actor.themes} | set(changes["themes"])
            changes["themes"] = sorted((themes[n] for n in wanted), key=lambda t: t.name)
        apply_values(actor, changes)
        actor.updated_at = now
    session.flush()
    return {actor_id: (before, actors[actor_id].version) for actor_id, before in befores.items()}


def _before(actor: Actor, changes) -> dict:
    """The values an update overwrites, to put back on undo (JSON)."""
    before = {}
    for name in changes:
        if name == "district":
            before[name] = actor.district.name if actor.district else None
        elif name == "themes":
            before[name] = [theme.name for theme in actor.themes]
        else:
            before[name] = getattr(actor, name)
    return before


# --- undo --------------------------------------------------------------------------------------


def undo_import(
    session: Session, import_id: int, *, user_id: int | None, now: datetime | None = None
) -> None:
    """Take an import back: remove the actors it created, put back what it changed; refused
    while any of them was changed, contacted, linked or invited since."""
    record = get_import(session, import_id)
    if record.status != IMPORTED:
        raise Invalid.on("import", NOT_IMPORTED)
    touched = list(
        session.scalars(select(ImportedActor).where(ImportedActor.import_id == record.id))
    )
    _refuse_when_changed_since(session, touched)
    created = [t.actor_id for t in touched if t.action == "created"]
    for start in range(0, len(created), CHUNK):
        chunk = created[start : start + CHUNK]
        session.execute(delete(actor_themes).where(actor_themes.c.actor_id.in_(chunk)))
        session.execute(delete(ImportedActor).where(ImportedActor.actor_id.in_(chunk)))
        session.execute(delete(Actor).where(Actor.id.in_(chunk)))
    _restore(session, [t for t in touched if t.action == "updated"], now or utcnow())
    if created:
        bump_data_version(session.connection())
    record.status = UNDONE
    record.undone_by_id, record.undone_at = user_id, now or utcnow()
    session.flush()


def _refuse_when_changed_since(session: Session, touched: list[ImportedActor]) -> None:
    ids = [t.actor_id for t in touched]
    expected = {t.actor_id: t.version_after for t in touched}
    created = {t.actor_id for t in touched if t.action == "created"}
    changed: list[str] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        linked = (
            exists().where(ContactLog.actor_id == Actor.id)
            | exists().where(or_(Relation.source_id == Actor.id, Relation.target_id == Actor.id))
            | exists().where(Invitation.actor_id == Actor.id)
            | exists().where(idea_owners.c.actor_id == Actor.id)
        )
        query = select(Actor.id, Actor.name, Actor.version, linked.label("linked")).where(
            Actor.id.in_(chunk)
        )
        for actor_id, name, version, is_linked in session.execute(query):
            # A contact, relation, invitation or idea of an actor the import created would go
            # with it; an actor it only changed keeps them.
            if version != expected[actor_id] or (is_linked and actor_id in created):
                changed.append(name)
    if changed:
        shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
        raise Invalid.on("import", CHANGED_SINCE, num=len(changed), names=shown)


def _restore(session: Session, updated: list[ImportedActor], now: datetime) -> None:
    districts = {d.name: d for d in session.scalars(select(District))}
    themes = {t.name: t for t in session.scalars(select(Theme))}
    for touched in updated:
        actor = session.get(Actor, touched.actor_id)
        before = json.loads(touched.before)
        if "district" in before:
            before["district"] = districts.get(before["district"])
        if "themes" in before:
            before["themes"] = sorted(
                (themes[n] for n in before["themes"] if n in themes), key=lambda t: t.name
            )
        apply_values(actor, before)
        actor.updated_at = now
    session.flush()


def imported_count(session: Session, import_id: int) -> int:
    """How many actors the import created or changed (still stored)."""
    query = select(func.count()).where(ImportedActor.import_id == import_id)
    return session.scalar(query) or 0
