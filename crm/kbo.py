"""Reading the Belgian enterprise register's open-data extract (KBO Open Data).

The extract is a folder of CSV files described in the register's "Cookbook KBO Open data":
comma-separated, a header row, text values in double quotes, empty values unquoted; one row per
enterprise in `enterprise.csv`, and rows keyed by `EntityNumber` in `denomination.csv`,
`address.csv`, `contact.csv` and `activity.csv` (an entity is an enterprise or one of its
establishment units). The code tables are in `code.csv`, which this module does not need.

The full files hold every Belgian enterprise (address.csv alone is millions of rows), so they are
streamed row by row: `address.csv` first, to find the enterprises whose registered office lies in
the chosen postcodes, then the other files filtered by that set. Only the selected enterprises
are ever held in memory.
"""

import csv
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session
from stdnum.be import vat

from crm.actors import choices_of_districts, clean_plain_fields
from crm.imports.plan import (
    KBO_FIELD,
    CellError,
    ImportPlan,
    Progress,
    RowInput,
    no_progress,
    plan_rows,
)
from crm.imports.records import KBO, ImportOutcome, import_rows
from crm.messages import N_, Invalid
from crm.validation import parse_email, parse_phone
from crm.vocabulary import Kind

ACTIVE = "AC"  # Status: the full extract also lists stopped enterprises ("ST")
REGISTERED_OFFICE = "REGO"  # TypeOfAddress: the seat ("zetel"), not an establishment unit
ENTERPRISE_CONTACT = "ENT"  # EntityContact: the enterprise's own, not an establishment's
MAIN_ACTIVITY = "MAIN"  # Classification: the main activity, not a secondary one
DUTCH = "2"  # Language: 0 unknown, 1 French, 2 Dutch, 3 German, 4 English
BELGIUM = ("", "België")  # CountryNL is empty for Belgian addresses
# TypeOfDenomination, best first: the legal name, then the commercial name, then the
# abbreviation (a branch's name, 004, is not the enterprise's).
NAME_TYPES = ("001", "003", "002")

# Legal forms (JuridicalForm codes of code.csv) that make an enterprise a civic association.
# The non-profit forms of private law: associations and foundations that people run together
# for a shared purpose. Public-law forms (a municipality, an OCMW, an intercommunale, a VZW of
# public law: 117) and companies stay `business`, as issue 12 asks ("vzw -> civic association,
# others -> business").
CIVIC_LEGAL_FORMS = {
    "017": "vereniging zonder winstoogmerk (vzw / ASBL)",
    "018": "instelling van openbaar nut (the old name of a stichting van openbaar nut)",
    "026": "private stichting (fondation privée)",
    "029": "stichting van openbaar nut (fondation d'utilité publique)",
    "125": "internationale vereniging zonder winstoogmerk (ivzw / AISBL)",
}

FILES = {
    "address.csv": (
        "EntityNumber",
        "TypeOfAddress",
        "CountryNL",
        "Zipcode",
        "MunicipalityNL",
        "MunicipalityFR",
        "StreetNL",
        "StreetFR",
        "HouseNumber",
        "Box",
        "DateStrikingOff",
    ),
    "enterprise.csv": ("EnterpriseNumber", "Status", "JuridicalForm"),
    "denomination.csv": ("EntityNumber", "Language", "TypeOfDenomination", "Denomination"),
    "contact.csv": ("EntityNumber", "EntityContact", "ContactType", "Value"),
    "activity.csv": ("EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"),
}


class SkipReason(StrEnum):
    """Why an enterprise with its registered office in the chosen postcodes was left out."""

    INVALID_NUMBER = "invalid_number"  # the check digits (or the format) are wrong
    NOT_ACTIVE = "not_active"  # stopped
    NO_NAME = "no_name"  # no denomination in denomination.csv


@dataclass(frozen=True)
class KboEnterprise:
    """One active enterprise of the register, as the extract describes it."""

    enterprise_number: str  # "0403.170.701"
    name: str
    legal_form: str  # JuridicalForm code, "017"; "" when the register has none
    kind: Kind  # civic_association or business, from the legal form
    address: str  # "Stationsstraat 12 bus 3"
    postcode: str
    municipality: str
    phone: str | None  # as the register has it: "03/777.12.34"
    email: str | None
    main_nace_code: str | None  # "94991"
    nace_version: str | None  # the NACE-BEL edition of that code: "2008", "2025"
    line: int  # its row's line in enterprise.csv (the header is line 1)


@dataclass(frozen=True)
class SkippedEnterprise:
    """An enterprise row of enterprise.csv that was left out, with its line number."""

    line: int
    enterprise_number: str  # as written in the file
    reason: SkipReason


@dataclass(frozen=True)
class KboReport:
    """What a reading did: enterprise rows read, kept, and those left out and why."""

    read: int  # rows of enterprise.csv
    kept: int
    outside_postcodes: int  # no registered office (in Belgium) in the chosen postcodes
    skipped: tuple[SkippedEnterprise, ...]

    def skipped_by_reason(self) -> dict[SkipReason, int]:
        """How many rows were left out for each reason (reasons that occurred only)."""
        counts: dict[SkipReason, int] = {}
        for row in self.skipped:
            counts[row.reason] = counts.get(row.reason, 0) + 1
        return counts


@dataclass(frozen=True)
class KboExtract:
    """The enterprises read from an extract, in the order of enterprise.csv, and the report."""

    enterprises: list[KboEnterprise]
    report: KboReport


def read_kbo_extract(directory: Path, *, postcodes: Collection[str]) -> KboExtract:
    """The active enterprises whose registered office lies in one of `postcodes`."""
    directory = Path(directory)
    _check_files(directory)
    wanted = frozenset(code.strip() for code in postcodes)
    offices = _registered_offices(directory, wanted)
    names = _names(directory, offices)
    contacts = _contacts(directory, offices)
    activities = _main_activities(directory, offices)
    enterprises: list[KboEnterprise] = []
    skipped: list[SkippedEnterprise] = []
    read = 0
    for line, (raw_number, status, form) in _rows(directory, "enterprise.csv"):
        read += 1
        office = offices.get(raw_number)
        if office is None:
            continue
        reason = _skip_reason(raw_number, status, names.get(raw_number))
        if reason is not None:
            skipped.append(SkippedEnterprise(line, raw_number, reason))
            continue
        phone, email = contacts.get(raw_number, (None, None))
        nace_code, nace_version = activities.get(raw_number, (None, None))
        enterprises.append(
            KboEnterprise(
                enterprise_number=format_enterprise_number(raw_number),
                name=names[raw_number],
                legal_form=form,
                kind=kind_of_legal_form(form),
                address=office.address,
                postcode=office.postcode,
                municipality=office.municipality,
                phone=phone,
                email=email,
                main_nace_code=nace_code,
                nace_version=nace_version,
                line=line,
            )
        )
    in_area = len(enterprises) + len(skipped)
    report = KboReport(read, len(enterprises), read - in_area, tuple(skipped))
    return KboExtract(enterprises, report)


def format_enterprise_number(raw: str) -> str:
    """A valid enterprise number written as the register does: '0403170701' -> '0403.170.701'."""
    digits = vat.validate(raw)  # raises stdnum's ValidationError when the number is not valid
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def kind_of_legal_form(legal_form: str) -> Kind:
    """`civic_association` for the non-profit legal forms of CIVIC_LEGAL_FORMS, else `business`."""
    return Kind.CIVIC_ASSOCIATION if legal_form in CIVIC_LEGAL_FORMS else Kind.BUSINESS


def kbo_actor_fields(enterprise: KboEnterprise, *, districts: Collection[str] = ()) -> dict:
    """The values of an import row (crm.imports.plan.RowInput) for one enterprise.

    The enterprise number goes to `enterprise_number`: a re-import finds the actor by it. A
    phone number or e-mail address that does not validate is left out of its field (the
    register holds many written by hand) and kept in the notes instead, so that the import of
    the enterprise never fails on it; without such a value there are no notes (an import never
    erases stored notes). The district is the municipality when that is one of `districts`
    (the register names deelgemeenten: "Belsele", "Sinaai").
    """
    notes = []
    fields = {
        "name": enterprise.name,
        "kind": enterprise.kind.value,
        "address": enterprise.address or None,
        "postcode": enterprise.postcode or None,
        KBO_FIELD: enterprise.enterprise_number,
    }
    if enterprise.municipality in districts:
        fields["district"] = enterprise.municipality
    phone = _valid_or_none(parse_phone, enterprise.phone)
    if phone:
        fields["phone"] = phone
    elif enterprise.phone:
        notes.append(f"KBO tel: {enterprise.phone}")
    email = _valid_or_none(parse_email, enterprise.email)
    if email:
        fields["email"] = email
    elif enterprise.email:
        notes.append(f"KBO e-mail: {enterprise.email}")
    if notes:
        fields["notes"] = "\n".join(notes)
    return {name: value for name, value in fields.items() if value is not None}


def kbo_rows(extract: KboExtract, *, districts: Collection[str] = ()) -> list[RowInput]:
    """The extract's enterprises as import rows, numbered by their line in enterprise.csv;
    a value the actors cannot hold (a name too long) is that row's error."""
    rows = []
    for enterprise in extract.enterprises:
        values = kbo_actor_fields(enterprise, districts=districts)
        try:
            rows.append(RowInput(number=enterprise.line, values=clean_plain_fields(values)))
        except Invalid as refusal:
            errors = tuple(
                CellError(column=name, cell=str(enterprise.line), messages=tuple(messages))
                for name, messages in refusal.errors.items()
            )
            rows.append(RowInput(number=enterprise.line, values=values, errors=errors))
    return rows


@dataclass(frozen=True)
class KboCheck:
    """The dry run of an extract: the reading's report, the rows read and their plan."""

    report: KboReport
    rows: list[RowInput]
    plan: ImportPlan


@dataclass(frozen=True)
class KboImport:
    """An import of an extract: the reading's report and what the import did."""

    report: KboReport
    outcome: ImportOutcome


def check_kbo(
    session: Session,
    directory: Path,
    *,
    postcodes: Collection[str],
    progress: Progress = no_progress,
) -> KboCheck:
    """The dry run of an extract's enterprises in `postcodes` (nothing written)."""
    extract = read_kbo_extract(directory, postcodes=postcodes)
    rows = kbo_rows(extract, districts=choices_of_districts(session))
    return KboCheck(extract.report, rows, plan_rows(session, rows, progress=progress))


def import_kbo(
    session: Session,
    directory: Path,
    *,
    postcodes: Collection[str],
    user_id: int | None,
    skip_invalid: bool = False,
    checked: KboCheck | None = None,
    progress: Progress = no_progress,
    now: datetime | None = None,
) -> KboImport:
    """Import the extract's enterprises in `postcodes` as one import (source "kbo", named
    after the folder), all or nothing; a re-import updates the actors it finds by their
    enterprise number. `checked`: the dry run of the same extract, not read again."""
    if checked is None:
        checked = check_kbo(session, directory, postcodes=postcodes, progress=progress)
    outcome = import_rows(
        session,
        checked.rows,
        source=KBO,
        file_name=Path(directory).name or str(directory),
        user_id=user_id,
        skip_invalid=skip_invalid,
        checked=checked.plan,
        progress=progress,
        now=now,
    )
    return KboImport(checked.report, outcome)


# --- reading the files -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Office:
    address: str
    postcode: str
    municipality: str


@dataclass
class _Contact:
    phone: str | None = None
    email: str | None = None


def _check_files(directory: Path) -> None:
    """Refuse an extract without one of the files, or a file without one of its columns."""
    for name, columns in FILES.items():
        path = directory / name
        if not path.is_file():
            raise Invalid.on("directory", N_("The KBO extract has no file %(file)s."), file=name)
        header = _header(path)
        for column in columns:
            if column not in header:
                raise Invalid.on(
                    "directory",
                    N_("%(file)s of the KBO extract has no column %(column)s."),
                    file=name,
                    column=column,
                )


def _header(path: Path) -> list[str]:
    with _open(path) as handle:
        return next(csv.reader(handle), [])


def _open(path: Path):
    # utf-8-sig: a BOM, if a tool added one, must not become part of the first column's name.
    # errors="replace": one badly encoded byte spoils one value, not the whole reading.
    return path.open(encoding="utf-8-sig", errors="replace", newline="")


def _rows(
    directory: Path, name: str, *, only: Collection[str] | None = None
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line number, the FILES columns of the row) for each data row; short rows padded.

    With `only`, just the rows whose first column (the entity number) is in it: the check comes
    before any other work on the row, because nearly every row of a full extract fails it.
    """
    columns = FILES[name]
    with _open(directory / name) as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        positions = [header.index(column) for column in columns]
        key, width = positions[0], max(positions) + 1
        for row in reader:
            if not row or (only is not None and (len(row) <= key or row[key] not in only)):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            yield reader.line_num, tuple(row[p].strip() for p in positions)


def _registered_offices(directory: Path, postcodes: frozenset[str]) -> dict[str, _Office]:
    """The current Belgian registered office of each entity in `postcodes`, by its number."""
    offices: dict[str, _Office] = {}
    for _, row in _rows(directory, "address.csv"):
        (number, kind, country, postcode, municipality_nl, municipality_fr,
         street_nl, street_fr, house_number, box, struck_off) = row  # fmt: skip
        if (
            postcode not in postcodes
            or kind != REGISTERED_OFFICE
            or struck_off  # a former address, kept for history
            or country not in BELGIUM
            or number in offices
        ):
            continue
        offices[number] = _Office(
            address=_street_address(street_nl or street_fr, house_number, box),
            postcode=postcode,
            municipality=municipality_nl or municipality_fr,
        )
    return offices


def _street_address(street: str, house_number: str, box: str) -> str:
    """'Stationsstraat 12 bus 3', as addresses are written in Flanders."""
    text = " ".join(part for part in (street, house_number) if part)
    return f"{text} bus {box}" if box else text


def _names(directory: Path, wanted: Collection[str]) -> dict[str, str]:
    """The best denomination of each wanted entity: the legal name in Dutch, else the best
    type in another language (the first in the file)."""
    best: dict[str, tuple[tuple[int, int], str]] = {}
    for _, (number, language, kind, denomination) in _rows(
        directory, "denomination.csv", only=wanted
    ):
        if number not in wanted or kind not in NAME_TYPES or not denomination:
            continue
        rank = (NAME_TYPES.index(kind), 0 if language == DUTCH else 1)
        if number not in best or rank < best[number][0]:
            best[number] = (rank, denomination)
    return {number: name for number, (_, name) in best.items()}


def _contacts(directory: Path, wanted: Collection[str]) -> dict[str, tuple[str | None, ...]]:
    """The first phone number and e-mail address of each wanted enterprise."""
    found: dict[str, _Contact] = {}
    for _, (number, entity, kind, value) in _rows(directory, "contact.csv", only=wanted):
        if number not in wanted or entity != ENTERPRISE_CONTACT or not value:
            continue
        contact = found.setdefault(number, _Contact())
        if kind == "TEL" and contact.phone is None:
            contact.phone = value
        elif kind == "EMAIL" and contact.email is None:
            contact.email = value
    return {number: (c.phone, c.email) for number, c in found.items()}


def _main_activities(directory: Path, wanted: Collection[str]) -> dict[str, tuple[str, str]]:
    """(NACE code, NACE version) of each wanted entity's main activity.

    An entity has a main activity per NACE-BEL edition (2003, 2008, 2025) and per source (the
    VAT administration, 001; social security, 006, ...): the newest edition wins, then the
    lowest activity group, so that the choice does not depend on the order of the file.
    """
    best: dict[str, tuple[tuple[int, str], str, str]] = {}
    for _, row in _rows(directory, "activity.csv", only=wanted):
        number, group, version, code, classification = row
        if number not in wanted or classification != MAIN_ACTIVITY or not code:
            continue
        rank = (-int(version) if version.isdigit() else 0, group)
        if number not in best or rank < best[number][0]:
            best[number] = (rank, code, version)
    return {number: (code, version) for number, (_, code, version) in best.items()}


def _skip_reason(raw_number: str, status: str, name: str | None) -> SkipReason | None:
    if not vat.is_valid(raw_number):
        return SkipReason.INVALID_NUMBER
    if status != ACTIVE:
        return SkipReason.NOT_ACTIVE
    if not name:
        return SkipReason.NO_NAME
    return None


def _valid_or_none(parse, raw: str | None) -> str | None:
    try:
        return parse(raw)
    except Invalid:
        return None
