"""The `drill demo` command: seeds the demo organisation and its history (`drill.demo.seed`) into an empty
database and prints the logins."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from drill.accounts import demo as people
from drill.accounts.models import Branch, User
from drill.demo import seed
from drill.extensions import db


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
    if db.session.scalar(select(Branch).where(Branch.code == people.BRANCHES[0][0])) is not None:
        raise click.ClickException("the demo organisation is already there")
    logins, notes = seed()
    db.session.commit()
    for line in notes:
        click.echo(line)
    click.echo(f"Demo seeded. Every demo password is: {people.DEMO_PASSWORD}")
    click.echo(f"{'login':<10} {'roles':<10} name / branch")
    for no, name, roles, branch in logins:
        click.echo(f"{no:<10} {roles:<10} {name} / {branch}")
