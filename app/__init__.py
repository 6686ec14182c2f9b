"""The Flask application: `flask --app app ...` and `gunicorn 'app:create_app()'`."""

import os
import secrets
from pathlib import Path

from flask import Flask

from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from crm.db import SQLITE_BUSY_TIMEOUT_S, configure_engine

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: object | str | None = None, **overrides) -> Flask:
    """Build the app from a config class (default `config.Config`) plus keyword overrides."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=os.environ.get("BEREIK_INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.from_object(config or os.environ.get("BEREIK_CONFIG", "config.Config"))
    app.config.update(overrides)
    _ensure_instance(app)
    _bind_extensions(app)
    _register_blueprints(app)
    return app


def _ensure_instance(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{app.instance_path}/bereik.sqlite"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})  # never the class's dict
        options.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_S})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))


def _instance_secret_key(instance: Path) -> str:
    # Development convenience: a random key kept in the instance folder, never in the repository.
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bind_extensions(app: Flask) -> None:
    from app import auth, i18n

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth.configure_login(login_manager)
    app.before_request(auth.end_timed_out_sessions)
    app.before_request(auth.require_login_everywhere)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.register_template_helpers(app)


def _register_blueprints(app: Flask) -> None:
    from app import api, cli, errors, security
    from app.accounts import views as accounts
    from app.actors import views as actors
    from app.auth import views as auth_views
    from app.contacts import views as contacts
    from app.duplicates import views as duplicates
    from app.events import views as events
    from app.exports import views as exports
    from app.ideas import views as ideas
    from app.imports import views as imports
    from app.jobs import views as jobs
    from app.maps import views as maps
    from app.outreach import views as outreach

    for blueprint in (
        auth_views.bp,
        actors.bp,
        contacts.bp,
        accounts.bp,
        outreach.bp,
        maps.bp,
        events.bp,
        exports.bp,
        ideas.bp,
        imports.bp,
        jobs.bp,
        duplicates.bp,
        api.bp,
    ):
        app.register_blueprint(blueprint)
    errors.register(app)
    security.register(app)
    cli.register(app)
