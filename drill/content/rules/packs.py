"""A pack file's text → a ParsedPack (quiz, case or rubric). Pure: no file system, no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from drill.content.rules import cases
from drill.content.rules.blocks import first_line, join, split_sections
from drill.content.rules.problems import Problems
from drill.content.rules.questions.base import ParsedQuestion
from drill.content.rules.questions.parse import Defaults, parse_question
from drill.content.rules.reader import read_document
from drill.content.rules.rubric import find_rubric_table, parse_rubric
from drill.content.rules.schema import KINDS, resolve_choice, validate_meta
from drill.content.taxonomy import Taxonomy
from drill.messages import N_, Message


@dataclass
class ParsedPack:
    file: str
    kind: str
    problems: Problems
    meta: dict = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)  # Markdown: intro, background, materials...
    questions: list[ParsedQuestion] = field(default_factory=list)
    rubric: dict | None = None
    rubric_line: int = 1
    examples: list[cases.Example] = field(default_factory=list)
    fragments: list[tuple[int, str]] = field(default_factory=list)  # (line, Markdown) outside questions

    @property
    def id(self) -> str | None:
        return self.meta.get("id")

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


def parse_pack(text: str, file: str, kind: str | None, taxonomy: Taxonomy) -> ParsedPack:
    """Parse one pack; `kind` comes from its folder (quizzes/, cases/, rubrics/) or None."""
    problems = Problems(file)
    doc = read_document(text, problems)
    declared = next((doc.meta[k] for k in ("kind", "类别") if k in doc.meta), None)
    declared_kind = resolve_choice(KINDS, declared) if declared is not None else None
    if declared is not None and declared_kind and kind and declared_kind != kind:
        problems.error(
            doc.meta_lines.get("kind", 1),
            Message(
                N_(
                    "`kind: %(declared)s` but the file is in the folder for %(kind)s packs; "
                    "move it or fix `kind`"
                ),
                declared=declared,
                kind=kind,
            ),
        )
    pack = ParsedPack(file, kind or declared_kind or "quiz", problems, meta_lines=doc.meta_lines)
    if kind is None and declared_kind is None and declared is None:
        problems.error(
            1,
            Message(
                N_(
                    "drill cannot tell what this pack is: put it under `quizzes/`, `cases/` or "
                    "`rubrics/`, or add `kind: quiz` (case, rubric) to its front matter"
                )
            ),
        )
    pack.meta = validate_meta(doc.meta, doc.meta_lines, pack.kind, taxonomy, problems, complete=doc.meta_ok)
    if not doc.readable:
        return pack
    header = doc.body_start  # pack-wide problems point at the end of the front matter
    defaults = Defaults(
        pack.meta.get("level"),
        list(pack.meta.get("competencies") or []),
        pack.meta.get("multiple_scoring") or "partial",
    )
    if pack.kind == "quiz":
        _parse_quiz(pack, doc.body, defaults, taxonomy, header)
    elif pack.kind == "case":
        body = cases.parse_case_body(doc.body, defaults, taxonomy, problems, header)
        pack.sections, pack.questions, pack.examples = body.sections, body.tasks, body.examples
        pack.rubric, pack.rubric_line, pack.fragments = (
            body.rubric,
            body.rubric_line or header,
            body.fragments,
        )
        if pack.rubric is not None and pack.meta.get("rubric"):
            problems.error(
                pack.rubric_line,
                Message(
                    N_("two rubrics: `rubric: %(rubric)s` in the front matter and this table; keep one"),
                    rubric=pack.meta["rubric"],
                ),
            )
            pack.meta["rubric"] = None  # reported once; the table is the case's rubric
        elif pack.rubric is None and not pack.meta.get("rubric") and "rubric" not in body.section_lines:
            problems.error(
                header,
                Message(
                    N_(
                        "the case has no rubric: add a `## 评分标准 / Rubric` section with the "
                        "table, or `rubric: shared-rubric-id` to the front matter"
                    )
                ),
            )
        _check_case_points(pack, header)
    else:
        table = find_rubric_table(doc.body, only=True)
        if table is None:
            problems.error(
                header,
                Message(
                    N_("a rubric file needs a table `| 编号 | 评分项 | 权重 | 优秀 | 良好 | 合格 | 不合格 |`")
                ),
            )
        else:
            pack.rubric, pack.rubric_line = parse_rubric(table, problems), table[0].no
        intro = [line for line in doc.body if line not in (table or [])]
        pack.sections["intro"] = join(intro)
        pack.fragments.append((first_line(intro, header), pack.sections["intro"]))
    return pack


def _parse_quiz(pack: ParsedPack, body: list, defaults: Defaults, taxonomy: Taxonomy, header: int) -> None:
    intro, sections = split_sections(body, 2, pack.problems)
    pack.sections["intro"] = join(intro)
    pack.fragments.append((first_line(intro, header), pack.sections["intro"]))
    seen: dict[str, int] = {}
    for section in sections:
        if section.level < 2:
            pack.problems.error(
                section.line,
                Message(
                    N_(
                        "a `#` heading among the questions; each question starts with "
                        "`## question-id` (the pack title belongs in `title:`)"
                    )
                ),
            )
            continue
        question = parse_question(section, defaults, taxonomy, pack.problems)
        if question is None:
            continue
        if question.id in seen:
            pack.problems.error(
                section.line,
                Message(
                    N_(
                        "question id `%(id)s` is used twice in this pack "
                        "(first on line %(first)d); every id must be unique"
                    ),
                    id=question.id,
                    first=seen[question.id],
                ),
            )
            continue
        seen[question.id] = section.line
        pack.questions.append(question)
    if not sections:
        pack.problems.error(
            header,
            Message(
                N_(
                    "the pack has no questions; each question starts with a heading "
                    "`## question-id` followed by `类型: 单选 | 分值: 2`"
                )
            ),
        )


def _check_case_points(pack: ParsedPack, header: int) -> None:
    total = round(sum(q.points for q in pack.questions), 2)
    if pack.questions and total != 100:
        parts = " + ".join(f"{q.id} {q.points:g}" for q in pack.questions)
        pack.problems.warning(
            header,
            Message(
                N_(
                    "the task points add up to %(total)g (%(parts)s); a case is scored "
                    "out of 100, so make them add up to 100"
                ),
                total=total,
                parts=parts,
            ),
        )
