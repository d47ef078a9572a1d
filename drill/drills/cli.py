"""`drill close-overdue`: close attempts whose deadline has passed; `drill housekeeping`: that and the
level changes whose day has come (run either from cron if you like; the app does both in passing too,
see drill/housekeeping.py)."""

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


@click.command("housekeeping", help="Close overdue attempts and apply level changes whose day has come.")
@with_appcontext
def housekeeping_command() -> None:
    from drill import housekeeping

    closed, applied = housekeeping.run(utcnow())
    db.session.commit()
    click.echo(f"已关闭 {closed} 份超时作答，{applied} 项等级调整生效")
    click.echo(f"closed {closed} attempts, applied {applied} level changes")
