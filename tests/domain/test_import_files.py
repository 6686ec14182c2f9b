"""Reading the files people have: Belgian Excel CSV, UTF-8 with BOM, commas, tabs, XLSX."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from crm.imports.files import RowValues, read_table
from crm.messages import Invalid


def file_error(error: Invalid) -> str:
    (message,) = error.errors["file"]
    return message.render()


def refused(data: bytes, filename: str, **options) -> str:
    with pytest.raises(Invalid) as caught:
        read_table(data, filename, **options)
    return file_error(caught.value)


def xlsx_bytes(rows, *, tmp_path) -> bytes:
    """An XLSX file as Excel saves it, with these rows on its first sheet."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "lijst.xlsx"
    workbook.save(path)
    return path.read_bytes()


# --- CSV -------------------------------------------------------------------------------------


def test_belgian_excel_csv_is_read_as_windows_1252_with_semicolons():
    # What Excel in Dutch (Belgium) writes as "CSV (gescheiden door lijstscheidingsteken)".
    data = (
        b"Naam;Telefoon;Gemeente\r\n"
        b"Caf\xe9 \xc9lise;03 778 30 60;Sint-Niklaas\r\n"
        b"No\xebl Fran\xe7ois;0470 12 34 56;Sinaai\r\n"
        b"Vzw De Gro\xeb;;Belsele\r\n"
    )

    table = read_table(data, "deelnemers.csv")

    assert table.kind == "csv"
    assert table.encoding == "cp1252"
    assert table.separator == ";"
    assert table.headers == ["Naam", "Telefoon", "Gemeente"]
    assert table.rows == [
        RowValues(2, ("Café Élise", "03 778 30 60", "Sint-Niklaas")),
        RowValues(3, ("Noël François", "0470 12 34 56", "Sinaai")),
        RowValues(4, ("Vzw De Groë", "", "Belsele")),
    ]


def test_utf8_csv_with_bom_loses_the_bom_from_its_first_header():
    data = b"\xef\xbb\xbfnaam;e-mail\r\nH\xc3\xa9l\xc3\xa8ne Dubois;helene@example.be\r\n"

    table = read_table(data, "export.csv")

    assert table.encoding == "utf-8-sig"
    assert table.headers == ["naam", "e-mail"]
    assert table.rows == [RowValues(2, ("Hélène Dubois", "helene@example.be"))]


def test_utf8_csv_without_bom():
    table = read_table("naam\nJoël\n".encode(), "lijst.csv")

    assert (table.encoding, table.headers, table.rows) == (
        "utf-8",
        ["naam"],
        [RowValues(2, ("Joël",))],
    )


def test_comma_csv_keeps_quoted_commas_and_semicolons_in_cells():
    data = b'name,address,notes\n"Peeters, Jan","Kerkstraat 1, 9112 Sinaai",a;b\n'

    table = read_table(data, "platform.csv")

    assert table.separator == ","
    assert table.rows == [RowValues(2, ("Peeters, Jan", "Kerkstraat 1, 9112 Sinaai", "a;b"))]


def test_semicolon_file_with_commas_in_addresses_is_split_on_semicolons():
    data = b"naam;adres\nJan;Kerkstraat 1, Sinaai\nAn;Markt 3, Belsele\n"

    table = read_table(data, "lijst.csv")

    assert table.separator == ";"
    assert table.rows == [
        RowValues(2, ("Jan", "Kerkstraat 1, Sinaai")),
        RowValues(3, ("An", "Markt 3, Belsele")),
    ]


def test_tab_separated_file():
    table = read_table(b"naam\ttelefoon\nJan\t03 778 30 60\n", "lijst.txt")

    assert table.separator == "\t"
    assert table.rows == [RowValues(2, ("Jan", "03 778 30 60"))]


def test_excel_unicode_text_is_utf16_with_tabs():
    # Excel's "Unicode-tekst (*.txt)": UTF-16 little-endian with a BOM, tab-separated.
    data = "naam\tgemeente\r\nFrançois\tSinaai\r\n".encode("utf-16")

    table = read_table(data, "lijst.txt")

    assert (table.encoding, table.separator) == ("utf-16", "\t")
    assert table.rows == [RowValues(2, ("François", "Sinaai"))]


def test_sep_line_written_by_excel_names_the_separator_and_is_not_a_row():
    table = read_table(b"sep=,\r\nnaam,adres\r\nJan,Markt 3\r\n", "lijst.csv")

    assert table.separator == ","
    assert table.headers == ["naam", "adres"]
    assert table.rows == [RowValues(2, ("Jan", "Markt 3"))]


def test_trailing_empty_columns_and_blank_lines_are_dropped_row_numbers_kept():
    data = b"naam;telefoon;;;\r\nJan;03 778 30 60;;;\r\n;;;;\r\n\r\nAn;;;;\r\n  ; ;;;\r\n"

    table = read_table(data, "lijst.csv")

    assert table.headers == ["naam", "telefoon"]
    assert table.rows == [RowValues(2, ("Jan", "03 778 30 60")), RowValues(5, ("An", ""))]


def test_header_cells_and_values_are_stripped_and_short_rows_padded():
    table = read_table(b" Naam ; Telefoon \n  Jan  \n", "lijst.csv")

    assert table.headers == ["Naam", "Telefoon"]
    assert table.rows == [RowValues(2, ("Jan", ""))]


def test_blank_lines_above_the_header_are_skipped():
    table = read_table(b"\n;;\nnaam;gsm\nJan;0470 12 34 56\n", "lijst.csv")

    assert table.headers == ["naam", "gsm"]
    assert table.rows == [RowValues(4, ("Jan", "0470 12 34 56"))]


def test_a_quoted_cell_over_two_lines_is_one_row_as_in_excel():
    table = read_table(b'naam;notities\nJan;"belt liever\nna 18u"\nAn;\n', "lijst.csv")

    assert table.rows == [RowValues(2, ("Jan", "belt liever\nna 18u")), RowValues(3, ("An", ""))]


def test_an_empty_column_without_a_name_between_two_columns_is_dropped():
    table = read_table(b"naam;;telefoon\nJan;;03 778 30 60\n", "lijst.csv")

    assert table.headers == ["naam", "telefoon"]
    assert table.rows == [RowValues(2, ("Jan", "03 778 30 60"))]


def test_a_column_with_values_but_no_name_is_refused_with_its_letter():
    message = refused(b"naam;;telefoon\nJan;x;03 778 30 60\n", "lijst.csv")

    assert message == (
        "Column B has values but no name in the first row. Give it a name, or delete the column."
    )


def test_values_beyond_the_last_named_column_are_refused():
    message = refused(b"naam;telefoon\nJan;03 778 30 60;Sinaai\n", "lijst.csv")

    assert message.startswith("Column C has values but no name in the first row.")


def test_duplicate_column_names_are_refused_ignoring_case():
    message = refused(b"Naam;telefoon;naam\nJan;;Jan\n", "lijst.csv")

    assert message == (
        "Two columns are called 'naam' (columns A and C). Give each column its own name."
    )


def test_an_empty_file_is_refused():
    assert (
        refused(b"", "leeg.csv") == "'leeg.csv' is empty: its first row must hold the column names."
    )
    assert refused(b";;\r\n\r\n", "leeg.csv").startswith("'leeg.csv' is empty")


def test_a_header_only_file_has_no_rows():
    table = read_table(b"naam;telefoon\r\n", "lijst.csv")

    assert (table.headers, table.rows) == (["naam", "telefoon"], [])


def test_a_binary_file_named_csv_is_refused():
    message = refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "foto.csv")

    assert message == (
        "'foto.csv' cannot be read as text. Save the list from Excel as CSV or .xlsx and upload "
        "that."
    )


def test_a_pdf_is_refused_by_its_name():
    assert refused(b"%PDF-1.4\n", "lijst.pdf") == (
        "'lijst.pdf' is not a CSV or Excel (.xlsx) file. Save the list as CSV or .xlsx and upload "
        "that."
    )


def test_the_old_excel_format_is_refused_with_what_to_do():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

    assert refused(ole2, "lijst.xls") == (
        "'lijst.xls' is in the old Excel format (.xls). Open it in Excel, save it as .xlsx or "
        "CSV and upload that."
    )
    assert refused(ole2, "lijst.csv").startswith("'lijst.csv' is in the old Excel format")


def test_an_unclosed_quote_over_a_huge_cell_names_the_row():
    data = b'naam;notities\nJan;ok\nAn;"' + b"x" * 200_000 + b"\n"

    assert refused(data, "lijst.csv") == (
        "Row 3 cannot be read: a cell is too long or a quote is not closed."
    )


def test_a_file_in_neither_utf8_nor_cp1252_is_read_by_charset_normalizer():
    # 0x8D is undefined in Windows-1252; in Windows-1250 (Central European Excel) it is Ť.
    data = "naam;stad\nŤomáš Novák;Sinaai\nŽofie Dvořák;Belsele\n".encode("cp1250")

    table = read_table(data, "lijst.csv")

    assert table.rows == [
        RowValues(2, ("Ťomáš Novák", "Sinaai")),
        RowValues(3, ("Žofie Dvořák", "Belsele")),
    ]


# --- size --------------------------------------------------------------------------------------


def test_a_50_megabyte_file_is_refused_with_the_limit_named():
    data = b"naam;telefoon\r\n" + b"x" * (50 * 1024 * 1024 - 15)

    assert refused(data, "groot.csv") == "The file is 50.0 MB; the limit is 20 MB."


def test_a_file_one_byte_over_the_limit_does_not_read_as_at_the_limit():
    assert refused(b"x" * 1_048_577, "lijst.csv", max_bytes=1_048_576) == (
        "The file is 1.1 MB; the limit is 1 MB."
    )


def test_a_file_at_the_limit_is_read():
    data = b"naam\n" + b"x" * 95

    assert read_table(data, "lijst.csv", max_bytes=100).rows == [RowValues(2, ("x" * 95,))]


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_cells_arrive_as_the_text_the_user_sees(tmp_path):
    data = xlsx_bytes(
        [
            ["Naam", "GSM", "Postcode", "Ingeschreven", "Laatste contact", "Score", "Actief"],
            [
                "Café Élise",
                478123456,
                9100,
                date(2025, 3, 5),
                datetime(2025, 3, 5, 14, 30),
                2.5,
                True,
            ],
            ["Vzw De Link", 32478123456, 9112.0, None, None, None, False],
        ],
        tmp_path=tmp_path,
    )

    table = read_table(data, "lijst.xlsx")

    assert (table.kind, table.encoding, table.separator) == ("xlsx", None, None)
    assert table.headers == [
        "Naam",
        "GSM",
        "Postcode",
        "Ingeschreven",
        "Laatste contact",
        "Score",
        "Actief",
    ]
    assert table.rows == [
        RowValues(
            2, ("Café Élise", "478123456", "9100", "2025-03-05", "2025-03-05 14:30", "2.5", "TRUE")
        ),
        RowValues(3, ("Vzw De Link", "32478123456", "9112", "", "", "", "FALSE")),
    ]


def test_an_xlsx_formula_arrives_as_its_text_never_evaluated(tmp_path):
    data = xlsx_bytes(
        [["naam", "notities"], ["Jan", "=SUM(1,2)"], ['=HYPERLINK("http://x","klik")', ""]],
        tmp_path=tmp_path,
    )

    table = read_table(data, "lijst.xlsx")

    assert table.rows == [
        RowValues(2, ("Jan", "=SUM(1,2)")),
        RowValues(3, ('=HYPERLINK("http://x","klik")', "")),
    ]


def test_xlsx_trailing_empty_columns_and_blank_rows_are_dropped(tmp_path):
    data = xlsx_bytes(
        [["naam", "telefoon", None, ""], ["Jan", "03 778 30 60"], [], [None, None], ["An"]],
        tmp_path=tmp_path,
    )

    table = read_table(data, "lijst.xlsx")

    assert table.headers == ["naam", "telefoon"]
    assert table.rows == [RowValues(2, ("Jan", "03 778 30 60")), RowValues(5, ("An", ""))]


def test_xlsx_reads_only_the_first_sheet(tmp_path):
    workbook = Workbook()
    workbook.active.append(["naam"])
    workbook.active.append(["Jan"])
    workbook.create_sheet("Tweede").append(["iets anders"])
    path = tmp_path / "lijst.xlsx"
    workbook.save(path)

    table = read_table(path.read_bytes(), "lijst.xlsx")

    assert (table.headers, table.rows) == (["naam"], [RowValues(2, ("Jan",))])


def test_an_xlsx_whose_name_lost_its_extension_is_recognised(tmp_path):
    data = xlsx_bytes([["naam"], ["Jan"]], tmp_path=tmp_path)

    assert read_table(data, "lijst").kind == "xlsx"


def test_a_damaged_xlsx_is_refused(tmp_path):
    data = xlsx_bytes([["naam"], ["Jan"]], tmp_path=tmp_path)

    expected = (
        "'lijst.xlsx' cannot be read as an Excel workbook: it may be damaged. Open it in Excel, "
        "save it again and upload that."
    )
    assert refused(data[: len(data) // 2], "lijst.xlsx") == expected
    assert refused(b"naam;telefoon\n", "lijst.xlsx") == expected


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert refused(buffer.getvalue(), "lijst.xlsx").startswith(
        "'lijst.xlsx' cannot be read as an Excel workbook"
    )


def test_an_xlsx_that_unpacks_to_more_than_ten_times_the_limit_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (10 * 1024 * 1024 + 1))

    assert refused(buffer.getvalue(), "bom.xlsx", max_bytes=1024 * 1024) == (
        "'bom.xlsx' unpacks to more than 10 MB. Split the list into smaller files."
    )
