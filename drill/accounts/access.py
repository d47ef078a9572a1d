"""Role checks for views: every page says which roles may open it, and the server enforces it."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from drill.accounts.models import Branch, User
from drill.extensions import db
from drill.forms import options


def role_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def scope_path(user: User) -> str | None:
    return user.scope_branch.path if user.scope_branch is not None else None


def limit_to_scope(query: Select, user: User) -> Select:
    """Restrict a query over users to the viewer's subtree (joins Branch)."""
    path = scope_path(user)
    if path is None:
        return query
    return query.join(User.branch).where(Branch.path.startswith(path, autoescape=True))


def limit_branches_to_scope(query: Select, user: User) -> Select:
    path = scope_path(user)
    return query if path is None else query.where(Branch.path.startswith(path, autoescape=True))


def visible_branches() -> list[Branch]:
    """The branches the signed-in user may see, in tree order (for a branch filter or field)."""
    query = limit_branches_to_scope(select(Branch).order_by(Branch.path), current_user)
    return list(db.session.scalars(query))


def branch_choices(branches: list[Branch]) -> list:
    return options((b.id, "\u3000" * b.depth + f"{b.name} ({b.code})") for b in branches)
