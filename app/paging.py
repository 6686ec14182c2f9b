"""Reading a page number from a query string."""

MAX_PAGE = 100_000


def page_number(raw: str | None) -> int:
    """A page number from the URL; anything odd (0, -1, 'abc', huge) is page 1 or the last page."""
    if raw is None or not raw.isascii() or not raw.isdigit():
        return 1
    return min(max(int(raw), 1), MAX_PAGE)
