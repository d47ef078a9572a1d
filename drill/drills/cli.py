"""`drill close-overdue`: close attempts whose deadline has passed (run it from cron if you like; pages
close them too whenever they are looked at)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from drill.database import utcnow
from drill.drills import services
from drill.extensions import db


@click.command("close-overdue", help="Close every open attempt past its deadline, scoring what was saved.")
@with_appcontext
def close_overdue_command() -> None:
    closed = services.close_overdue(utcnow(), float(current_app.config["DEADLINE_GRACE_SECONDS"]))
    db.session.commit()
    click.echo(f"closed {closed} attempts / 已关闭 {closed} 份超时作答")
