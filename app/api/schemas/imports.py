"""The shapes of imports (issue 12): the form of a list, its dry run, the import done, its undo.

The request is a multipart form (a file), not a JSON body: app.api.imports reads its fields
(the form's shape is here for the OpenAPI document).
"""

from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema

from app.api.schemas.errors import Errors
from app.api.schemas.types import ANY_SPACE, Body, Count, Id, Reply, Translated
from crm.imports.files import MAX_UPLOAD_BYTES
from crm.imports.plan import ACTIONS, IMPORT_FIELDS, KBO_FIELD
from crm.vocabulary import DUPLICATE_REASON_LABELS

# A yes/no field as app.api.imports reads it: true or false (any case) or 1 or 0, trimmed;
# empty or left out: false.
FLAG = rf"^{ANY_SPACE}*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[01])?{ANY_SPACE}*$"
Flag = Annotated[str, Field(pattern=FLAG)]
Upload = Annotated[
    bytes,
    WithJsonSchema({"type": "string", "contentMediaType": "application/octet-stream"}),
]


class ImportForm(Body):
    """A list to check or import (multipart/form-data)."""

    file: Upload = Field(
        description="The list: CSV (separated by ';', ',' or tab; UTF-8 with or without BOM, "
        f"or Windows-1252) or XLSX, at most {MAX_UPLOAD_BYTES // 2**20} MB; the first row "
        "holds the column names."
    )
    mapping: str = Field(
        "",
        description="A JSON object of column names to fields (or null: not imported), e.g. "
        '{"Naam": "name", "GSM": "phone"}; without it the columns are guessed from their '
        "Dutch or English names. Fields: " + ", ".join(IMPORT_FIELDS) + ".",
    )
    dry_run: Flag = Field("", description="true: only say what an import would do.")
    skip_invalid: Flag = Field("", description="true: import the other rows when some fail.")


Action = Literal[ACTIONS]
Field_ = Literal[(*IMPORT_FIELDS, KBO_FIELD)]
Reason = Literal[tuple(DUPLICATE_REASON_LABELS)]


class CellProblem(Reply):
    """What is wrong in one cell."""

    column: str = Field(description="The column's header (or the field).")
    cell: str = Field(description='The cell as Excel names it: "C7".')
    messages: Annotated[list[Translated], Field(min_length=1)] = Field(
        description="What is wrong, in the user's language."
    )


class RowMatch(Reply):
    """A stored actor (or an earlier row of the file) the row may be."""

    actor_id: Id | None = Field(description="The stored actor; null for an earlier row.")
    name: str
    reasons: list[Reason] = Field(description="Why: same phone, e-mail, address, similar name.")
    row: int | None = Field(description="The earlier row of the same file, if it is one.")


class PlannedRow(Reply):
    """What importing one row does."""

    number: int = Field(description="The row's number as Excel shows it (the header is 1).")
    action: Action = Field(
        description="new, update (changes names the fields), unchanged, duplicate (left out; "
        "matches says with whom and why) or error (errors says which cell and what)."
    )
    values: dict[str, Any] = Field(description="The actor's fields as read from the row.")
    actor_id: Id | None = Field(description="The stored actor it updates or leaves unchanged.")
    changes: list[Field_]
    matches: list[RowMatch]
    errors: list[CellProblem]
    question: list[str] = Field(
        description="Districts to choose from (a postcode two districts share); the actor is "
        "stored without a district."
    )


class ImportCounts(Reply):
    """How many rows of each action."""

    new: Count
    update: Count
    unchanged: Count
    duplicate: Count
    error: Count


class ImportDryRun(Reply):
    """What an import of the list would do, row by row; nothing was stored."""

    counts: ImportCounts
    rows: list[PlannedRow]


class ImportDone(Reply):
    """An import done, all or nothing: its id (to undo it) and what it did."""

    import_id: Id
    new: Count = Field(description="Actors created.")
    updated: Count = Field(description="Stored actors changed.")
    unchanged: Count
    duplicates: Count = Field(description="Possible duplicates left out.")
    errors: Count = Field(description="Rows in error left out (skip_invalid).")


class ImportRefused(Errors):
    """Rows are in error and skip_invalid was not sent: nothing was stored."""

    rows: list[PlannedRow] = Field(description="The rows in error.")


class ImportUndone(Reply):
    """An import taken back as a whole."""

    import_id: Id
    status: Literal["undone"]
