"""Helpers for files people open in a spreadsheet (CSV reports and exports)."""

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
