"""SQLAlchemy 2 models of Bereik (docs/architecture.md#vocabulary). Timestamps are naive UTC."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 20
ADDRESS_MAX = 300
POSTCODE_MAX = 10
TEXT_MAX = 5000
LABEL_MAX = 100
SUBMISSION_KEY_MAX = 255  # an Idempotency-Key (a UUID is 36); a form token's key is 22
ENTERPRISE_NUMBER_MAX = 12  # "0403.170.701"
FILE_NAME_MAX = 255

# Named constraints so that Alembic migrations (batch mode on SQLite) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class District(Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(LABEL_MAX), unique=True)

    def __repr__(self) -> str:
        return f"<District {self.name!r}>"


class Theme(Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(LABEL_MAX), unique=True)

    def __repr__(self) -> str:
        return f"<Theme {self.name!r}>"


actor_themes = Table(
    "actor_themes",
    Base.metadata,
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_actor_themes_theme_actor", "theme_id", "actor_id"),
)


class User(Base):
    __tablename__ = "users"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(256))
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Staff may export invitation lists only when an administrator allows it; coordinators and
    # administrators always may (crm.permissions.may_export).
    can_export: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Part of every session's and remember cookie's user id (get_id): logout, a password reset,
    # deactivation and a role change add one, which ends every session given out before
    # (crm.users.end_sessions, docs/sessions.md).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # Set by crm.users.authenticate, not stored: a random part of this login's id, so that two
    # logins get different remember cookies without one ending the other.
    login_nonce = None

    # Flask-Login's protocol, written out so that crm/ needs no Flask import.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # "<id>:<session version>:<login nonce>", kept in the session and the remember cookie;
        # crm.users.user_for_session accepts it only while the session version is current.
        return f"{self.id}:{self.session_version}:{self.login_nonce or ''}"

    def __repr__(self) -> str:
        return f"<User {self.email!r} {self.role}>"


class Actor(Base):
    """A person or organisation the city wants to involve."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Lower-case name without accents: the key for search, sorting and duplicate detection.
    search_name: Mapped[str] = mapped_column(String(NAME_MAX))
    kind: Mapped[str] = mapped_column(String(32))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))  # E.164
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))  # lower case
    address: Mapped[str | None] = mapped_column(String(ADDRESS_MAX))
    postcode: Mapped[str | None] = mapped_column(String(POSTCODE_MAX))
    preferred_channel: Mapped[str | None] = mapped_column(String(20))
    preferred_language: Mapped[str | None] = mapped_column(String(5))
    do_not_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    do_not_email: Mapped[bool] = mapped_column(Boolean, default=False)
    do_not_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    influence: Mapped[int] = mapped_column(Integer, default=3)
    interest: Mapped[int] = mapped_column(Integer, default=3)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The Belgian enterprise number ("0403.170.701") of a business or association from the KBO
    # register: a re-import of the register updates the actor with this number.
    enterprise_number: Mapped[str | None] = mapped_column(String(ENTERPRISE_NUMBER_MAX))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    # Denormalised from contact_logs in the same transaction as every contact write, so that
    # lists and reach figures never aggregate a million contacts (docs/performance.md#sql).
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_reached_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_direct_reached_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)

    district: Mapped[District | None] = relationship(lazy="joined")
    themes: Mapped[list[Theme]] = relationship(
        secondary=actor_themes, order_by=Theme.name, lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
        CheckConstraint("interest BETWEEN 1 AND 5", name="interest_range"),
        Index("ix_actors_listing", "archived", "kind", "district_id", "search_name"),
        Index("ix_actors_by_name", "archived", "search_name"),
        Index("ix_actors_by_last_contact", "archived", "last_contact_at"),
        Index("ix_actors_phone", "phone"),
        Index("ix_actors_email", "email"),
        Index("uq_actors_enterprise_number", "enterprise_number", unique=True),
        # The search by words (LIKE '%word%' per word) on PostgreSQL; SQLite has no such index.
        Index(
            "ix_actors_search_name_trigram",
            "search_name",
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # SQLite would reuse a deleted actor's id: an old link must never open another actor.
        {"sqlite_autoincrement": True},
    )

    def __repr__(self) -> str:
        return f"<Actor {self.id} {self.name!r}>"


class ContactLog(Base):
    """One logged interaction with one actor."""

    __tablename__ = "contact_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What submitted it, when it came with a key (a page's one-time form token, an API client's
    # Idempotency-Key), and a digest of the values sent: a repeat of the key answers with this
    # contact instead of storing another (crm.contacts.log_contact_once).
    submission_key: Mapped[str | None] = mapped_column(String(SUBMISSION_KEY_MAX))
    submission_digest: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[Actor] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id], lazy="joined")

    __table_args__ = (
        Index("ix_contact_logs_actor_time", "actor_id", "occurred_at"),
        Index(
            "ix_contact_logs_open_follow_ups",
            "created_by_id",
            "follow_up_on",
            sqlite_where=follow_up_on.isnot(None) & follow_up_done_at.is_(None),
            postgresql_where=follow_up_on.isnot(None) & follow_up_done_at.is_(None),
        ),
        # Keys are per user. The unique index, not a look-up first, is what stores a repeated
        # submission once when two arrive at the same moment.
        Index(
            "uq_contact_logs_submission",
            "created_by_id",
            "submission_key",
            unique=True,
            sqlite_where=submission_key.isnot(None),
            postgresql_where=submission_key.isnot(None),
        ),
        {"sqlite_autoincrement": True},
    )


class Relation(Base):
    """A typed, optionally dated link between two actors."""

    __tablename__ = "relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    strength: Mapped[int] = mapped_column(Integer, default=1)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    source: Mapped[Actor] = relationship(foreign_keys=[source_id])
    target: Mapped[Actor] = relationship(foreign_keys=[target_id])

    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "type", name="uq_relations_pair_type"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("strength BETWEEN 1 AND 3", name="strength_range"),
        Index("ix_relations_target", "target_id"),
        {"sqlite_autoincrement": True},
    )


class DataVersion(Base):
    """A counter bumped in every transaction that changes what the reach analysis reads.

    The analysis cache is keyed by it, so a result is never stale after a logged contact.
    One row (id 1), created by the migration.
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class ActorClaim(Base):
    """A staff member claims an actor to call or visit, so two people do not call the same one."""

    __tablename__ = "actor_claims"

    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    claimed_at: Mapped[datetime] = mapped_column(DateTime)

    actor: Mapped[Actor] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_actor_claims_user", "user_id"),)


event_themes = Table(
    "event_themes",
    Base.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Event(Base):
    """A workshop, open atelier, idea atelier or info session, with its invitation list."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    type: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    place: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    themes: Mapped[list[Theme]] = relationship(
        secondary=event_themes, order_by=Theme.name, lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        Index("ix_events_starts_at", "starts_at"),
        {"sqlite_autoincrement": True},
    )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.name!r}>"


class Invitation(Base):
    """One actor on an event's invitation list: the channel to invite them by and the status."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    channel_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attendance_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_logs.id", ondelete="SET NULL")
    )
    # What the status was before a check-in, so that undoing it restores it.
    status_before_attendance: Mapped[str | None] = mapped_column(String(20))

    event: Mapped[Event] = relationship()
    actor: Mapped[Actor] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "actor_id", name="uq_invitations_event_actor"),
        Index("ix_invitations_actor", "actor_id"),
        {"sqlite_autoincrement": True},
    )


idea_owners = Table(
    "idea_owners",
    Base.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_idea_owners_actor", "actor_id"),
)


class Idea(Base):
    """An idea raised at an event, carried by its owners (actors), with its status history."""

    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(NAME_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    theme: Mapped[Theme | None] = relationship(lazy="joined")
    event: Mapped[Event | None] = relationship()
    owners: Mapped[list[Actor]] = relationship(
        secondary=idea_owners, order_by=Actor.name, lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_ideas_event", "event_id"),
        Index("ix_ideas_theme", "theme_id"),
        {"sqlite_autoincrement": True},
    )


class IdeaUpdate(Base):
    """A dated status update of an idea (news for the people who carry it)."""

    __tablename__ = "idea_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    occurred_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_idea_updates_idea", "idea_id", "occurred_on"),)


class SavedFilter(Base):
    """A named selection of actors for the invitation list builder (its criteria as JSON)."""

    __tablename__ = "saved_filters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(LABEL_MAX), unique=True)
    criteria: Mapped[str] = mapped_column(Text)  # JSON
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ExportLog(Base):
    """Who exported what, when: every invitation list, call sheet and keep-warm export."""

    __tablename__ = "export_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    details: Mapped[str] = mapped_column(Text, default="")  # what: format, filters (JSON)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    left_out: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_export_logs_created_at", "created_at"),)


class ImportRecord(Base):
    """One import of a list: the uploaded file while it is checked, then who imported it, when,
    and what it did (counts); undone as a whole while its actors have no newer changes."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(10))  # "file" or "kbo"
    file_name: Mapped[str] = mapped_column(String(FILE_NAME_MAX))
    status: Mapped[str] = mapped_column(String(10))  # "draft", "imported", "undone"
    # The uploaded file, kept only until it is imported (or the draft is given up).
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    mapping: Mapped[str] = mapped_column(Text, default="{}")  # JSON: column header -> field
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the user's choices per row
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # JSON: the rows left out (in error, skipped; possible duplicates) with their messages.
    report: Mapped[str] = mapped_column(Text, default="[]")

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")
    imported_by: Mapped[User | None] = relationship(foreign_keys=[imported_by_id], lazy="joined")

    __table_args__ = (Index("ix_imports_created_at", "created_at"), {"sqlite_autoincrement": True})


class ImportedActor(Base):
    """An actor an import created or changed, with what it was before (to undo the import)."""

    __tablename__ = "imported_actors"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    action: Mapped[str] = mapped_column(String(10))  # "created" or "updated"
    before: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the changed fields' old values
    version_after: Mapped[int] = mapped_column(Integer)  # the actor's version the import left

    __table_args__ = (Index("ix_imported_actors_actor", "actor_id"),)


class ImportMapping(Base):
    """A saved column mapping ("Inschrijvingen platform"), reused for the next file like it."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(LABEL_MAX), unique=True)
    columns: Mapped[str] = mapped_column(Text)  # JSON: column header -> field (or null)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Job(Base):
    """Work that takes longer than a request (checking or importing a big file, finding the
    possible duplicates): its progress and result, read by any web worker after a reload."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(10))  # "queued", "running", "done", "failed"
    step: Mapped[str] = mapped_column(String(30), default="")  # what it does now: "checking"
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"))
    result: Mapped[str] = mapped_column(Text, default="")  # JSON, when done
    error: Mapped[str] = mapped_column(Text, default="")  # JSON messages, when failed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)  # also the heartbeat while running

    __table_args__ = (
        Index("ix_jobs_kind_created", "kind", "created_at"),
        {"sqlite_autoincrement": True},
    )


class MergeRecord(Base):
    """Two actors found to be one: which was kept, which removed, and what moved over."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    kept_name: Mapped[str] = mapped_column(String(NAME_MAX))
    removed_id: Mapped[int] = mapped_column(Integer)  # the removed actor is gone: no foreign key
    removed_name: Mapped[str] = mapped_column(String(NAME_MAX))
    fields_taken: Mapped[str] = mapped_column(Text, default="[]")  # JSON: fields from the removed
    contacts_moved: Mapped[int] = mapped_column(Integer, default=0)
    relations_moved: Mapped[int] = mapped_column(Integer, default=0)
    invitations_moved: Mapped[int] = mapped_column(Integer, default=0)
    ideas_moved: Mapped[int] = mapped_column(Integer, default=0)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(DateTime)

    merged_by: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_merges_merged_at", "merged_at"), {"sqlite_autoincrement": True})
