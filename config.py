"""Configuration classes. Secrets and the database URL come from the environment."""

import os
from datetime import timedelta


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float_env(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class Config:
    """Defaults for development: SQLite in the instance folder, Dutch UI."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # None: a key is generated in the instance folder
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = ("nl", "en")

    # Rules of reach (docs/rules-of-reach.md#settings); one place for every threshold.
    REACH_WINDOW_DAYS = _int_env("REACH_WINDOW_DAYS", 180)
    REACH_THRESHOLD = _float_env("REACH_THRESHOLD", 0.5)
    MIN_GROUP_SIZE = _int_env("MIN_GROUP_SIZE", 3)
    MAX_FAILED_CALLS = _int_env("MAX_FAILED_CALLS", 3)  # then a visit is recommended instead
    # Above this many actors the network map shows one node per kind × district (issue 4).
    MAP_NODE_LIMIT = _int_env("MAP_NODE_LIMIT", 2000)

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # forms and JSON bodies; imports get their own limit
    JOBS_IN_BACKGROUND = True  # app.jobs: long work in a thread; the test client runs it inline
    PER_PAGE = 25
    MAX_PER_PAGE = 100
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # "Stay logged in on this device": a cookie valid this long (Flask-Login's default is a year),
    # ended earlier by logout, a password reset, deactivation or a role change (docs/sessions.md).
    REMEMBER_COOKIE_DURATION = timedelta(days=_int_env("REMEMBER_COOKIE_DAYS", 14))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A login not used this long, or this old, ends (docs/sessions.md#timeouts).
    SESSION_IDLE_MINUTES = _int_env("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = _int_env("SESSION_ABSOLUTE_HOURS", 12)
    WTF_CSRF_TIME_LIMIT = None  # a form left open during a long phone call must still save


class TestConfig(Config):
    """Tests: the database URL is given by the test fixtures; CSRF stays on."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    LOGIN_RATE_LIMIT = "1000 per minute"
    JOBS_IN_BACKGROUND = False


class ProductionConfig(Config):
    """Production behind gunicorn: SECRET_KEY and DATABASE_URL must be set."""

    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
