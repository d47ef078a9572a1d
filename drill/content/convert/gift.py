"""Moodle GIFT → a drill question bank (Markdown). Pure: text in, `Conversion` out.

Mapping (docs/content-format.md, "Importing from GIFT and Excel"):
- `::name::` → the question id, slugified and made unique; without a usable name, `[id:…]` from a
  comment, else `<pack-id>-001`…; a name that yields no id (e.g. all Chinese) is reported.
- `$CATEGORY: a/b/c` → the tag `c` on the questions that follow; `// [tag:x]` → the tag `x`.
- `// drill: 分值: 2 | 难度: 4 | …` (what drill's GIFT export writes) → the question's meta values.
- per-answer feedback and `####` general feedback → the explanation (解析); an essay's general feedback
  → its reference answer (参考答案), with a `解析:` line in it → the explanation.
- a description (a text without an answer block) → the pack's introduction, reported.
- `[html]` (and HTML in the default `[moodle]` format) → Markdown (see html2md); `[markdown]` and
  `[plain]` are kept as they are (`<` in plain text is escaped).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import PurePath

from drill.content.convert.assemble import Conversion, assemble
from drill.content.convert.draft import MODELLED, Draft, Issues
from drill.content.convert.escape import escape_headings, literal
from drill.content.convert.gift_parse import (
    Raw,
    meta_comments,
    read_block,
    restore,
    split_blocks,
    text_format,
)
from drill.content.convert.gift_types import Converted, convert
from drill.content.convert.html2md import html_to_markdown, looks_like_html
from drill.content.convert.markdown_writer import PackInfo
from drill.content.convert.values import Bad, competencies, difficulty, level, points, scoring, yes_no
from drill.content.rules.questions.base import fold_answer
from drill.content.rules.questions.meta import SPELLINGS
from drill.content.rules.questions.parse import QID_RE
from drill.content.rules.questions.registry import resolve_type
from drill.content.rules.questions.text import parse_tolerance
from drill.content.rules.schema import SLUG_RE
from drill.content.taxonomy import Taxonomy

_EXPLANATION = re.compile(
    r"^\s*(?:\*\*)?(?:解析|答案解析|explanation)(?:\*\*)?\s*[:：]\s*", re.IGNORECASE | re.MULTILINE
)


def question_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-_")[:64].strip("-_")


def gift_to_pack(text: str, info: PackInfo, taxonomy: Taxonomy, source_name: str = "") -> Conversion:
    """Convert a GIFT file. Front matter from `info`; without a title, the first category or else the
    source file's name (`source_name`, e.g. `题库.gift`) names the pack."""
    issues = Issues()
    blocks = split_blocks(text)
    info = info.filled_from(pack_comments(blocks, issues))
    reader = _Reader(issues, taxonomy, info.id if info.id and SLUG_RE.match(info.id) else "q")
    for block in blocks:
        reader.read(read_block(block, issues))
    if not info.title:
        info = replace(info, title=reader.first_category or PurePath(source_name).stem or None)
    return assemble(reader.drafts, info, taxonomy, issues, "\n\n".join(reader.intro))


def pack_comments(blocks: list, issues: Issues) -> dict:
    """The pack's front matter from `// drill-pack: key: <JSON>` lines (what drill's GIFT export writes)."""
    found: dict = {}
    for block in blocks:
        for line, comment in block.comments:
            if not comment.startswith("drill-pack:") or comment == "drill-pack: intro":
                continue
            key, _, value = comment[len("drill-pack:") :].strip().partition(":")
            try:
                found[key.strip()] = json.loads(value)
            except ValueError:
                issues.error(
                    line,
                    f"drill-pack 行的值不是 JSON：{value.strip()[:40]}",
                    f"the value of a `drill-pack:` line is not JSON: {value.strip()[:40]}",
                )
    return found


def undisguise(converted: Converted, drill_lines: list[tuple[int, str]]) -> Converted:
    """What drill's GIFT export wrote in another type's form, named by `类型:` in its `drill:` line: an
    ordering question as a matching one (step number → item), a blank with several gaps as an essay."""
    wanted = None
    for _line, body in drill_lines:
        for part in re.split(r"[|｜]", body):
            name, _, value = part.replace("：", ":", 1).partition(":")
            if SPELLINGS.get(fold_answer(name)) == "type":
                wanted = getattr(resolve_type(value), "name", None)
    if wanted == "ordering" and converted.type == "matching" and not converted.fields["distractors"]:
        pairs = converted.fields["pairs"]
        if [left for left, _right in pairs] == [str(n) for n in range(1, len(pairs) + 1)]:
            items = [right for _left, right in pairs]
            return Converted("ordering", converted.stem, {"items": items, "scoring": "position"})
    if wanted == "blank" and converted.type == "open" and "{{" in converted.stem:
        return Converted("blank", converted.stem, {"scoring": "partial"})
    return converted


class Note(Bad):
    """A `drill:` entry reported as a warning: left out, or kept with a reminder."""


class _Reader:
    def __init__(self, issues: Issues, taxonomy: Taxonomy, prefix: str) -> None:
        self.issues, self.taxonomy, self.prefix = issues, taxonomy, prefix[:56]
        self.drafts: list[Draft] = []
        self.intro: list[str] = []
        self.category: str | None = None
        self.first_category: str | None = None
        self.used: set[str] = set()

    def markdown(self, text: str, fmt: str, line: int, intro: bool = False) -> str:
        text = restore(text).strip()
        if fmt == "html" or (fmt == "moodle" and looks_like_html(text)):
            text, notes = html_to_markdown(text)
            for note in notes:
                self.issues.warning(
                    line,
                    f"HTML 中的 {note} 无法保留（已删去或改为文字/链接）",
                    f"{note} in the HTML cannot be kept (removed or made text/a link)",
                )
            return escape_headings(text, intro)
        if fmt == "markdown":
            return escape_headings(text, intro)
        return literal(text)  # plain, or moodle without HTML: every character stands for itself

    def read(self, raw: Raw) -> None:
        if raw.kind == "category":
            parts = [p.strip() for p in raw.name.split("/") if p.strip() and not p.strip().startswith("$")]
            parts = [p for p in parts if p.lower() != "top"]
            self.category = re.sub(r"[,，、|｜]+", " ", parts[-1]).strip() if parts else None
            self.first_category = self.first_category or self.category
        elif raw.kind == "description":
            self.intro.append(self.markdown(raw.stem, raw.format, raw.line, intro=True))
            if any(c == "drill-pack: intro" for _n, c in raw.comments):
                return  # drill's own export: the pack's introduction
            self.issues.warning(
                raw.line,
                "没有答案块的说明文字不是题目，已放入题库简介",
                "a description (text without an answer block) is not a question; "
                "it became the pack's introduction",
            )
        elif raw.kind == "question":
            converted = convert(raw, self.issues, self.markdown)
            if converted is not None:
                self.drafts.append(self.draft(raw, converted))

    def draft(self, raw: Raw, converted: Converted) -> Draft:
        tags, comment_id, drill_lines = meta_comments(raw.comments)
        general = (
            self.markdown(*reversed(text_format(raw.general, raw.format)), raw.line)
            if raw.general.strip()
            else ""
        )
        converted = undisguise(converted, drill_lines)
        draft = Draft(
            id="", type=converted.type, stem=converted.stem, source=raw.line, fields=converted.fields
        )
        if converted.type == "open":
            parts = _EXPLANATION.split(general, maxsplit=1)
            draft.fields["reference"] = parts[0].strip()
            draft.explanation = parts[1].strip() if len(parts) > 1 else ""
        else:
            draft.explanation = "\n\n".join(p for p in (general, "\n".join(converted.feedback)) if p.strip())
        draft.tags = list(dict.fromkeys([*([self.category] if self.category else []), *tags]))
        draft.id = self.question_id(raw, comment_id)
        for line, body in drill_lines:
            self.apply_meta(draft, line, body)
        return draft

    def question_id(self, raw: Raw, comment_id: str | None) -> str:
        wanted = next((question_slug(s) for s in (raw.name, comment_id) if s and question_slug(s)), "")
        if raw.name and not question_slug(raw.name):
            self.issues.warning(
                raw.line,
                f"题目名称「{raw.name}」不能作为编号（只能用小写字母、数字、- 和 _），已自动编号",
                f"the name `{raw.name}` cannot be an id (lowercase letters, digits, - and _); "
                "an id was generated",
            )
        qid = wanted if QID_RE.match(wanted) else ""
        if qid in self.used:
            number = 2
            while f"{qid[:60]}-{number}" in self.used:
                number += 1
            self.issues.warning(
                raw.line,
                f"编号 {qid} 重复，改为 {qid[:60]}-{number}",
                f"the id {qid} is used twice; renamed {qid[:60]}-{number}",
            )
            qid = f"{qid[:60]}-{number}"
        if not qid:
            number = len(self.drafts) + 1
            while f"{self.prefix}-{number:03d}" in self.used:
                number += 1
            qid = f"{self.prefix}-{number:03d}"
        self.used.add(qid)
        if raw.name and question_slug(raw.name) and raw.name != qid:
            self.issues.warning(
                raw.line,
                f"题目名称「{raw.name}」改作编号 {qid}（drill 的题目没有显示名称）",
                f"the name `{raw.name}` became the id {qid} (a drill question has no display name)",
            )
        return qid

    def apply_meta(self, draft: Draft, line: int, body: str) -> None:
        for part in re.split(r"[|｜]", body):
            name, _, value = part.replace("：", ":", 1).partition(":")
            if not name.strip():
                continue
            try:
                self.apply(draft, SPELLINGS.get(fold_answer(name)), name.strip(), value.strip())
            except Note as note:
                self.issues.warning(line, note.zh, note.en)
            except Bad as bad:
                self.issues.error(line, bad.zh, bad.en)

    def apply(self, draft: Draft, key: str | None, name: str, value: str) -> None:
        f = draft.fields
        if key == "points":
            draft.points = points(value)
        elif key == "difficulty":
            draft.difficulty = difficulty(value)
        elif key == "level":
            draft.level = level(value)
        elif key == "competencies":
            draft.competencies = competencies(value, self.taxonomy, strict=True)[0]
        elif key == "tags":
            draft.tags = list(
                dict.fromkeys([*draft.tags, *(t.strip() for t in re.split(r"[,，、]", value) if t.strip())])
            )
        elif key == "scoring" and fold_answer(value) in ("weighted", "加权"):
            pass  # the GIFT weights were kept (gift_types._choice)
        elif key == "scoring" and draft.type in ("multiple", "blank", "ordering", "matching"):
            f["scoring"] = scoring(draft.type, value)
        elif key == "shuffle" and draft.type in ("single", "multiple", "matching"):
            f["shuffle"] = yes_no(value)
        elif key == "unit" and draft.type == "numeric":
            f["unit"] = value
        elif key == "tolerance" and draft.type == "numeric":
            self.tolerance(draft, value)
        elif key == "rubric" and draft.type == "open":
            if not SLUG_RE.match(value):
                raise Bad(f"评分标准编号「{value}」无效", f"`{value}` is not a rubric id")
            f["rubric_id"] = value
            raise Note(
                f"请确认 content/rubrics/ 中有评分标准 {value}",
                f"make sure content/rubrics/ holds the rubric {value}",
            )
        elif key is not None and key not in MODELLED:
            draft.extra[key] = value  # a meta key the converters do not model travels as written
        elif key != "type":
            raise Note(
                f"drill: 中的「{name}」不适用于这道题，已忽略",
                f"`{name}` in `drill:` does not apply here; ignored",
            )

    def tolerance(self, draft: Draft, value: str) -> None:
        found = parse_tolerance(value)
        f = draft.fields
        if found is None:
            raise Bad(f"误差「{value}」无效", f"the tolerance `{value}` is not a number ≥ 0")
        amount, relative = found
        absolute = abs(Decimal(f["answer"])) * amount / 100 if relative else amount
        if absolute != Decimal(f["tolerance"]):
            raise Note(
                f"drill: 中的误差 {value} 与 GIFT 答案的误差 {f['tolerance']} 不一致，保留 GIFT 的",
                f"the tolerance {value} in `drill:` differs from the GIFT answer's {f['tolerance']}; "
                "the GIFT one is kept",
            )
        f["tolerance"], f["relative"] = str(amount), relative
