"""Command-line commands: `flask users ...`, `flask demo-data ...`, `flask bootstrap`,
`flask reach report`; `flask import ...` lives in app.imports_cli.

Each command calls crm service functions and owns the transaction, like a view does.
"""

import functools
import io
import secrets
import sys
import time
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale, gettext
from tqdm import tqdm

from app.analysis import current_analysis
from app.extensions import db
from app.imports_cli import imports
from crm.actors import choices_of_districts
from crm.messages import Invalid, NotFound
from crm.users import create_user, find_user_by_email, issue_api_token, list_users, set_password
from crm.validation import display_phone
from crm.worklist import contact_cards
from demo.city import (
    DatabaseNotEmpty,
    default_relations,
    has_actors,
    load_demo_data,
    settle_after_load,
)
from demo.events import load_demo_events
from mapping import report
from mapping.filters import AnalysisFilter

ADMIN_EMAIL = "admin@bereik.example"  # reserved for examples (RFC 2606): never a real mailbox
BOOTSTRAP_ACTORS = 2_000
BOOTSTRAP_CONTACTS = 20_000


def register(app: Flask) -> None:
    """Attach the commands to the app."""
    app.cli.add_command(users)
    app.cli.add_command(demo_data)
    app.cli.add_command(bootstrap)
    app.cli.add_command(reach)
    app.cli.add_command(imports)


# --- users -------------------------------------------------------------------------------


users = AppGroup("users", help="Manage staff accounts.")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name, as colleagues see it.")
@click.option("--role", default="staff", show_default=True, help="staff, coordinator or admin.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 12 characters; asked for when not given.",
)
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account."""
    try:
        user = create_user(db.session, email=email, name=name, role=role, password=password)
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        _fail("The account was not created:", error)
    click.echo(f"Created {user.role} account {user.email} ({user.name}).")


@users.command("token")
@click.argument("email")
def token_command(email: str) -> None:
    """Issue a new API token (replacing the old one) and print only the token."""
    try:
        user = find_user_by_email(db.session, email)
        token = issue_api_token(db.session, user.id)
        db.session.commit()
    except NotFound:
        db.session.rollback()
        _fail(f"There is no account for {email}.")
    click.echo(token)


@users.command("set-password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password_command(email: str, password: str) -> None:
    """Replace an account's password."""
    try:
        user = find_user_by_email(db.session, email)
        set_password(db.session, user.id, password)
        db.session.commit()
    except NotFound:
        db.session.rollback()
        _fail(f"There is no account for {email}.")
    except Invalid as error:
        db.session.rollback()
        _fail("The password was not changed:", error)
    click.echo(f"The password of {user.email} was changed.")


@users.command("list")
def list_command() -> None:
    """List every account."""
    accounts = list_users(db.session)
    if not accounts:
        click.echo("No accounts yet. Create one with: flask users create EMAIL --name NAME")
        return
    width = max(len(u.email) for u in accounts)
    for user in accounts:
        state = "" if user.active else "  (inactive)"
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        click.echo(
            f"{user.email:<{width}}  {user.role:<11}  {user.name}  last login: {last}{state}"
        )


# --- demo data and bootstrap -------------------------------------------------------------


@click.command("demo-data")
@click.option("--actors", type=click.IntRange(min=1), default=BOOTSTRAP_ACTORS, show_default=True)
@click.option(
    "--contacts", type=click.IntRange(min=0), default=BOOTSTRAP_CONTACTS, show_default=True
)
@click.option(
    "--relations",
    type=click.IntRange(min=0),
    default=None,
    help=f"Relations between actors [default: {default_relations(1)} per actor].",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@with_appcontext
def demo_data(actors: int, contacts: int, relations: int | None, seed: int) -> None:
    """Fill an empty database with a realistic Sint-Niklaas stakeholder picture."""
    started = time.perf_counter()
    # Existing accounts become the authors of the contacts, so that follow-ups show up.
    authors = [user.id for user in list_users(db.session) if user.active]
    try:
        summary = _load_demo(
            actors=actors, contacts=contacts, relations=relations, seed=seed, user_ids=authors
        )
    except DatabaseNotEmpty as error:
        db.session.rollback()
        _fail(str(error))
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in sorted(summary.by_kind.items()))
    click.echo(f"Kinds: {kinds}.")
    click.echo(
        f"Loaded {summary.actors:,} actors, {summary.contacts:,} contacts and "
        f"{summary.relations:,} relations in {time.perf_counter() - started:.1f} s."
    )


@click.command("bootstrap")
@click.option("--actors", type=click.IntRange(min=1), default=BOOTSTRAP_ACTORS, show_default=True)
@click.option(
    "--contacts", type=click.IntRange(min=0), default=BOOTSTRAP_CONTACTS, show_default=True
)
@click.option("--seed", type=int, default=1, show_default=True)
@with_appcontext
def bootstrap(actors: int, contacts: int, seed: int) -> None:
    """On an empty database: load demo data and create an administrator (run after db upgrade)."""
    session = db.session
    if list_users(session) or has_actors(session.connection()):
        session.rollback()
        click.echo("The database already has accounts or actors: bootstrap changed nothing.")
        return
    started = time.perf_counter()
    password = secrets.token_urlsafe(18)
    admin = _create_admin(password)
    # The demo contacts are the administrator's, so that the follow-up list is not empty.
    summary = _load_demo(actors=actors, contacts=contacts, seed=seed, user_ids=[admin.id])
    events = load_demo_events(session, user_id=admin.id)
    session.commit()
    click.echo(
        f"Loaded {summary.actors:,} demo actors, {summary.contacts:,} contacts and "
        f"{events.events} events with {events.invitations} invitations and {events.ideas} ideas "
        f"in {time.perf_counter() - started:.1f} s."
    )
    click.echo(
        _box(
            [
                "Bereik is ready. Log in with:",
                "",
                f"  e-mail:    {ADMIN_EMAIL}",
                f"  password:  {password}",
                "",
                "This password is shown only this once: store it in a password manager.",
                f"Change it with: flask users set-password {ADMIN_EMAIL}",
            ]
        )
    )


def _create_admin(password: str):
    """The administrator of a fresh install."""
    return create_user(
        db.session, email=ADMIN_EMAIL, name="Administrator", role="admin", password=password
    )


def _load_demo(**options):
    """Run demo.city on the session's connection with a progress bar, then commit."""
    session = db.session
    relations = options.get("relations")
    total = (
        options["actors"]
        + options["contacts"]
        + (default_relations(options["actors"]) if relations is None else relations)
    )
    with tqdm(total=total, unit=" rows", unit_scale=True, file=sys.stderr, desc="demo data") as bar:
        summary = load_demo_data(session.connection(), progress=bar.update, **options)
        bar.set_description("committing")
        session.commit()
    settle_after_load(db.engine)
    return summary


def _box(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 4) + "+"
    return "\n".join([rule, *(f"|  {line:<{width}}  |" for line in lines), rule])


def _fail(headline: str, error: Invalid | None = None) -> NoReturn:
    """Print the problem in plain words on stderr and exit with status 1."""
    click.echo(headline, err=True)
    if error is not None:
        for field, messages in error.errors.items():
            for message in messages:
                click.echo(f"  {field}: {message.render()}", err=True)
    raise SystemExit(1)


# --- reach ---------------------------------------------------------------------------------


reach = AppGroup("reach", help="The rules of reach: flagged groups and whom to call or visit.")


@reach.command("report")
@click.option("--district", default=None, help="Only the actors (and their groups) of a district.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(report.FORMATS),
    default="text",
    show_default=True,
    help="text for people, csv (one row per action) for a spreadsheet, json for programs.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Language of sentences and reasons [default: the app's default language].",
)
def reach_report_command(district: str | None, output_format: str, lang: str | None) -> None:
    """Print the flagged groups and the ranked next actions (no prompts: fit for cron)."""
    districts = choices_of_districts(db.session)
    if district is not None and district not in districts:
        db.session.rollback()
        _fail(f"Unknown district {district!r}; choose one of: {', '.join(districts)}.")
    filters = AnalysisFilter(district=district or "")
    analysis = current_analysis()
    cards = contact_cards(db.session, [r.actor_id for r in filters.recommendations(analysis)])
    # Read only: end the transaction (on SQLite a write lock) before writing to a slow pipe.
    db.session.rollback()
    out = io.StringIO()
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        # One look-up per message id, not one per row: 70 000 actions at the design scale.
        translate = functools.lru_cache(maxsize=None)(gettext)
        data = report.build_report(analysis, filters, cards=cards, translate=translate)
        if output_format == "json":
            report.write_json(data, out)
        elif output_format == "csv":
            report.write_csv(data, out, translate=translate, display_phone=display_phone)
        else:
            report.write_text(data, out, translate=translate, display_phone=display_phone)
    click.echo(out.getvalue(), nl=False)
