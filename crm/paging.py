"""A page of results, the one way every list is paged: a query (`paginate`) or a sequence
already in memory (`page_of`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a query: the items and the total that matched."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def paginate(session: Session, query: Select, *, page: int, per_page: int) -> Page:
    """Run `query` for one page plus a count of all its rows (page and per_page at least 1)."""
    # A page of 0 gave a negative OFFSET (an error on PostgreSQL), per_page 0 a division by
    # zero in `pages`, and a huge page an OFFSET beyond 64 bits: past the last row, ask nothing.
    page, per_page = max(1, int(page)), max(1, int(per_page))
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    offset = (page - 1) * per_page
    if offset >= total:
        return Page([], total, page, per_page)
    items = list(session.scalars(query.limit(min(per_page, total - offset)).offset(offset)))
    return Page(items, total, page, per_page)


def page_of(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """One page of a sequence already in memory, as `paginate` gives one of a query."""
    page, per_page = max(1, int(page)), max(1, int(per_page))
    start = (page - 1) * per_page
    return Page(list(items[start : start + per_page]), len(items), page, per_page)
