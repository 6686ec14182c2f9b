"""Reading the lists people have (CSV from any Excel, XLSX) into a table of text cells.

Every cell arrives as text, exactly as the user sees it: the mapping to actor fields
(crm.imports.columns) decides what a cell means. Nothing here is ever evaluated: a formula cell
arrives as its text ("=SUM(1,2)"), and the exports neutralise formulas on the way out.
"""

import csv
import io
import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from charset_normalizer import from_bytes
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from crm.messages import N_, Invalid
from crm.validation import echo

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An XLSX is a zip: a small upload can unpack to gigabytes of XML (a "zip bomb"). A real list
# compresses about tenfold, so ten times the upload limit leaves room for any honest file.
UNPACKED_RATIO = 10
MEGABYTE = 1024 * 1024
FIELD = "file"  # the field an `Invalid` about the file as a whole is reported on

SEPARATORS = (";", ",", "\t")  # in this order of preference on a tie: ';' is Belgian Excel's
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ""})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel format (.xls)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" is UTF-16 with a BOM, tabbed

TOO_LARGE = N_("The file is %(size)s MB; the limit is %(limit)s MB.")
NOT_A_TABLE = N_(
    "'%(file)s' is not a CSV or Excel (.xlsx) file. Save the list as CSV or .xlsx and upload that."
)
OLD_EXCEL = N_(
    "'%(file)s' is in the old Excel format (.xls). Open it in Excel, save it as .xlsx or CSV "
    "and upload that."
)
BROKEN_XLSX = N_(
    "'%(file)s' cannot be read as an Excel workbook: it may be damaged. Open it in Excel, save "
    "it again and upload that."
)
UNPACKS_TOO_LARGE = N_(
    "'%(file)s' unpacks to more than %(limit)s MB. Split the list into smaller files."
)
NOT_TEXT = N_(
    "'%(file)s' cannot be read as text. Save the list from Excel as CSV or .xlsx and upload that."
)
NO_ROWS = N_("'%(file)s' is empty: its first row must hold the column names.")
UNREADABLE_ROW = N_("Row %(row)d cannot be read: a cell is too long or a quote is not closed.")
UNNAMED_COLUMN = N_(
    "Column %(column)s has values but no name in the first row. Give it a name, or delete the "
    "column."
)
DUPLICATE_COLUMN = N_(
    "Two columns are called '%(name)s' (columns %(first)s and %(second)s). Give each column "
    "its own name."
)


@dataclass(frozen=True)
class RowValues:
    """One row of the file: its number as Excel shows it (the header is row 1) and its cells."""

    number: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A file read as text: column names, the non-blank rows, and how it was read."""

    headers: list[str]
    rows: list[RowValues]
    encoding: str | None  # None for XLSX (the zip's XML says its own)
    separator: str | None  # None for XLSX
    kind: str  # "csv" or "xlsx"


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Table:
    """The header and rows of a CSV or XLSX file; `Invalid` on "file" when it cannot be read."""
    refuse_too_large(len(data), max_bytes)
    name = echo(PurePath(filename).name)
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(OLE2_MAGIC) or suffix == ".xls":
        raise Invalid.on(FIELD, OLD_EXCEL, file=name)
    if suffix not in TEXT_SUFFIXES | XLSX_SUFFIXES:
        raise Invalid.on(FIELD, NOT_A_TABLE, file=name)
    if suffix in XLSX_SUFFIXES or data.startswith(ZIP_MAGIC):
        records = read_xlsx_records(data, name, max_unpacked=UNPACKED_RATIO * max_bytes)
        encoding = separator = None
        kind = "xlsx"
    else:
        text, encoding = decode_text(data, name)
        records, separator = read_csv_records(text)
        kind = "csv"
    headers, rows = table_of_records(records, name)
    return Table(headers, rows, encoding=encoding, separator=separator, kind=kind)


def refuse_too_large(size: int, max_bytes: int) -> None:
    """`Invalid` naming the limit when `size` bytes is over it."""
    if size > max_bytes:
        raise Invalid.on(
            FIELD, TOO_LARGE, size=megabytes_rounded_up(size), limit=f"{max_bytes / MEGABYTE:g}"
        )


def megabytes_rounded_up(size: int) -> str:
    """'20.1' for 20 MB and one byte: rounded down, it would read as if it were at the limit."""
    return f"{math.ceil(size * 10 / MEGABYTE) / 10:.1f}"


# --- CSV ---------------------------------------------------------------------------------------


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    Strict UTF-8 (with or without BOM) first: text in any other encoding with an accent in it
    is almost never valid UTF-8. Then Windows-1252, what Belgian Excel writes as "CSV
    (puntkomma)". charset-normalizer is asked only when neither decodes: on short lists it
    guesses badly. Measured (bench/encoding_guesses.py, charset-normalizer 3.5.3): of six
    Windows-1252 lists of two to four rows with Belgian names ("Café Élise", "François Noël",
    "Bakkerij Françoise"), it decoded three right (as cp1250) and three wrong (big5, cp850,
    cp1006: "Bakkerij Franþoise").
    """
    if data.startswith(UTF16_BOMS):
        return _without_nul(_decoded(data, "utf-16", name), name), "utf-16"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        bom = data.startswith(b"\xef\xbb\xbf")
        return _without_nul(text, name), "utf-8-sig" if bom else "utf-8"
    if b"\x00" in data:  # no list holds NUL bytes: a binary file (a PDF, an image)
        raise Invalid.on(FIELD, NOT_TEXT, file=name)
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        pass
    best = from_bytes(data).best()
    if best is None:
        raise Invalid.on(FIELD, NOT_TEXT, file=name)
    return str(best), best.encoding


def _without_nul(text: str, name: str) -> str:
    if "\x00" in text:  # no list holds NUL characters: a binary file (a PDF, an image)
        raise Invalid.on(FIELD, NOT_TEXT, file=name)
    return text


def _decoded(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise Invalid.on(FIELD, NOT_TEXT, file=name) from None


def read_csv_records(text: str) -> tuple[list[tuple[int, list[str]]], str]:
    """Each record of the text with its row number, and the separator used.

    A first line "sep=;" (which Excel writes and reads) names the separator; Excel hides that
    line, so the row after it is row 1.
    """
    lines = io.StringIO(text, newline="")
    first = lines.readline()
    if first.rstrip("\r\n")[:4].lower() == "sep=" and len(first.rstrip("\r\n")) == 5:
        separator = first.rstrip("\r\n")[4]
    else:
        lines.seek(0)
        separator = separator_of(text)
    reader = csv.reader(lines, delimiter=separator)
    records = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):  # noqa: B007 (used after the loop)
            records.append((number, record))
    except csv.Error:
        raise Invalid.on(FIELD, UNREADABLE_ROW, row=number + 1) from None
    return records, separator


def separator_of(text: str) -> str:
    """The separator that splits the first non-blank record into the most cells.

    Counting in the header only: names of columns hold no separators, where an address or a
    note in a data row often holds a comma. csv.Sniffer reads the data rows too, and guesses ','
    for a ';' file whose addresses have commas.
    """
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: len(next(csv.reader([header], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: counts[sep])  # max keeps the first on a tie


# --- XLSX --------------------------------------------------------------------------------------


def read_xlsx_records(data: bytes, name: str, *, max_unpacked: int) -> list[tuple[int, list[str]]]:
    """Each row of the first sheet with its row number, every cell as text."""
    refuse_zip_bomb(data, name, max_unpacked)
    try:
        # data_only=False: a formula arrives as its text "=SUM(1,2)", never as a cached result
        # nor evaluated; read_only streams the sheet instead of building every cell object.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises zip, XML, key and value errors for a damaged file
        raise Invalid.on(FIELD, BROKEN_XLSX, file=name) from None
    try:
        sheet = workbook.worksheets[0]
        # Read-only mode trusts the size the file declares, which other programs write wrong
        # (openpyxl's documentation): forget it and read every row that is there.
        sheet.reset_dimensions()
        return [
            (number, [cell_text(value) for value in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception:
        raise Invalid.on(FIELD, BROKEN_XLSX, file=name) from None
    finally:
        workbook.close()


def refuse_zip_bomb(data: bytes, name: str, max_unpacked: int) -> None:
    """`Invalid` when the workbook is no zip or unpacks to more than `max_unpacked` bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise Invalid.on(FIELD, BROKEN_XLSX, file=name) from None
    if unpacked > max_unpacked:
        raise Invalid.on(FIELD, UNPACKS_TOO_LARGE, file=name, limit=f"{max_unpacked / MEGABYTE:g}")


def cell_text(value) -> str:
    """A cell value as the user reads it: 478123456 not 478123456.0, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    text = getattr(value, "text", None)  # an array formula: its text, like any formula
    return str(text if isinstance(text, str) else value)


# --- both --------------------------------------------------------------------------------------


def table_of_records(records: list[tuple[int, list[str]]], name: str):
    """The headers and the non-blank rows, cells stripped, padded to the width of the table."""
    filled = [(number, [cell.strip() for cell in cells]) for number, cells in records]
    filled = [(number, cells) for number, cells in filled if any(cells)]
    if not filled:
        raise Invalid.on(FIELD, NO_ROWS, file=name)
    width = max(_last_filled(cells) for _, cells in filled)
    (_, header), *body = filled
    header = _padded(header, width)
    kept = _named_columns(header, body)
    check_headers([header[i] for i in kept], kept)
    rows = [
        RowValues(number, tuple(_padded(cells, width)[i] for i in kept)) for number, cells in body
    ]
    return [header[i] for i in kept], rows


def _last_filled(cells: list[str]) -> int:
    return max((i + 1 for i, cell in enumerate(cells) if cell), default=0)


def _padded(cells: list[str], width: int) -> list[str]:
    return (cells + [""] * width)[:width]


def _named_columns(header: list[str], body) -> list[int]:
    """The indexes of the columns to keep: every named one. A column without a name is
    dropped when it is empty (an Excel spacer column) and refused when it holds values."""
    kept = []
    for index, title in enumerate(header):
        if title:
            kept.append(index)
        elif any(index < len(cells) and cells[index] for _, cells in body):
            raise Invalid.on(FIELD, UNNAMED_COLUMN, column=get_column_letter(index + 1))
    return kept


def check_headers(headers: list[str], indexes: list[int]) -> None:
    """`Invalid` when two columns have the same name (ignoring case)."""
    seen: dict[str, int] = {}
    for title, index in zip(headers, indexes, strict=True):
        key = title.casefold()
        if key in seen:
            raise Invalid.on(
                FIELD,
                DUPLICATE_COLUMN,
                name=echo(title),
                first=get_column_letter(seen[key] + 1),
                second=get_column_letter(index + 1),
            )
        seen[key] = index
