"""`drill convert gift|xml|xlsx`, `drill export gift|xlsx` and `drill new quiz|case`.

Problems are printed as `FILE:LINE: message` (GIFT, packs) or `FILE:行 N 列 X: message` (worksheets).
A converter's notes are in Chinese and English; `drill check`'s problems with the pack are in the language
of `--lang` (default Chinese, or `DRILL_LANG`).
Exit status: 0 done (warnings allowed), 1 problems (nothing is written when a question could not be
converted), 2 bad usage.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from drill.content.convert import (
    WARNING,
    Conversion,
    Export,
    Issue,
    PackInfo,
    SkeletonError,
    create_pack,
    gift_to_pack,
    pack_to_gift,
    pack_to_xlsx,
    xlsx_to_pack,
)
from drill.content.convert.moodle_xml import moodle_xml_to_pack
from drill.content.discover import KIND_DIRS, content_root, shown
from drill.content.rules.check import check_paths
from drill.content.rules.packs import parse_pack
from drill.content.rules.problems import Problems
from drill.content.rules.reader import decode
from drill.content.rules.schema import SLUG_RE
from drill.content.taxonomy import Taxonomy, load_taxonomy
from drill.i18n import lang_option


def _taxonomy_path(near: Path | None = None) -> Path:
    root = content_root(near.resolve()) if near else None
    return (root or Path(current_app.config["CONTENT_DIR"])) / "taxonomy.yaml"


def _taxonomy(path: Path) -> Taxonomy:
    problems = Problems(str(path))
    taxonomy = load_taxonomy(path, problems)
    for problem in problems.items:
        click.echo(problem.text())
    if problems.has_errors:
        click.get_current_context().exit(1)
    return taxonomy


def _echo(file: str, issue: Issue, rows: bool = False) -> None:
    prefix = "warning: " if issue.severity == WARNING else ""
    if not issue.line:
        where = file
    elif rows:
        where = f"{file}:行 {issue.line}" + (f" 列 {issue.column}" if issue.column else "")
    else:
        where = f"{file}:{issue.line}"
    click.echo(f"{where}: {prefix}{issue.message}")


def _default_id(out: Path) -> str | None:
    stem = out.parent.name if out.stem == "index" else out.stem
    return stem if SLUG_RE.match(stem) else None


def _info_options(command):
    for name, text in reversed(
        [
            ("--id", "Pack id (default: the output file's name). / 题库编号"),
            ("--title", "Title (default: the first category or the input file's name). / 标题"),
            ("--theme", "Theme from taxonomy.yaml (XLSX: default the 主题 column). / 主题"),
            ("--level", "junior | intermediate | senior (XLSX: default the 级别 column). / 级别"),
            ("--audience", "bank | tobacco | both. / 适用对象"),
        ]
    ):
        command = click.option(name, help=text)(command)
    return click.option(
        "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
    )(click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))(command))


@click.group("convert")
def convert_group() -> None:
    """Convert a GIFT file, a Moodle XML file or an Excel workbook into a question bank.
    把 GIFT、Moodle XML 或 Excel 题库转换为内容包。"""


@convert_group.command("gift")
@_info_options
@with_appcontext
@lang_option
def convert_gift(file: Path, out: Path, **info: str | None) -> None:
    """Moodle GIFT → content/quizzes/NAME.md. / 导入 Moodle GIFT 题库。"""
    pack_info = _pack_info(info, out)
    text = _utf8(file)
    taxonomy = _taxonomy(_taxonomy_path(out))
    _finish(gift_to_pack(text, pack_info, taxonomy, file.name), file, out, rows=False)


@convert_group.command("xml")
@_info_options
@with_appcontext
@lang_option
def convert_xml(file: Path, out: Path, **info: str | None) -> None:
    """Moodle XML (a bank exported from Moodle) → content/quizzes/NAME.md. / 导入 Moodle XML 题库。"""
    pack_info = _pack_info(info, out)
    text = _utf8(file)
    taxonomy = _taxonomy(_taxonomy_path(out))
    _finish(moodle_xml_to_pack(text, pack_info, taxonomy, file.name), file, out, rows=False)


def _utf8(file: Path) -> str:
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        click.echo(
            f"{file}:{line}: 这一行不是 UTF-8，请另存为 UTF-8 / this line is not UTF-8; save it as UTF-8"
        )
        click.get_current_context().exit(1)
        raise  # not reached: exit raises


@convert_group.command("xlsx")
@_info_options
@with_appcontext
@lang_option
def convert_xlsx(file: Path, out: Path, **info: str | None) -> None:
    """Excel (题型, 题干, 选项A…H, 答案…) → content/quizzes/NAME.md. / 导入 Excel 题库。"""
    pack_info = _pack_info(info, out)
    taxonomy = _taxonomy(_taxonomy_path(out))
    _finish(xlsx_to_pack(file.read_bytes(), pack_info, taxonomy, file.name), file, out, rows=True)


def _pack_info(info: dict, out: Path) -> PackInfo:
    if out.suffix.lower() != ".md":
        raise click.BadParameter(
            "the output is a pack: name it NAME.md / 输出文件应以 .md 结尾", param_hint="-o"
        )
    return PackInfo(**{**info, "id": info.get("id") or _default_id(out)})


def _finish(result: Conversion, file: Path, out: Path, rows: bool) -> None:
    for issue in result.issues:
        _echo(str(file), issue, rows)
    if not result.ok:
        click.echo(
            f"{len(result.errors)} errors: nothing was written / {len(result.errors)} 个错误：未写入任何文件"
        )
        click.get_current_context().exit(1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.markdown or "", encoding="utf-8")
    click.echo(
        f"{result.questions} questions → {out} ({len(result.warnings)} warnings) / "
        f"已转换 {result.questions} 道题 → {out}（{len(result.warnings)} 个警告）"
    )
    if not _check_written(out):
        click.echo("drill check found errors in the written pack / 写出的内容包未通过 drill check")
        click.get_current_context().exit(1)


def _check_written(out: Path) -> bool:
    """`drill check` on the written pack among the packs of its content folder (ids must be unique
    across packs, linked files must be beside it); prints the errors that concern it."""
    root = content_root(out.resolve())
    report = check_paths([root or out], taxonomy_path=_taxonomy_path(out))
    name = shown(out)
    mine = [p for p in report.errors if p.file == name or f"{name}:" in p.message]
    for problem in mine:
        click.echo(problem.text())
    return not mine


@click.group("export")
def export_group() -> None:
    """Export a question bank to GIFT or Excel. / 把题库导出为 GIFT 或 Excel。"""


def _export_options(command):
    command = click.option(
        "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
    )(command)
    return click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))(command)


def _parsed(pack_file: Path):
    taxonomy = _taxonomy(_taxonomy_path(pack_file))
    problems = Problems(str(pack_file))
    text = decode(pack_file.read_bytes(), problems)
    if text is None:
        for problem in problems.items:
            click.echo(problem.text())
        click.get_current_context().exit(1)
    folder = pack_file.parent
    kind = KIND_DIRS.get(folder.name) or KIND_DIRS.get(folder.parent.name) or "quiz"
    pack = parse_pack(text, str(pack_file), kind, taxonomy)
    for problem in pack.problems.errors:
        click.echo(problem.text())
    return pack, taxonomy


def _write_export(result: Export, pack_file: Path, out: Path, total: int) -> None:
    for issue in result.issues:
        _echo(str(pack_file), issue)
    if not result.ok:
        click.echo("nothing was written / 未写入任何文件")
        click.get_current_context().exit(1)
    out.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(result.data, bytes):
        out.write_bytes(result.data)
    else:
        out.write_text(result.data or "", encoding="utf-8")
    click.echo(
        f"{result.questions} of {total} questions → {out} / 已导出 {result.questions}/{total} 道题 → {out}"
    )


@export_group.command("gift")
@_export_options
@with_appcontext
@lang_option
def export_gift(pack: Path, out: Path) -> None:
    """A question bank → Moodle GIFT. / 导出为 GIFT。"""
    parsed, _unused = _parsed(pack)
    _write_export(pack_to_gift(parsed), pack, out, len(parsed.questions))


@export_group.command("xlsx")
@_export_options
@with_appcontext
@lang_option
def export_xlsx(pack: Path, out: Path) -> None:
    """A question bank → the Excel template. / 导出为 Excel 模板。"""
    parsed, taxonomy = _parsed(pack)
    _write_export(pack_to_xlsx(parsed, taxonomy), pack, out, len(parsed.questions))


@click.command("new")
@click.argument("kind", type=click.Choice(["quiz", "case"]))
@click.argument("name")
@with_appcontext
@lang_option
def new_command(kind: str, name: str) -> None:
    """Write a skeleton pack content/quizzes/NAME.md (or cases/) that passes `drill check --strict`.
    新建题库或案例的骨架文件。"""
    if not SLUG_RE.match(name):
        raise click.BadParameter(
            "lowercase letters, digits and '-', e.g. credit-basics / 只能用小写字母、数字和 -",
            param_hint="NAME",
        )
    content = Path(current_app.config["CONTENT_DIR"])
    try:
        path = create_pack(content, kind, name, _taxonomy(content / "taxonomy.yaml"))
    except SkeletonError as exc:
        click.echo(str(exc))
        click.get_current_context().exit(1)
    click.echo(f"{path}: written; edit it, then run `drill check` / 已写入，修改后运行 drill check")
