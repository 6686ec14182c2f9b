"""Files people open in a spreadsheet: safe cells, CSV dialects, the export log, and the
invitation list exports (CSV, XLSX, the printable call sheet)."""

import csv
import io
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.channels import ContactDetails, blocked_reason, contact_details_columns
from crm.clock import utcnow
from crm.events import get_event
from crm.messages import N_, Invalid
from crm.models import Actor, District, Event, ExportLog, Invitation
from crm.paging import Page, paginate
from crm.validation import display_phone, echo, search_key
from crm.vocabulary import (
    CHANNEL_LABELS,
    COLUMN_LABELS,
    INVITATION_STATUS_LABELS,
    KIND_LABELS,
    Channel,
    ExportKind,
    LeftOutReason,
)

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
    """The CSV file as UTF-8 chunks to stream, every cell through `safe_cell`; an unknown
    dialect raises `Invalid` at once, before any byte is made."""
    return _csv_chunks(header, rows, *CSV_DIALECTS[check_dialect(dialect)])


def _csv_chunks(header, rows, delimiter: str, bom: str) -> Iterator[bytes]:
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


# --- invitation lists: CSV, XLSX and the call sheet ---------------------------------------------

# The columns of an invitation export (their titles: vocabulary.COLUMN_LABELS).
INVITATION_COLUMNS = (
    "name",
    "kind",
    "district",
    "channel",
    "status",
    "phone",
    "email",
    "address",
    "postcode",
)
DEFAULT_DIALECT = "excel-be"
STREAM_ROWS = 1000  # rows fetched per round trip while streaming; memory stays flat
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The invite channels in the order of the call sheet: people to phone and visit first.
CALL_SHEET_ORDER = (Channel.PHONE, Channel.VISIT, Channel.SMS, Channel.LETTER, Channel.EMAIL)
FORMATS = {
    ExportKind.INVITATIONS_CSV: "csv",
    ExportKind.INVITATIONS_XLSX: "xlsx",
    ExportKind.CALL_SHEET: "html",
}

# What decides whether an invitation's channel is blocked (crm.channels.blocked_reason): the
# channel and the actor's contact details (their SQL twin). The counting pass groups by exactly
# these values and the streaming pass looks each row's values up in the result, so the two
# passes agree by construction.
_BLOCKING_COLUMNS = (
    Invitation.channel,
    *contact_details_columns(),
    Actor.archived,  # archived actors leave every list and export (crm.actors.set_archived)
)


class _Reasons(dict):
    """Blocking key -> reason (None: the channel can be used), filled on first sight."""

    def __missing__(self, key: tuple) -> str | None:
        channel, *details, archived = key
        if archived:
            reason = LeftOutReason.ARCHIVED
        else:
            reason = blocked_reason(ContactDetails(*details), channel)
        self[key] = reason
        return reason


def _blocking_key(row) -> tuple:
    return (row.channel, *(bool(value) for value in row[1:8]))


@dataclass(frozen=True)
class InvitationExport:
    """One export of an event's invitation list, counted before its body is streamed: how many
    rows it holds and how many invitations are left out, per reason (a LeftOutReason),
    because their channel is blocked now (a do-not flag set after the list was built, a phone
    number removed) or the actor was archived."""

    event_id: int
    event_name: str
    event_starts_at: datetime
    kind: str
    dialect: str | None
    rows: int
    left_out: dict[str, int]
    log_id: int | None = None
    _reasons: _Reasons = field(default_factory=_Reasons, repr=False, compare=False)

    @property
    def left_out_total(self) -> int:
        return sum(self.left_out.values())

    @property
    def format(self) -> str:
        return FORMATS[ExportKind(self.kind)]


def check_dialect(dialect) -> str:
    """The CSV dialect name when it is one of CSV_DIALECTS, else `Invalid` on `dialect`."""
    if dialect is None or dialect == "":
        return DEFAULT_DIALECT
    if dialect not in CSV_DIALECTS:
        raise Invalid.on(
            "dialect",
            N_("'%(value)s' is not a valid choice; choose one of: %(choices)s."),
            value=echo(str(dialect)),
            choices=", ".join(CSV_DIALECTS),
        )
    return dialect


def count_invitation_export(
    session: Session, event_id, *, kind: str, dialect: str | None = None
) -> InvitationExport:
    """What an export of the event's list will hold, from one aggregate query: the rows and the
    invitations left out per reason. `NotFound` for an unknown event, `Invalid` for a CSV
    dialect that does not exist."""
    kind = ExportKind(kind)
    event = get_event(session, event_id)
    dialect = check_dialect(dialect) if kind == ExportKind.INVITATIONS_CSV else None
    keys = (
        select(*_BLOCKING_COLUMNS)
        .select_from(Invitation)
        .join(Actor, Actor.id == Invitation.actor_id)
        .where(Invitation.event_id == event.id)
        .subquery()
    )
    groups = session.execute(select(*keys.c, func.count()).group_by(*keys.c))
    reasons, rows, left_out = _Reasons(), 0, Counter()
    for group in groups:
        reason = reasons[_blocking_key(group)]
        if reason is None:
            rows += group[-1]
        else:
            left_out[reason] += group[-1]
    return InvitationExport(
        event_id=event.id,
        event_name=event.name,
        event_starts_at=event.starts_at,
        kind=str(kind),
        dialect=dialect,
        rows=rows,
        left_out=dict(sorted(left_out.items())),
        _reasons=reasons,
    )


def start_invitation_export(
    session: Session,
    event_id,
    *,
    kind: str,
    dialect: str | None = None,
    user_id: int | None,
    now: datetime | None = None,
) -> InvitationExport:
    """Count an export of the event's invitation list and write it in the export log (the
    caller commits before streaming the body)."""
    export = count_invitation_export(session, event_id, kind=kind, dialect=dialect)
    details = {"format": export.format, "left_out": export.left_out}
    if export.dialect is not None:
        details["dialect"] = export.dialect
    entry = log_export(
        session,
        user_id=user_id,
        kind=export.kind,
        event_id=export.event_id,
        details=details,
        rows=export.rows,
        left_out=export.left_out_total,
        now=now,
    )
    return replace(export, log_id=entry.id)


def _stream_invitations(session: Session, export: InvitationExport) -> Iterator:
    """The event's invitations that can be exported (their channel not blocked), as plain rows
    streamed from the database `STREAM_ROWS` at a time: never an ORM object per row."""
    query = (
        select(
            *_BLOCKING_COLUMNS,
            Actor.name,
            Actor.kind,
            District.name.label("district"),
            Invitation.status,
            Actor.phone,
            Actor.email,
            Actor.address,
            Actor.postcode,
        )
        .select_from(Invitation)
        .join(Actor, Actor.id == Invitation.actor_id)
        .outerjoin(District, District.id == Actor.district_id)
        .where(Invitation.event_id == export.event_id)
        .order_by(Actor.search_name, Actor.id)
    )
    reasons = export._reasons
    result = session.connection().execute(query.execution_options(yield_per=STREAM_ROWS))
    try:
        for row in result:
            if reasons[_blocking_key(row)] is None:
                yield row
    finally:
        result.close()  # a download broken off: give the cursor back


def _number_to_dial(row) -> str:
    """The E.164 number a tap may call: none for an actor who asked not to be phoned (a visit
    list still shows the number, but a tap should not dial it)."""
    return "" if row.do_not_phone or not row.phone else row.phone


class _Labels:
    """The translated labels of kinds, channels and invitation statuses, each looked up once."""

    def __init__(self, translate: Callable[[str], str]):
        self.kind = {k: translate(v) for k, v in KIND_LABELS.items()}
        self.channel = {k: translate(v) for k, v in CHANNEL_LABELS.items()}
        self.status = {k: translate(v) for k, v in INVITATION_STATUS_LABELS.items()}


def _identity(text: str) -> str:
    return text


def invitation_header(translate: Callable[[str], str] = _identity) -> list[str]:
    """The translated column titles of an invitation export."""
    return [translate(COLUMN_LABELS[column]) for column in INVITATION_COLUMNS]


def invitation_rows(
    session: Session, export: InvitationExport, *, translate: Callable[[str], str] = _identity
) -> Iterator[tuple]:
    """The export's rows in INVITATION_COLUMNS order, by name, streamed: labels translated,
    phone numbers in national format ('03 778 30 60', never '+32…', which a spreadsheet reads
    as a formula or a number)."""
    labels = _Labels(translate)
    for row in _stream_invitations(session, export):
        yield (
            row.name,
            labels.kind.get(row.kind, row.kind),
            row.district or "",
            labels.channel.get(row.channel, row.channel),
            labels.status.get(row.status, row.status),
            display_phone(row.phone),
            row.email or "",
            row.address or "",
            row.postcode or "",
        )


def invitation_csv_chunks(
    session: Session, export: InvitationExport, *, translate: Callable[[str], str] = _identity
) -> Iterator[bytes]:
    """The export as a CSV file in UTF-8 chunks to stream (dialect of the export; every cell
    through `safe_cell`)."""
    rows = invitation_rows(session, export, translate=translate)
    return csv_chunks(invitation_header(translate), rows, dialect=export.dialect or DEFAULT_DIALECT)


XLSX_COLUMN_WIDTHS = (32, 20, 18, 12, 14, 16, 30, 32, 10)


def write_invitations_xlsx(
    session: Session,
    export: InvitationExport,
    out: BinaryIO,
    *,
    translate: Callable[[str], str] = _identity,
) -> int:
    """Write the export as an XLSX workbook to `out` (openpyxl write-only: rows go to a
    temporary file as they stream, memory stays flat); the number of rows written.

    Every cell is a text cell, so Excel keeps '03 778 30 60' and postcodes as typed. A value a
    spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) stays the literal text: an
    inline string, never a formula, marked with Excel's quote prefix so that editing the cell
    does not turn it into one either."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(translate(N_("Invitations"))))
    for letter, width in zip("ABCDEFGHI", XLSX_COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in invitation_header(translate):
        cell = _text_cell(sheet, title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    written = 0
    for row in invitation_rows(session, export, translate=translate):
        sheet.append([_xlsx_value(sheet, value) for value in row])
        written += 1
    workbook.save(out)
    return written


def _xlsx_value(sheet, value: str):
    """The value as openpyxl writes it as a text cell: plain text as is (a str becomes an
    inline string), text openpyxl would take for a formula or an error code as a forced text
    cell, with the quote prefix when a spreadsheet would run it."""
    formula_like = value.startswith(FORMULA_STARTS)
    # XML reads a bare CR as a line feed anyway; characters XML cannot hold are dropped.
    text = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if formula_like or text.startswith("=") or text in ERROR_CODES:
        return _text_cell(sheet, text, quote_prefix=formula_like)
    return text


def _text_cell(sheet, text: str, *, quote_prefix: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = text
    cell.data_type = "s"  # openpyxl made '=…' a formula and '#N/A' an error code
    cell.quotePrefix = quote_prefix
    return cell


def _sheet_title(text: str) -> str:
    # Excel refuses []:*?/\ in a sheet title and more than 31 characters.
    title = re.sub(r"[\[\]:*?/\\]", " ", text).strip(" '")[:31]
    return title or "Sheet1"


def download_name(prefix: str, export: InvitationExport, extension: str) -> str:
    """A file name for the download in plain ASCII: 'invitations-ideeenatelier-2026-06-24.csv'."""
    parts = [_slug(prefix), _slug(export.event_name), export.event_starts_at.strftime("%Y-%m-%d")]
    return "-".join(part for part in parts if part) + "." + extension


def _slug(text: str, max_length: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].strip("-")


# --- the call sheet / visit list ---------------------------------------------------------------


@dataclass(frozen=True)
class CallSheetRow:
    """One invitee on the call sheet: who, and how to reach them."""

    name: str
    kind: str  # label
    status: str  # label
    phone: str  # national format, as people read it
    email: str
    address: str
    postcode: str
    dial: str = ""  # the same number in E.164, for a tap-to-call link (tel:)


@dataclass(frozen=True)
class CallSheetDistrict:
    """The invitees of one channel in one district (None: district unknown)."""

    district: str | None
    rows: list[CallSheetRow]


@dataclass(frozen=True)
class CallSheetChannel:
    """The invitees to invite by one channel, by district."""

    channel: str
    label: str
    districts: list[CallSheetDistrict]

    @property
    def count(self) -> int:
        return sum(len(d.rows) for d in self.districts)


@dataclass(frozen=True)
class CallSheet:
    """A printable call sheet and visit list: the export's invitees grouped by channel (phone
    and visit first), then district (by name, unknown last), then by name."""

    export: InvitationExport
    channels: list[CallSheetChannel]


def call_sheet(
    session: Session, export: InvitationExport, *, translate: Callable[[str], str] = _identity
) -> CallSheet:
    """The call sheet of an export (kind `call_sheet`), labels translated."""
    labels = _Labels(translate)
    grouped: dict[str, dict[str | None, list[CallSheetRow]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in _stream_invitations(session, export):
        grouped[row.channel][row.district].append(
            CallSheetRow(
                name=row.name,
                kind=labels.kind.get(row.kind, row.kind),
                status=labels.status.get(row.status, row.status),
                phone=display_phone(row.phone),
                email=row.email or "",
                address=row.address or "",
                postcode=row.postcode or "",
                dial=_number_to_dial(row),
            )
        )
    order = [str(c) for c in CALL_SHEET_ORDER]
    channels = []
    for channel in sorted(grouped, key=lambda c: (order.index(c) if c in order else len(order), c)):
        districts = grouped[channel]
        channels.append(
            CallSheetChannel(
                channel=channel,
                label=labels.channel.get(channel, channel),
                districts=[
                    CallSheetDistrict(district, districts[district])
                    for district in sorted(districts, key=_district_order)
                ],
            )
        )
    return CallSheet(export=export, channels=channels)


def _district_order(district: str | None) -> tuple:
    return (district is None, search_key(district or ""))


# --- the export log ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRecord:
    """One line of the export log, as the log page shows it."""

    id: int
    created_at: datetime
    user_name: str | None
    kind: str
    event_id: int | None
    event_name: str | None
    details: dict
    rows: int
    left_out: int


def list_exports(session: Session, *, page: int = 1, per_page: int = 25) -> Page[ExportRecord]:
    """The export log, newest first, one page."""
    query = select(ExportLog).order_by(ExportLog.created_at.desc(), ExportLog.id.desc())
    found = paginate(session, query, page=page, per_page=per_page)
    event_ids = {entry.event_id for entry in found.items if entry.event_id is not None}
    names = {
        ident: name
        for ident, name in session.execute(
            select(Event.id, Event.name).where(Event.id.in_(event_ids))
        )
    }
    records = [
        ExportRecord(
            id=entry.id,
            created_at=entry.created_at,
            user_name=entry.user.name if entry.user else None,
            kind=entry.kind,
            event_id=entry.event_id,
            event_name=names.get(entry.event_id),
            details=_details(entry.details),
            rows=entry.rows,
            left_out=entry.left_out,
        )
        for entry in found.items
    ]
    return Page(records, found.total, found.page, found.per_page)


def _details(text: str) -> dict:
    try:
        details = json.loads(text or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}
