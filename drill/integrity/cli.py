"""`drill similar INPUT.json`: the pairs of answers the app would flag, for audits and appeals.

Reads `{"answers": [{"id": "a1", "text": "..."}, ...]}` and prints `{"pairs": [{"a": "a1", "b": "a7",
"similarity": 0.83}, ...]}`, most similar first — the same code (`similarity.similar_pairs`) and the same
default threshold as the app. Malformed input stops with an error naming the record, in English and
Chinese, and exit status 2.
"""

from __future__ import annotations

import json

import click

from drill.integrity.rules import similarity


class Malformed(ValueError):
    pass


def parse(raw: str) -> dict[str, str]:
    """The answers by id, or `Malformed` saying which record is wrong and how."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise Malformed(
            f"not JSON: line {error.lineno}, column {error.colno}: {error.msg}"
            f" / 不是 JSON：第 {error.lineno} 行第 {error.colno} 列"
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("answers"), list):
        raise Malformed('the file must be {"answers": [...]} / 文件应为 {"answers": [...]}')
    texts: dict[str, str] = {}
    for index, record in enumerate(data["answers"]):
        where = f"answers[{index}]"
        if not isinstance(record, dict):
            raise Malformed(
                f"{where}: a record must be an object with id and text / 第 {index + 1} 条应含 id 和 text"
            )
        key = record.get("id")
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)
        if not isinstance(key, str) or not key.strip():
            raise Malformed(f"{where}: id is missing or empty / 第 {index + 1} 条缺少 id")
        where = f'{where} (id "{key}")'
        if key in texts:
            raise Malformed(f"{where}: the id is used twice / 第 {index + 1} 条的 id 重复")
        text = record.get("text")
        if not isinstance(text, str):
            raise Malformed(f"{where}: text must be a string / 第 {index + 1} 条的 text 应为字符串")
        texts[key] = text
    return texts


@click.command("similar")
@click.argument("input_file", metavar="INPUT.json", type=click.File("r", encoding="utf-8"))
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    default=similarity.THRESHOLD,
    show_default=True,
    help="Jaccard similarity of 4-character shingles at or above which a pair is listed.",
)
def similar_command(input_file, threshold: float) -> None:
    """List the pairs of near-copies among the answers in INPUT.json (- for standard input)."""
    try:
        texts = parse(input_file.read())
    except (Malformed, UnicodeDecodeError) as error:
        raise click.UsageError(f"{input_file.name}: {error}") from error
    pairs = similarity.similar_pairs(texts, threshold=threshold)
    out = {"pairs": [{"a": p.a, "b": p.b, "similarity": round(p.similarity, 2)} for p in pairs]}
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))
