"""Helpers for files people open in a spreadsheet (CSV reports and exports)."""

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from crm.clock import utcnow
from crm.messages import N_, Invalid
from crm.models import ExportLog
from crm.vocabulary import ExportKind

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"):
# `=HYPERLINK(...)` typed as an actor's name must stay text. Validation does not stop it:
# `=cmd@example.com` is a valid e-mail address.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a CSV cell a spreadsheet shows as text: a leading ' before a formula start.

    Numbers and None pass unchanged; only text can smuggle a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- CSV dialects and the export log ---------------------------------------------------------


# `excel-be`: what Excel on a Belgian (Dutch or French) Windows opens by double-click: `;`
# between cells and a UTF-8 byte order mark (without it Excel reads Windows-1252 and garbles
# accents). `plain`: RFC 4180 CSV in UTF-8 with `,`.
CSV_DIALECTS = {"excel-be": (";", "\ufeff"), "plain": (",", "")}
CSV_ROWS_PER_CHUNK = 500


def csv_chunks(header: Iterable, rows: Iterable[Iterable], *, dialect: str) -> Iterator[bytes]:
    """The CSV file as UTF-8 chunks to stream, every cell through `safe_cell`."""
    if dialect not in CSV_DIALECTS:
        raise Invalid.on(
            "dialect",
            N_("'%(value)s' is not a valid choice; choose one of: %(choices)s."),
            value=str(dialect)[:40],
            choices=", ".join(CSV_DIALECTS),
        )
    delimiter, bom = CSV_DIALECTS[dialect]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write(bom)
    writer.writerow([safe_cell(cell) for cell in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if number % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def log_export(
    session: Session,
    *,
    user_id: int | None,
    kind: str,
    event_id: int | None = None,
    details: Mapping | None = None,
    rows: int = 0,
    left_out: int = 0,
    now: datetime | None = None,
) -> ExportLog:
    """Write down who exported what and when (every export of personal data is logged)."""
    entry = ExportLog(
        user_id=user_id,
        kind=str(ExportKind(kind)),
        event_id=event_id,
        details=json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True),
        rows=rows,
        left_out=left_out,
        created_at=now or utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry
