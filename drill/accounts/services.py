"""Writing accounts and branches. Services flush; the caller (view or command) commits once."""

import secrets
import string

from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from drill.accounts.models import Branch, User
from drill.accounts.rules.sheet import SheetResult
from drill.accounts.session import end_all
from drill.extensions import db

# No 0/O or 1/l/I: initial passwords are read off a screen and typed on a phone.
_PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def named_users(relationship):
    """Load the users a page names (deciders, authors, actors) with the rows that name them. Their
    branches and roles stay lazy, as the signed-in user's are: that user is often one of them, and the
    menu reads their branch (a raise-on-load here would reach it)."""
    return selectinload(relationship).options(
        lazyload(User.branch), lazyload(User.scope_branch), lazyload(User.role_rows)
    )


def generate_password(length: int = 10) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def create_branch(code: str, name: str, kind: str, parent: Branch | None = None) -> Branch:
    branch = Branch(code=code, name=name, kind=kind, parent=parent)
    db.session.add(branch)
    db.session.flush()  # the id is part of the path
    branch.path = f"{parent.path if parent else '/'}{branch.id}/"
    return branch


def create_user(
    *,
    employee_no: str,
    name: str,
    branch: Branch,
    roles: set[str],
    password: str,
    category: str | None = None,
    level: str | None = None,
    scope_branch: Branch | None = None,
    locale: str = "zh_CN",
    password_hash: str | None = None,
) -> User:
    """A new account. `password_hash`, when given, is `password`'s hash made already: the demo's accounts,
    which all share one published password, share one hash instead of making dozens."""
    user = User(
        employee_no=employee_no,
        name=name,
        branch=branch,
        category=category,
        level=level,
        scope_branch=scope_branch,
        locale=locale,
    )
    user.roles = roles
    if password_hash is None:
        user.set_password(password)
    else:
        user.password_hash = password_hash
    db.session.add(user)
    db.session.flush()
    return user


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_all(user)


def branch_codes() -> set[str]:
    return set(db.session.scalars(select(Branch.code)))


def employee_numbers() -> set[str]:
    return set(db.session.scalars(select(User.employee_no)))


def import_users(result: SheetResult) -> list[tuple[User, str | None]]:
    """Create the users of a validated sheet; returns each with the password generated for it, if any."""
    if result.problems:
        raise ValueError("a sheet with problems must not be imported")
    branches = {b.code: b for b in db.session.scalars(select(Branch))}
    created = []
    for row in result.rows:
        generated = None if row.password else generate_password()
        user = create_user(
            employee_no=row.employee_no,
            name=row.name,
            branch=branches[row.branch],
            roles=row.roles,
            password=row.password or generated,
            category=row.category,
            level=row.level,
        )
        created.append((user, generated))
    return created
