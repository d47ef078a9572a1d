"""One question block (a heading holding the id, the meta line, the stem, the answer part, `解析:`)
→ a ParsedQuestion, every problem reported with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from drill.content.rules.blocks import Section, fence_mask, first_line, join, label
from drill.content.rules.problems import Problems
from drill.content.rules.questions.base import Context, Entry, ParsedQuestion, fold_answer
from drill.content.rules.questions.meta import META_KEYS, parse_meta, split_meta
from drill.content.rules.questions.registry import resolve_type, type_listing
from drill.content.rules.reader import Line
from drill.content.rules.schema import LEVELS, Invalid, competencies, resolve_choice, text_list
from drill.content.taxonomy import Taxonomy
from drill.messages import N_, Message

QID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
EXPLANATION_LABELS = ("解析", "答案解析", "explanation")
MAX_POINTS = Decimal(1000)


@dataclass
class Defaults:
    """What a question inherits from its pack."""

    level: str | None = None
    competencies: list[str] = field(default_factory=list)
    multiple_scoring: str = "partial"


def split_explanation(lines: list[Line]) -> tuple[list[Line], list[Line], int | None]:
    for index, (line, in_code) in enumerate(zip(lines, fence_mask(lines), strict=True)):
        rest = None if in_code else label(line.text, EXPLANATION_LABELS)
        if rest is not None:
            return lines[:index], [Line(line.no, rest), *lines[index + 1 :]], line.no
    return lines, [], None


def parse_question(
    section: Section, defaults: Defaults, taxonomy: Taxonomy, problems: Problems, in_case: bool = False
) -> ParsedQuestion | None:
    qid = section.title.strip()
    ctx = Context(problems, qid, section.line, pack_multiple_scoring=defaults.multiple_scoring)
    if not QID_RE.match(qid):
        suggestion = re.sub(r"[^a-z0-9_-]+", "-", qid.lower()).strip("-_") or "credit-001"
        problems.error(
            section.line,
            Message(
                N_(
                    "`%(title)s` is not a question id: a question heading holds only "
                    "its stable id — lowercase letters, digits, '-' or '_', e.g. `%(example)s`"
                ),
                title=section.title,
                example=f"{'#' * section.level} {suggestion[:64]}",
            ),
        )
    meta_lines, rest = split_meta(section.body)
    if not meta_lines:
        ctx.error(
            None, Message(N_("no meta line; write e.g. `类型: 单选 | 分值: 2` on the line under the heading"))
        )
        return None
    ctx.meta = parse_meta(meta_lines, ctx)
    type_entry = ctx.meta.get("type")
    qtype = resolve_type(type_entry.value) if type_entry else None
    if type_entry is None:
        ctx.error(meta_lines[0].no, Message(N_("the meta line has no `类型:`; add e.g. `类型: 单选`")))
        return None
    if qtype is None:
        ctx.error(
            type_entry.line,
            Message(
                N_("unknown question type `%(type)s`; write one of %(types)s"),
                type=type_entry.value,
                types=type_listing(),
            ),
        )
        return None
    for key, entry in ctx.meta.items():
        if key in {"scoring", "shuffle", "tolerance", "unit", "rubric"} and key not in qtype.options:
            ctx.warning(
                entry.line,
                Message(
                    N_("`%(key)s` does not apply to %(type_zh)s (%(type)s) questions and is ignored"),
                    key=META_KEYS[key][0],
                    type_zh=qtype.names[0],
                    type=qtype.name,
                ),
            )
    content, explanation, explanation_line = split_explanation(rest)
    stem_lines, fields = qtype.parse(content, ctx)
    stem, explanation_text = join(stem_lines), join(explanation)
    if not stem:
        ctx.error(None, Message(N_("the question has no text; write the question under the meta line")))
    # An open question's reference answer (or its case's) already says what a good answer holds.
    if not explanation_text and not (qtype.name == "open" and (fields.get("reference") or in_case)):
        ctx.warning(
            explanation_line,
            Message(
                N_(
                    "no explanation; add a paragraph `解析: …` saying why the answer is "
                    "right (shown after submission)"
                )
            ),
        )
    points = _points(ctx)
    spec = {"type": qtype.name, "points": points, "stem": stem, "explanation": explanation_text, **fields}
    if "standards" in ctx.meta:  # only when given, so a pack without points keeps its versions
        spec["standards"] = text_list(ctx.meta["standards"].value, taxonomy)
    fragments = [(first_line(stem_lines, section.line), stem)]
    if explanation:
        fragments.append((first_line(explanation, section.line), explanation_text))
    fragments += _field_fragments(fields, content, section.line)
    return ParsedQuestion(
        id=qid,
        line=section.line,
        type=qtype.name,
        points=points,
        difficulty=_difficulty(ctx),
        level=_level(ctx, defaults),
        competencies=_competencies(ctx, defaults, taxonomy),
        tags=text_list(ctx.meta["tags"].value, taxonomy) if "tags" in ctx.meta else [],
        spec=spec,
        fragments=fragments,
        rubric_ref=ctx.meta.get("rubric"),
        meta={key: entry.value for key, entry in ctx.meta.items()},
    )


def _field_fragments(fields: dict, content: list[Line], default: int) -> list[tuple[int, str]]:
    """Markdown inside options, items and the reference answer, with the line it is on (for link checks)."""
    texts = [o["text"] for key in ("options", "items", "pairs", "rights") for o in fields.get(key, [])]
    if fields.get("reference"):
        texts.append(fields["reference"])
    out = []
    for text in texts:
        first = text.splitlines()[0] if text else ""
        line = next((ln.no for ln in content if first and first in ln.text), default)
        out.append((line, text))
    return out


def _points(ctx: Context) -> float:
    entry = ctx.meta.get("points")
    if entry is None:
        return 1.0
    try:
        value = Decimal(fold_answer(entry.value).removesuffix("分").strip())
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not 0 < value <= MAX_POINTS:
        ctx.error(
            entry.line,
            Message(N_("`分值: %(value)s` is not a number above 0; write e.g. `分值: 2`"), value=entry.value),
        )
        return 1.0
    return float(round(value, 2))


def _difficulty(ctx: Context) -> int:
    entry = ctx.meta.get("difficulty")
    if entry is None:
        return 3
    value = fold_answer(entry.value)
    if value not in {"1", "2", "3", "4", "5"}:
        ctx.error(
            entry.line,
            Message(
                N_("`难度: %(value)s` must be a whole number from 1 (easiest) to 5 (hardest)"),
                value=entry.value,
            ),
        )
        return 3
    return int(value)


def _level(ctx: Context, defaults: Defaults) -> str | None:
    entry = ctx.meta.get("level")
    if entry is None:
        return defaults.level
    level = resolve_choice(LEVELS, entry.value)
    if level is None:
        ctx.error(
            entry.line,
            Message(
                N_("unknown level `%(value)s`; write 初级 (junior), 中级 (intermediate) or 高级 (senior)"),
                value=entry.value,
            ),
        )
    return level or defaults.level


def _competencies(ctx: Context, defaults: Defaults, taxonomy: Taxonomy) -> list[str]:
    entry: Entry | None = ctx.meta.get("competencies")
    if entry is None:
        return list(defaults.competencies)
    try:
        return competencies(entry.value, taxonomy)
    except Invalid as exc:
        ctx.error(entry.line, exc.message)
        return list(defaults.competencies)
