"""API routes of imports (issue 12): a list uploaded as a file, its dry run or its import all
or nothing, and the undo of an import; the same crm.imports.records functions as the pages
and the CLI."""

import json
from dataclasses import dataclass

from flask import request

from app.analysis import reading_session
from app.api import bp
from app.api.auth import api_user, require
from app.api.errors import GENERAL, Malformed
from app.api.payload import path_id
from app.api.schemas.imports import (
    ImportDone,
    ImportDryRun,
    ImportForm,
    ImportRefused,
    ImportUndone,
)
from app.extensions import db
from app.i18n import translate_errors
from crm.imports.files import MAX_UPLOAD_BYTES
from crm.imports.plan import ERROR
from crm.imports.records import check_upload, import_draft, start_import, undo_import
from crm.messages import N_, Invalid, Message
from crm.permissions import may_import

FORM_FIELDS = tuple(ImportForm.model_fields)  # file, mapping, dry_run, skip_invalid
# The multipart envelope and the other fields around the file: a file at the limit must reach
# crm.imports.files, which refuses a larger one naming the limit.
FORM_OVERHEAD = 64 * 1024
TRUE, FALSE = ("true", "1"), ("false", "0", "")  # any case, trimmed (schemas.imports.FLAG)


@dataclass(frozen=True)
class ImportForm:
    """What an import request sent."""

    data: bytes
    file_name: str
    mapping: dict[str, str | None] | None
    dry_run: bool
    skip_invalid: bool


@bp.post("/imports")
def post_import():
    """Check a list (dry_run) or import it all or nothing (coordinators and administrators)."""
    require(may_import)
    form = _import_form()
    user_id = api_user().id
    # The check reads for seconds: not inside this request's transaction, which on SQLite
    # holds the write lock every other request waits for (docs/imports.md#long-work-as-jobs).
    db.session.commit()
    try:
        with reading_session() as reader:
            columns, plan = check_upload(
                reader, data=form.data, file_name=form.file_name, mapping=form.mapping
            )
    except Invalid as refusal:
        raise _on_the_form(refusal) from None
    if form.dry_run:
        return ImportDryRun.of(plan).response()
    record, _table = start_import(
        db.session,
        data=form.data,
        file_name=form.file_name,
        created_by_id=user_id,
        mapping=columns,
    )
    try:
        outcome = import_draft(
            db.session, record.id, user_id=user_id, skip_invalid=form.skip_invalid, checked=plan
        )
    except Invalid as refusal:
        db.session.rollback()
        rows = [row for row in plan.rows if row.action == ERROR]
        return ImportRefused(errors=translate_errors(refusal), rows=rows).response(422)
    db.session.commit()
    return ImportDone.of(outcome).response(201)


@bp.post("/imports/<import_id>/undo")
def post_import_undo(import_id: str):
    """Take an import back as a whole (coordinators and administrators)."""
    require(may_import)
    ident = path_id(import_id, "import")
    undo_import(db.session, ident, user_id=api_user().id)
    db.session.commit()
    return ImportUndone(import_id=ident, status="undone").response()


def _import_form() -> ImportForm:
    """The multipart form's fields, their form checked (400) and known (422)."""
    if request.mimetype != "multipart/form-data":
        raise Malformed.on(
            GENERAL,
            N_("Send the list as multipart/form-data, the file in the field 'file'."),
        )
    # The upload limit of a list, not the 2 MB of a form or JSON body (config.py).
    request.max_content_length = MAX_UPLOAD_BYTES + FORM_OVERHEAD
    sent = {name or "" for name in (*request.form, *request.files)}  # a part may have no name
    unknown = sorted(sent - set(FORM_FIELDS))
    if unknown:
        raise Invalid(
            {
                name[:40] or GENERAL: [Message(N_("Unknown field '%(name)s'."), name=name[:40])]
                for name in unknown
            }
        )
    upload = request.files.get("file")
    if upload is None:
        raise Invalid.on("file", N_("This field is required."))
    return ImportForm(
        data=upload.read(),
        file_name=upload.filename or "import.csv",
        mapping=_mapping(request.form.get("mapping")),
        dry_run=_flag("dry_run"),
        skip_invalid=_flag("skip_invalid"),
    )


def _mapping(raw: str | None) -> dict[str, str | None] | None:
    """The JSON object {header: field or null} of the field 'mapping'; None when not sent."""
    if raw is None or not raw.strip():
        return None
    try:
        columns = json.loads(raw)
    except ValueError:
        columns = None
    if not isinstance(columns, dict) or not all(
        isinstance(field, str | None) for field in columns.values()
    ):
        # 422, not 400: the form field is text, as its schema says; what it means is the rule.
        raise Invalid.on(
            "mapping",
            N_('Send a JSON object of column names to fields here, e.g. {"Naam": "name"}.'),
        )
    return columns


def _flag(name: str) -> bool:
    value = request.form.get(name, "").strip().lower()
    if value not in TRUE + FALSE:
        raise Malformed.on(name, N_("Send true or false here."))
    return value in TRUE


def _on_the_form(refusal: Invalid) -> Invalid:
    """A refusal of the list on the fields the client sent: the file, else the mapping (no
    column is the name, a header not in the file, a field twice)."""
    errors: dict[str, list[Message]] = {}
    for name, messages in refusal.errors.items():
        errors.setdefault("file" if name == "file" else "mapping", []).extend(messages)
    return Invalid(errors)
