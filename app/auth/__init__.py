"""Who is logged in and what their role allows."""

import time
from functools import wraps

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import LoginManager, current_user

from app.extensions import db
from app.i18n import translate_message
from crm.models import User
from crm.permissions import Permission, Refused, explain_refusal
from crm.users import active_administrators, user_for_session

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})


def configure_login(manager: LoginManager) -> None:
    """Load users for Flask-Login and require a login on every page but the login page."""
    manager.login_view = "auth.login"
    manager.login_message = None  # the login page itself explains what to do
    manager.user_loader(_load_user)


def _load_user(session_id: str) -> User | None:
    # The session's and the remember cookie's id (User.get_id): refused once the user's sessions
    # were ended by a logout, a password reset, deactivation or a role change.
    return user_for_session(db.session, session_id)


# Kept in the signed session cookie: when this login started and when it was last used.
STARTED_AT, SEEN_AT = "started_at", "seen_at"
LOGIN_KEYS = ("_user_id", "_fresh", "_id", STARTED_AT, SEEN_AT)


def start_session_clock() -> None:
    """Count the idle and absolute timeouts of the login just made from now."""
    session[STARTED_AT] = session[SEEN_AT] = int(time.time())


def end_timed_out_sessions() -> None:
    """Forget a login idle longer than SESSION_IDLE_MINUTES or older than SESSION_ABSOLUTE_HOURS
    (docs/sessions.md#timeouts); a valid remember cookie logs the user in again."""
    if "_user_id" not in session or request.path.startswith("/api/"):
        return
    now = int(time.time())
    started, seen = session.setdefault(STARTED_AT, now), session.setdefault(SEEN_AT, now)
    config = current_app.config
    idle = now - seen > config["SESSION_IDLE_MINUTES"] * 60
    if idle or now - started > config["SESSION_ABSOLUTE_HOURS"] * 3600:
        for key in LOGIN_KEYS:
            session.pop(key, None)
        flash(gettext("You were logged out after a while without activity."), "info")
    elif now - seen >= 60:  # not on every request: the cookie is then written once a minute
        session[SEEN_AT] = now


def require_login_everywhere() -> None:
    """Redirect anonymous visitors of any page to /login (the API answers 401 itself)."""
    # By path, not endpoint: an unknown /api/ path has no endpoint and must get JSON 404/405.
    if request.endpoint in PUBLIC_ENDPOINTS or request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def permission_required(permission: Permission):
    """Allow the view to users with `permission` (crm.permissions; otherwise the 403 page says
    who may and whom to ask)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not permission(current_user):
                raise Refused(permission)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def explain(refused: Refused) -> list[str]:
    """What was refused, which role may do it and whom to ask, in the user's language."""
    administrators = active_administrators(db.session)
    return [translate_message(m) for m in explain_refusal(refused.permission, administrators)]
