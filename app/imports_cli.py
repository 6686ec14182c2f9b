"""`flask import ...`: import a list of actors or the KBO register, and undo an import.

The same crm.imports.records and crm.kbo functions as the import pages and the API: a dry run
first (with a progress bar), then the import, all or nothing, in one transaction. Messages are
in the app's default language (Dutch) unless --lang asks for another.

Exit status: 0 done, 1 rows in error (nothing stored), 2 a problem with the command itself
(an unreadable file or mapping, no name column, an unknown account or import).
"""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext
from tqdm import tqdm

from app.analysis import reading_session
from app.extensions import db
from app.i18n import label, translate_message
from crm.imports.plan import DUPLICATE, ERROR, ImportPlan, Progress
from crm.imports.records import check_upload, import_draft, start_import, undo_import
from crm.kbo import check_kbo, import_kbo
from crm.messages import Invalid, NotFound
from crm.users import find_user_by_email

ROWS_INVALID = 1  # exit status: rows in error, nothing stored
USAGE = 2  # exit status: the command cannot run as asked (click's own usage errors are 2 too)
LANGUAGES = click.Choice(["nl", "en"])

imports = AppGroup("import", help="Import actors from a list (CSV, XLSX) or the KBO register.")


@imports.command("actors")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(path_type=Path), help="JSON file {header: field}.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would happen.")
@click.option("--skip-invalid", is_flag=True, help="Import the other rows when some are bad.")
@click.option("--user", "email", default=None, help="The account the import is recorded for.")
@click.option("--lang", type=LANGUAGES, default=None, help="Language of the messages.")
def import_actors(
    file: Path,
    mapping: Path | None,
    dry_run: bool,
    skip_invalid: bool,
    email: str | None,
    lang: str | None,
) -> None:
    """Import the actors of a CSV or XLSX file, all or nothing (the dry run first)."""
    with _language(lang):
        user_id = _user_id(email)
        columns = _read_mapping(mapping) if mapping else None
        data = _read_bytes(file)
        db.session.commit()  # the check reads for seconds: off the write lock (SQLite)
        try:
            with _progress_bar() as progress, reading_session() as reader:
                columns, plan = check_upload(
                    reader, data=data, file_name=file.name, mapping=columns, progress=progress
                )
        except Invalid as error:
            _fail(gettext("The file cannot be imported:"), error)
        _print_plan(plan)
        if dry_run:
            _nothing_stored(gettext("Dry run: nothing was stored."))
        _refuse_rows_in_error(plan, skip_invalid)
        record, _table = start_import(
            db.session, data=data, file_name=file.name, created_by_id=user_id, mapping=columns
        )
        outcome = import_draft(
            db.session, record.id, user_id=user_id, skip_invalid=skip_invalid, checked=plan
        )
        db.session.commit()
        _print_done(outcome.import_id, outcome.new, outcome.updated)


@imports.command("kbo")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--postcode", "postcodes", multiple=True, required=True, help="Repeat for each postcode."
)
@click.option("--dry-run", is_flag=True, help="Check the extract and say what would happen.")
@click.option("--skip-invalid", is_flag=True, help="Import the other enterprises when some fail.")
@click.option("--user", "email", default=None, help="The account the import is recorded for.")
@click.option("--lang", type=LANGUAGES, default=None, help="Language of the messages.")
def import_kbo_command(
    directory: Path,
    postcodes: tuple[str, ...],
    dry_run: bool,
    skip_invalid: bool,
    email: str | None,
    lang: str | None,
) -> None:
    """Import the enterprises of the KBO Open Data extract in DIRECTORY with their registered
    office in the postcodes (a re-import updates them)."""
    with _language(lang):
        user_id = _user_id(email)
        db.session.commit()  # the check reads for seconds: off the write lock (SQLite)
        try:
            with _progress_bar() as progress, reading_session() as reader:
                checked = check_kbo(reader, directory, postcodes=postcodes, progress=progress)
        except Invalid as error:
            _fail(gettext("The extract cannot be imported:"), error)
        report = checked.report
        click.echo(
            gettext(
                "Read %(read)d enterprises: %(kept)d to import in the chosen postcodes, "
                "%(skipped)d left out there (stopped, without a name or with an invalid number)."
            )
            % {"read": report.read, "kept": report.kept, "skipped": len(report.skipped)}
        )
        _print_plan(checked.plan)
        if dry_run:
            _nothing_stored(gettext("Dry run: nothing was stored."))
        _refuse_rows_in_error(checked.plan, skip_invalid)
        outcome = import_kbo(
            db.session,
            directory,
            postcodes=postcodes,
            user_id=user_id,
            skip_invalid=skip_invalid,
            checked=checked,
        ).outcome
        db.session.commit()
        _print_done(outcome.import_id, outcome.new, outcome.updated)


@imports.command("undo")
@click.argument("import_id", type=click.IntRange(min=1))
@click.option("--user", "email", default=None, help="The account the undo is recorded for.")
@click.option("--lang", type=LANGUAGES, default=None, help="Language of the messages.")
def undo_command(import_id: int, email: str | None, lang: str | None) -> None:
    """Take an import back as a whole (refused when its actors changed since)."""
    with _language(lang):
        user_id = _user_id(email)
        try:
            undo_import(db.session, import_id, user_id=user_id)
        except NotFound as missing:
            db.session.rollback()
            _exit(translate_message(missing.message))
        except Invalid as error:
            _fail(gettext("The import was not undone:"), error)
        db.session.commit()
        click.echo(gettext("Import %(id)d was undone.") % {"id": import_id})


# --- reading the command's input ---------------------------------------------------------------


@contextmanager
def _language(lang: str | None) -> Iterator[None]:
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def _user_id(email: str | None) -> int | None:
    if email is None:
        return None
    try:
        return find_user_by_email(db.session, email).id
    except NotFound:
        db.session.rollback()
        _exit(gettext("There is no account for %(email)s.") % {"email": email})


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        _exit(
            gettext("%(file)s cannot be read: %(problem)s")
            % {"file": path, "problem": error.strerror or error}
        )


def _read_mapping(path: Path) -> dict[str, str | None]:
    """The JSON object {column header: field or null} of a --mapping file."""
    try:
        columns = json.loads(_read_bytes(path))
    except ValueError:
        columns = None
    if not isinstance(columns, dict) or not all(
        isinstance(field, str | None) for field in columns.values()
    ):
        _exit(
            gettext(
                "%(file)s is not a column mapping: write a JSON object of column names to "
                'fields, such as {"Naam": "name", "GSM": "phone"}.'
            )
            % {"file": path}
        )
    return columns


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """A progress bar on stderr, as the `progress` callback of the crm functions; none when
    stderr is not a terminal (a log file of cron gets no bar drawings)."""
    with tqdm(total=0, unit=" rows", file=sys.stderr, leave=False, disable=None) as bar:

        def progress(step: str, done: int, total: int) -> None:
            bar.set_description(label("job_step", step), refresh=False)
            bar.total, bar.n = total, done
            bar.refresh()

        yield progress


# --- printing ------------------------------------------------------------------------------------


def _print_plan(plan: ImportPlan) -> None:
    """The counts, then each row in error (cell and message) and each possible duplicate."""
    counts = plan.counts
    click.echo(
        gettext(
            "New: %(new)d, updated: %(update)d, unchanged: %(unchanged)d, possible duplicates: "
            "%(duplicate)d, errors: %(error)d."
        )
        % counts
    )
    for row in plan.rows:
        if row.action == ERROR:
            for cell in row.errors:
                for message in cell.messages:
                    click.echo(
                        gettext("Row %(row)d, cell %(cell)s (%(column)s): %(message)s")
                        % {
                            "row": row.number,
                            "cell": cell.cell,
                            "column": cell.column,
                            "message": translate_message(message),
                        }
                    )
        elif row.action == DUPLICATE:
            for match in row.matches:
                click.echo(
                    gettext("Row %(row)d (%(name)s) may be %(whom)s: %(reasons)s.")
                    % {
                        "row": row.number,
                        "name": row.name,
                        "whom": _whom(match),
                        "reasons": ", ".join(label("duplicate_reason", r) for r in match.reasons),
                    }
                )


def _whom(match) -> str:
    if match.actor_id is None:
        return gettext("row %(row)d of the file") % {"row": match.row}
    return gettext("%(name)s (actor %(id)d)") % {"name": match.name, "id": match.actor_id}


def _refuse_rows_in_error(plan: ImportPlan, skip_invalid: bool) -> None:
    if plan.counts[ERROR] and not skip_invalid:
        db.session.rollback()
        _exit(
            gettext(
                "Nothing was stored: correct the rows in error, or run the command again with "
                "--skip-invalid to leave them out."
            ),
            status=ROWS_INVALID,
        )


def _print_done(import_id: int, new: int, updated: int) -> None:
    click.echo(
        gettext("Import %(id)d done: %(new)d new actors, %(updated)d updated.")
        % {"id": import_id, "new": new, "updated": updated}
    )
    click.echo(gettext("Undo it with: flask --app app import undo %(id)d") % {"id": import_id})


def _nothing_stored(message: str) -> NoReturn:
    """End a dry run: roll back (the draft too) and exit 0."""
    db.session.rollback()
    click.echo(message)
    raise SystemExit(0)


def _fail(headline: str, error: Invalid) -> NoReturn:
    """Roll back, print the problem with each field's messages in the language, exit 2."""
    db.session.rollback()
    click.echo(headline, err=True)
    for field, messages in error.errors.items():
        for message in messages:
            click.echo(f"  {field}: {translate_message(message)}", err=True)
    raise SystemExit(USAGE)


def _exit(message: str, *, status: int = USAGE) -> NoReturn:
    db.session.rollback()
    click.echo(message, err=True)
    raise SystemExit(status)
