"""The reach analysis as pages, the API and the CLI get it: one function, off the write lock;
and the read-only session long reads (exports, the list builder's preview) use."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import mapping
from app.extensions import db
from crm.db import make_engine

READER_KEY = "bereik.analysis_reader"


def current_analysis(*, with_contacts: bool = False) -> mapping.Analysis:
    """The analysis of the database now, with the configured thresholds (cached by data version).

    It reads through its own connection: on SQLite a plain BEGIN, so that a cold analysis of a
    big database (seconds) never holds the write lock that every contact logged is waiting for.
    """
    settings = mapping.ReachSettings.from_config(current_app.config)
    with reading_session() as session:
        return mapping.analyse(session, settings=settings, with_contacts=with_contacts)


@contextmanager
def reading_session() -> Iterator[Session]:
    """A session that only reads, off the SQLite write lock (see `reader_engine`)."""
    with Session(reader_engine()) as session:
        yield session


def reader_engine() -> Engine:
    """The engine for long reads (the analysis, streamed exports): on SQLite one that starts
    plain (deferred) transactions, so a read never holds the write lock others wait for."""
    extensions = current_app.extensions
    if READER_KEY not in extensions:
        engine = db.engine
        if engine.dialect.name == "sqlite":
            url = engine.url.render_as_string(hide_password=False)
            engine = make_engine(url, immediate=False)
        extensions[READER_KEY] = engine
    return extensions[READER_KEY]
