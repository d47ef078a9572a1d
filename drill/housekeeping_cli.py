"""`drill housekeeping`: close overdue papers and apply the level changes whose day has come, once, in
chunks (run it from the systemd timer or cron line in deploy/: drill/housekeeping.py says how two nodes
running it at once never do the same work twice). `drill close-overdue`: the papers only."""

import click
from flask.cli import with_appcontext

from drill import housekeeping
from drill.database import utcnow

CHUNK_OPTION = click.option(
    "--chunk",
    default=housekeeping.CHUNK,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Papers closed per transaction.",
)


def _skipped() -> None:
    click.echo("另一个节点正在执行，本次跳过 / another node is running it: skipped")


@click.command("close-overdue", help="Close every open attempt past its deadline, scoring what was saved.")
@CHUNK_OPTION
@with_appcontext
def close_overdue_command(chunk: int) -> None:
    with housekeeping.run_lock() as held:
        if not held:
            _skipped()
            return
        closed = housekeeping.close_overdue(utcnow(), chunk)
    click.echo(f"已关闭 {closed} 份超时作答 / closed {closed} attempts")


@click.command("housekeeping", help="Close overdue attempts and apply level changes whose day has come.")
@CHUNK_OPTION
@with_appcontext
def housekeeping_command(chunk: int) -> None:
    outcome = housekeeping.run_once(utcnow(), chunk)
    if not outcome.ran:
        _skipped()
        return
    click.echo(f"已关闭 {outcome.closed} 份超时作答，{outcome.applied} 项等级调整生效")
    click.echo(f"closed {outcome.closed} attempts, applied {outcome.applied} level changes")
