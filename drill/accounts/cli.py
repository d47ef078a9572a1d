"""`drill user add`: an account from the command line (`drill demo` is in drill/demo/cli.py)."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from drill.accounts import services
from drill.accounts.models import Branch, User
from drill.accounts.roles import CATEGORIES, LEVELS, ROLES, resolve
from drill.accounts.rules import names
from drill.extensions import db


@click.group("user", help="Manage user accounts.")
def user_group() -> None:
    pass


@user_group.command("add")
@click.argument("employee_no")
@click.option("--name", required=True, help="Full name.")
@click.option("--branch", "branch_code", required=True, help="Branch code.")
@click.option(
    "--role", "roles", multiple=True, required=True, help="manager, trainer, judge or admin (repeat)."
)
@click.option("--category", help="personal, corporate, comprehensive or tobacco.")
@click.option("--level", help="junior, intermediate or senior.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def add_user(employee_no, name, branch_code, roles, category, level, password) -> None:
    """Create the user EMPLOYEE_NO."""
    name = names.normalise(name)
    refused = names.problem(name)
    if refused is not None or not name:
        raise click.BadParameter(str(refused) if refused else "the name is empty", param_hint="--name")
    branch = db.session.scalar(select(Branch).where(Branch.code == branch_code))
    if branch is None:
        raise click.BadParameter(f"no branch with code {branch_code!r}", param_hint="--branch")
    if db.session.scalar(select(User).where(User.employee_no == employee_no)) is not None:
        raise click.BadParameter(f"{employee_no} already has an account", param_hint="EMPLOYEE_NO")
    resolved = set()
    for word in roles:
        role = resolve(ROLES, word)
        if role is None:
            raise click.BadParameter(f"unknown role {word!r}", param_hint="--role")
        resolved.add(role)
    values = {}
    for key, text, vocabulary in (("category", category, CATEGORIES), ("level", level, LEVELS)):
        if text:
            values[key] = resolve(vocabulary, text)
            if values[key] is None:
                raise click.BadParameter(f"unknown {key} {text!r}", param_hint=f"--{key}")
    if "manager" in resolved and not (values.get("category") and values.get("level")):
        raise click.UsageError("a manager needs --category and --level")
    if len(password) < 8:
        raise click.BadParameter("at least 8 characters", param_hint="--password")
    services.create_user(
        employee_no=employee_no, name=name, branch=branch, roles=resolved, password=password, **values
    )
    db.session.commit()
    click.echo(f"created {employee_no} ({name}) at {branch.name}")
