"""Who is logged in and what their role allows."""

from functools import wraps

from flask import redirect, request, url_for
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
