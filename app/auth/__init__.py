"""Who is logged in and what their role allows."""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import LoginManager, current_user

from app.extensions import db
from crm.models import User
from crm.permissions import Permission

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})


def configure_login(manager: LoginManager) -> None:
    """Load users for Flask-Login and require a login on every page but the login page."""
    manager.login_view = "auth.login"
    manager.login_message = None  # the login page itself explains what to do
    manager.user_loader(_load_user)


def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def require_login_everywhere() -> None:
    """Redirect anonymous visitors of any page to /login (the API answers 401 itself)."""
    # By path, not endpoint: an unknown /api/ path has no endpoint and must get JSON 404/405.
    if request.endpoint in PUBLIC_ENDPOINTS or request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def permission_required(permission: Permission):
    """Allow the view to users with `permission` (crm.permissions; 403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not permission(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
