"""`drill user add` and `drill demo`."""

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from drill.accounts import demo, names, services
from drill.accounts.models import Branch, User
from drill.accounts.roles import CATEGORIES, LEVELS, ROLES, resolve
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


@click.command("demo", help="Seed the demo organisation and print its logins.")
@click.option("--force", is_flag=True, help="Seed even though the database already holds users.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database holds users.")
@with_appcontext
def demo_command(force: bool, if_empty: bool) -> None:
    users = db.session.scalar(select(func.count()).select_from(User))
    if users and if_empty:
        click.echo("database already holds users; demo not seeded")
        return
    if users and not force:
        raise click.ClickException(
            f"the database holds {users} users; refusing to add the demo to real data (use --force)"
        )
    if db.session.scalar(select(Branch).where(Branch.code == demo.BRANCHES[0][0])) is not None:
        raise click.ClickException("the demo organisation is already there")
    from drill import demo as history  # the whole demo: people, then a quarter of their history

    logins, notes = history.seed()
    db.session.commit()
    for line in notes:
        click.echo(line)
    click.echo(f"Demo seeded. Every demo password is: {demo.DEMO_PASSWORD}")
    click.echo(f"{'login':<10} {'roles':<10} name / branch")
    for no, name, roles, branch in logins:
        click.echo(f"{no:<10} {roles:<10} {name} / {branch}")
