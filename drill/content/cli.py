"""`drill check` and `drill import`. check reads files only; import checks first and commits once.

Problems are printed in Chinese unless `--lang en` (or `DRILL_LANG=en`) asks for English; `--format json`
gives each problem's English `message` with its `template` and `params`, whatever the language."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from drill.content.rules.check import Report, check_paths
from drill.content.services import import_paths
from drill.extensions import db
from drill.i18n import lang_option


def _paths(paths: tuple[str, ...]) -> list[Path]:
    return [Path(p) for p in paths] or [Path(current_app.config["CONTENT_DIR"])]


def _taxonomy() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "taxonomy.yaml"


def print_report(report: Report, verbose: bool = False) -> None:
    """Every problem in the current locale (see `lang_option`), then the counts."""
    for problem in [*report.errors, *report.warnings]:
        click.echo(problem.text())
    if verbose:
        for pack in report.packs:
            s = pack.summary()
            types = ", ".join(f"{k} {v}" for k, v in s["by_type"].items())
            click.echo(f"{s['path']}: {s['kind']} {s['id']} — {s['questions']} questions ({types})")
    questions = sum(len(p.pack.questions) for p in report.packs)
    click.echo(
        f"{len(report.packs)} packs, {questions} questions: {len(report.errors)} errors, "
        f"{len(report.warnings)} warnings / {len(report.packs)} 个内容包，{questions} 道题："
        f"{len(report.errors)} 个错误，{len(report.warnings)} 个警告"
    )


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Warnings fail too. / 警告也算失败。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="List every pack. / 列出每个内容包。")
@with_appcontext
@lang_option
def check_command(paths: tuple[str, ...], strict: bool, fmt: str, verbose: bool) -> None:
    """Check content packs without touching the database (default: the content folder).
    检查内容包（不写数据库）。Exit 0 clean, 1 errors, 2 bad usage."""
    report = check_paths(_paths(paths), strict=strict, taxonomy_path=_taxonomy())
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report, verbose)
    click.get_current_context().exit(0 if report.ok else 1)


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--retire-missing",
    is_flag=True,
    help="Retire packs in the database that are not among PATHS (use with the whole content folder).",
)
@with_appcontext
@lang_option
def import_command(paths: tuple[str, ...], retire_missing: bool) -> None:
    """Check, then import content packs in one transaction; nothing is imported if anything is wrong.
    检查并导入内容包：有任何错误则一项都不导入。"""

    result = import_paths(_paths(paths), taxonomy_path=_taxonomy(), retire_missing=retire_missing)
    if not result.ok:
        db.session.rollback()
        print_report(result.report)
        click.echo("Nothing was imported. / 未导入任何内容。")
        click.get_current_context().exit(1)
    db.session.commit()
    for pack in result.packs:
        if pack.status == "unchanged":
            click.echo(f"{pack.slug}: unchanged (v{pack.version}) / 未变化")
            continue
        counts = ", ".join(f"{name} {len(getattr(pack, name))}"
                           for name in ("added", "changed", "retired", "unchanged", "restored")
                           if getattr(pack, name) or name != "restored")  # fmt: skip
        click.echo(f"{pack.slug}: {pack.status} → v{pack.version}: {counts}")
        # A new pack's questions are all added; list keys only where something happened to a known pack.
        for name in ("added", "changed", "retired", "restored") if pack.status == "changed" else ():
            for key in getattr(pack, name):
                click.echo(f"  {name}: {key}")
    for slug in result.retired_packs:
        click.echo(f"{slug}: retired (not in the imported content) / 已停用")
