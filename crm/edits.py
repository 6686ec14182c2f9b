"""Edits protected against lost updates: each edited row carries a version (SQLAlchemy's
`version_id_col`), and a save over a colleague's newer version is a `Conflict`, never a silent
overwrite."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crm.messages import Conflict, Message


def check_version(row, version, message: Message) -> None:
    """`Conflict` (with the stored version) unless `version` is the row's stored version."""
    if version is None or str(version) != str(row.version):
        raise Conflict(message, current_version=row.version)


@contextmanager
def conflict_when_stale(session: Session, message: Message) -> Iterator[None]:
    """Turn a save over a version written in the meantime (StaleDataError) into `Conflict`."""
    try:
        yield
    except StaleDataError:
        session.rollback()
        raise Conflict(message) from None
