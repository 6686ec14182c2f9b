"""Spreadsheet-safe cells (crm/exports.py): no formula runs when a CSV is opened."""

import pytest

from crm.exports import safe_cell


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example")',
        "+32 3 778 30 60",
        "-5",
        "@SUM(A1)",
        "\tx",
        "\rx",
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Vzw De Zonnebloem", "03 778 30 60", "", " =1", "a=b", "'quoted"]
)
def test_other_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [None, 0, -5, 72.5])
def test_numbers_and_none_are_unchanged(value):
    assert safe_cell(value) == value
