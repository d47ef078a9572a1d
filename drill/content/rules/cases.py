"""Case studies: background, materials, tasks, a rubric, a reference answer and scored example answers.

Each part is a level-2 heading with a Chinese or English keyword (`## 背景 / Background`); tasks and
example answers are level-3 headings inside their section. Case scoring: the rubric (weights summing to
100) scores the answers to the case's open tasks together; the open tasks share that result in proportion
to their points, i.e. they earn (their points) × (rubric total) / 100, and auto-scored tasks earn their own
points. A case's task points should add up to 100, so a case is scored out of 100.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drill.content.rules.blocks import Section, first_line, join, label, split_sections, trim
from drill.content.rules.problems import Problems
from drill.content.rules.questions.base import ParsedQuestion, fold_answer
from drill.content.rules.questions.parse import QID_RE, Defaults, parse_question
from drill.content.rules.reader import Line
from drill.content.rules.rubric import criterion, find_rubric_table, number, parse_rubric
from drill.content.taxonomy import Taxonomy
from drill.messages import N_, Message

SECTIONS: dict[str, tuple[str, ...]] = {
    "background": ("背景", "案例背景", "background"),
    "materials": ("材料", "案例材料", "资料", "materials"),
    "tasks": ("任务", "题目", "tasks"),
    "rubric": ("评分标准", "评分细则", "rubric"),
    "reference": ("参考答案", "reference answer", "reference"),
    "examples": ("示例答案", "样例答案", "example answers", "examples"),
}
TITLES = {
    "background": "背景 / Background",
    "materials": "材料 / Materials",
    "tasks": "任务 / Tasks",
    "rubric": "评分标准 / Rubric",
    "reference": "参考答案 / Reference answer",
    "examples": "示例答案 / Example answers",
}
SCORE_LABELS = ("得分", "scores", "score")
COMMENT_LABELS = ("点评", "comment")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、)]\s*)")
_SCORE_PAIR = re.compile(r"^\s*([^=＝:：]+?)\s*[=＝:：]\s*(\S+?)\s*$")


@dataclass
class Example:
    id: str
    line: int
    scores: dict[str, tuple[str, int]] = field(default_factory=dict)  # criterion → (score text, line)
    complete: bool = True  # False when its `得分:` line is missing or unreadable (already reported)
    answer: str = ""
    comment: str = ""


@dataclass
class CaseBody:
    sections: dict[str, str] = field(default_factory=dict)
    section_lines: dict[str, int] = field(default_factory=dict)
    tasks: list[ParsedQuestion] = field(default_factory=list)
    rubric: dict | None = None
    rubric_line: int = 0
    examples: list[Example] = field(default_factory=list)
    fragments: list[tuple[int, str]] = field(default_factory=list)


def section_kind(title: str) -> str | None:
    for part in re.split(r"\s*[/／|｜]\s*", title):
        folded = fold_answer(_NUMBERING.sub("", part.strip()))
        for kind, names in SECTIONS.items():
            if folded in {fold_answer(n) for n in names}:
                return kind
    return None


def parse_case_body(
    body: list[Line], defaults: Defaults, taxonomy: Taxonomy, problems: Problems, header_line: int
) -> CaseBody:
    case = CaseBody()
    intro, sections = split_sections(body, 2, problems)
    case.sections["intro"] = join(intro)
    case.fragments.append((first_line(intro, header_line), case.sections["intro"]))
    for section in sections:
        kind = section_kind(section.title) if section.level == 2 else None
        if kind is None:
            known = ", ".join(TITLES.values())
            problems.error(
                section.line,
                Message(
                    N_(
                        "unknown case section `%(title)s`; "
                        "a case has the sections %(known)s (as `## 背景 / Background`)"
                    ),
                    title=section.title,
                    known=known,
                ),
            )
            continue
        if kind in case.section_lines:
            problems.error(
                section.line,
                Message(
                    N_("a second `%(title)s` section (the first is on line %(first)d); merge them"),
                    title=section.title,
                    first=case.section_lines[kind],
                ),
            )
            continue
        case.section_lines[kind] = section.line
        if kind == "tasks":
            _parse_tasks(section, case, defaults, taxonomy, problems)
        elif kind == "examples":
            _parse_examples(section, case, problems)
        elif kind == "rubric":
            table = find_rubric_table(section.body, only=True)
            if table is None:
                problems.error(
                    section.line,
                    Message(
                        N_(
                            "the rubric section has no table; write "
                            "`| 编号 | 评分项 | 权重 | 优秀 | 良好 | 合格 | 不合格 |`"
                        )
                    ),
                )
            else:
                case.rubric, case.rubric_line = parse_rubric(table, problems), table[0].no
                rest = [ln for ln in section.body if ln not in table]
                case.sections["rubric_notes"] = join(rest)
        else:
            case.sections[kind] = join(section.body)
            case.fragments.append((first_line(section.body, section.line), case.sections[kind]))
            if not case.sections[kind]:
                problems.error(
                    section.line, Message(N_("the section `%(title)s` is empty"), title=section.title)
                )
    for kind, needed in (("background", True), ("tasks", True), ("reference", False), ("examples", False)):
        if kind not in case.section_lines:
            heading = f"## {TITLES[kind]}"
            if needed:
                problems.error(
                    header_line, Message(N_("the case has no `%(heading)s` section; add it"), heading=heading)
                )
            else:
                problems.warning(
                    header_line,
                    Message(
                        N_("the case has no `%(heading)s` section; trainers and peer scorers rely on it"),
                        heading=heading,
                    ),
                )
    return case


def _parse_tasks(
    section: Section, case: CaseBody, defaults: Defaults, taxonomy: Taxonomy, problems: Problems
) -> None:
    preamble, tasks = split_sections(section.body, 3, problems)
    case.sections["tasks"] = join(preamble)
    seen: dict[str, int] = {}
    for task in tasks:
        question = parse_question(task, defaults, taxonomy, problems, in_case=True)
        if question is None:
            continue
        if question.id in seen:
            problems.error(
                task.line,
                Message(
                    N_("task id `%(id)s` is used twice in this case (first on line %(first)d)"),
                    id=question.id,
                    first=seen[question.id],
                ),
            )
            continue
        seen[question.id] = task.line
        case.tasks.append(question)
    if not tasks:
        problems.error(
            section.line,
            Message(
                N_(
                    "the tasks section has no task; each task is a `### task-1` heading "
                    "followed by `类型: 问答 | 分值: 60` and the task text"
                )
            ),
        )


def _parse_examples(section: Section, case: CaseBody, problems: Problems) -> None:
    _preamble, blocks = split_sections(section.body, 3, problems)
    for block in blocks:
        example = Example(block.title.strip(), block.line)
        if not QID_RE.match(example.id):
            problems.error(
                block.line,
                Message(
                    N_("`%(title)s` is not an example id; write e.g. `### example-1`"), title=block.title
                ),
            )
        lines = trim(block.body)
        scores = label(lines[0].text, SCORE_LABELS) if lines else None
        if scores is None:
            problems.error(
                block.line,
                Message(
                    N_(
                        "example `%(id)s` has no `得分:` line; write e.g. "
                        "`得分: risk=27, plan=35, expr=25` right under the heading"
                    ),
                    id=example.id,
                ),
            )
            example.complete = False
        else:
            _parse_scores(scores, lines[0].no, example, problems)
            lines = lines[1:]
        answer: list[Line] = []
        comment: list[Line] | None = None
        for line in lines:
            rest = label(line.text, COMMENT_LABELS) if comment is None else None
            if rest is not None:
                comment = [Line(line.no, rest)]
            elif comment is not None:
                comment.append(line)
            else:
                answer.append(line)
        example.answer, example.comment = join(answer), join(comment or [])
        if not example.answer:
            problems.error(block.line, Message(N_("example `%(id)s` has no answer text"), id=example.id))
        if not example.comment:
            problems.warning(
                block.line,
                Message(N_("example `%(id)s` has no `点评:` paragraph explaining its score"), id=example.id),
            )
        case.fragments += [
            (first_line(answer, block.line), example.answer),
            (first_line(comment or [], block.line), example.comment),
        ]
        case.examples.append(example)
    if not blocks:
        problems.warning(
            section.line,
            Message(
                N_(
                    "no example answers; "
                    "add `### example-1` with `得分:` so that peer scorers can be calibrated"
                )
            ),
        )


def _parse_scores(text: str, line: int, example: Example, problems: Problems) -> None:
    for part in re.split(r"[,，、;；]|\s{2,}|\s+(?=[^=＝\s]+\s*[=＝])", text):
        if not part.strip():
            continue
        m = _SCORE_PAIR.match(part)
        if not m:
            problems.error(
                line,
                Message(
                    N_("`%(part)s` is not `criterion=score`; write e.g. `得分: risk=27, plan=35`"),
                    part=part.strip(),
                ),
            )
            example.complete = False
            continue
        name = m.group(1).strip()
        if name in example.scores:
            problems.error(
                line, Message(N_("`%(name)s` is scored twice in example `%(id)s`"), name=name, id=example.id)
            )
        example.scores[name] = (m.group(2), line)


def check_examples(examples: list[Example], rubric: dict, problems: Problems) -> list[dict]:
    """Example scores against the rubric: known criteria, each from 0 to its weight, none missing."""
    checked = []
    for example in examples:
        scores: dict[str, float] = {}
        for name, (text, line) in example.scores.items():
            found = criterion(rubric, name)
            value = number(text)
            if found is None:
                ids = ", ".join(c["id"] for c in rubric["criteria"])
                problems.error(
                    line,
                    Message(
                        N_(
                            "example `%(id)s` scores `%(name)s`, which is not a rubric criterion; "
                            "the criteria are %(ids)s"
                        ),
                        id=example.id,
                        name=name,
                        ids=ids,
                    ),
                )
            elif value is None or not 0 <= value <= found["weight"]:
                problems.error(
                    line,
                    Message(
                        N_(
                            "example `%(id)s` gives `%(name)s` %(score)s; a score must be a number "
                            "from 0 to the criterion's weight %(weight)s"
                        ),
                        id=example.id,
                        name=name,
                        score=text,
                        weight=found["weight"],
                    ),
                )
            else:
                scores[found["id"]] = float(value)
        for c in rubric["criteria"] if example.complete else ():
            if c["id"] not in scores and not any(criterion(rubric, n) is c for n in example.scores):
                problems.error(
                    example.line,
                    Message(
                        N_(
                            "example `%(id)s` gives no score for `%(criterion)s` "
                            "(%(name)s); add `%(criterion)s=…` to its `得分:` line"
                        ),
                        id=example.id,
                        criterion=c["id"],
                        name=c["name"],
                    ),
                )
        checked.append(
            {
                "id": example.id,
                "scores": scores,
                "total": round(sum(scores.values()), 2),
                "answer": example.answer,
                "comment": example.comment,
            }
        )
    return checked
