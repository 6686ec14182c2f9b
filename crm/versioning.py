"""The data version: bumped by every flush that changes actors, contacts, relations or labels."""

from itertools import chain

from sqlalchemy import Connection, event, select, update
from sqlalchemy.orm import Session

from crm.models import Actor, ContactLog, DataVersion, District, Relation, Theme

TRACKED = (Actor, ContactLog, Relation, District, Theme)


def current_data_version(session_or_connection: Session | Connection) -> int:
    """The current data version (0 before anything was written)."""
    value = session_or_connection.execute(
        select(DataVersion.value).where(DataVersion.id == 1)
    ).scalar()
    return int(value or 0)


def bump_data_version(connection: Connection) -> None:
    """Add one to the data version (bulk loads outside the ORM call this themselves)."""
    table = DataVersion.__table__
    connection.execute(update(table).where(table.c.id == 1).values(value=table.c.value + 1))


@event.listens_for(Session, "after_flush")
def _bump_when_analysed_data_changed(session: Session, _context) -> None:
    # In after_flush the new/dirty/deleted sets still describe what was just written.
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, TRACKED) for obj in changed):
        bump_data_version(session.connection())
