"""Rows by the id a URL or a request names: found, or `NotFound`.

An id no database can hold (-1, 0, 01, ١, 2**64) is simply not found: PostgreSQL would raise an
error where SQLite answers "none" (docs/performance.md#bad-input).
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.messages import NotFound
from crm.validation import as_id


def get_row(session: Session, model, ident, *, what: str):
    """The row of `model` with this id; `NotFound(what, ident)` when there is none."""
    key = as_id(ident)
    row = session.get(model, key) if key is not None else None
    if row is None:
        raise NotFound(what, ident)
    return row


def lock_row(session: Session, model, ident, *, what: str):
    """The row of `model` with this id, read afresh and locked until commit: two requests that
    change it at once (a double tap) run one after the other. FOR UPDATE on PostgreSQL; SQLite's
    BEGIN IMMEDIATE already serialises writers. Only the row's own table is locked (PostgreSQL
    refuses FOR UPDATE on the nullable side of a joined relationship)."""
    key = as_id(ident)
    query = (
        select(model)
        .where(model.id == key)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    )
    row = session.scalar(query) if key is not None else None
    if row is None:
        raise NotFound(what, ident)
    return row
