"""`drill peer-scores INPUT.json [--output OUT.json]`: score a case round offline, for audits, appeals and
research, with the very function the app uses (`peer_io.score`). Formats: see `peer_io`.

Bad input (a score outside 0..max_score, an unknown example or reviewer, a duplicate record) is refused
with a message naming every bad record; nothing is written then."""

from __future__ import annotations

import json
from pathlib import Path

import click

from drill.competitions import peer_io
from drill.competitions.rules.peer_model import PeerInputError


@click.command("peer-scores")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output", "target", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout."
)
def peer_scores_command(source: Path, target: Path | None) -> None:
    """Score a case round's peer reviews from a JSON file (see docs/peer-scoring.md)."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{source}: not JSON ({error})") from None
    try:
        result = peer_io.score(data)
    except PeerInputError as error:
        raise click.ClickException(f"{source}:\n{error}") from None
    text = json.dumps(peer_io.output(result), ensure_ascii=False, indent=2) + "\n"
    if target is None:
        click.echo(text, nl=False)
    else:
        target.write_text(text, encoding="utf-8")
        click.echo(f"{len(result.entries)} entries, {len(result.reviewers)} reviewers → {target}")
