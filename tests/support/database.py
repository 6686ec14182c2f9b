"""Create the schema by migrations and empty the database between tests."""

from flask_migrate import upgrade
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app import create_app
from crm.actors import ensure_districts_and_themes
from crm.models import Base
from crm.vocabulary import DEFAULT_DISTRICTS, DEFAULT_THEMES


def migrate(url: str) -> None:
    """Run every migration on an empty database, exactly as `flask db upgrade` does."""
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        from app.extensions import db

        db.engine.dispose()


def reset(engine: Engine) -> None:
    """Remove every row, then put the default districts and themes back."""
    # The data version keeps counting across tests: a cached analysis of an earlier test must
    # never match the next test's data.
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "data_version"]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            # AUTOINCREMENT tables keep their counters here; a test expects ids from 1.
            connection.execute(text("DELETE FROM sqlite_sequence"))
    with Session(engine) as session:
        ensure_districts_and_themes(session, DEFAULT_DISTRICTS, DEFAULT_THEMES)
        session.commit()
