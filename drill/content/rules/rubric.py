"""Scoring rubrics: a Markdown table of criteria with weights that sum to 100 and 2–5 level descriptors.

    | 编号 | 评分项 | 权重 | 优秀 | 良好 | 合格 | 不合格 |
    |---|---|---|---|---|---|---|
    | risk | 风险识别 | 30 | … | … | … | … |

A grader gives each criterion a score from 0 to its weight; the rubric total (0–100) is their sum.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from drill.content.rules.blocks import table_cells, tables
from drill.content.rules.problems import Problems
from drill.content.rules.questions.base import Markdown, fold_answer
from drill.content.rules.reader import Line
from drill.messages import N_, Message

ID_HEADERS = ("编号", "id", "代码", "key")
NAME_HEADERS = ("评分项", "criterion", "评分要点", "项目", "name")
WEIGHT_HEADERS = ("权重", "weight", "满分", "分值")
CRITERION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
MIN_LEVELS, MAX_LEVELS = 2, 5
THE_RUBRIC = Message(N_("the rubric"))


def number(text: str) -> Decimal | None:
    try:
        value = Decimal(fold_answer(text).removesuffix("分").removesuffix("%"))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and -1_000_000 < value < 1_000_000 else None


def plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def is_rubric_header(cells: list[str]) -> bool:
    folded = {fold_answer(c) for c in cells}
    return bool(folded & set(ID_HEADERS)) and bool(folded & {fold_answer(w) for w in WEIGHT_HEADERS})


def find_rubric_table(lines: list[Line], only: bool = False) -> list[Line] | None:
    """The table whose header names `编号` and `权重`. Where a rubric is the only table expected
    (`only`), the first table will do, so that a wrong header is reported rather than overlooked."""
    found = tables(lines)
    rubric = next((t for t in found if is_rubric_header(table_cells(t[0].text))), None)
    return rubric or (found[0] if only and found else None)


def parse_rubric(rows: list[Line], problems: Problems, where: Message = THE_RUBRIC) -> dict | None:
    """Parse a rubric table (header, delimiter, criteria rows). None when it cannot be used at all.
    `where` names the table in the messages (“the rubric of question `q-1`”)."""
    header = [fold_answer(c) for c in table_cells(rows[0].text)]
    line = rows[0].no
    columns = {}
    for role, names in (("id", ID_HEADERS), ("name", NAME_HEADERS), ("weight", WEIGHT_HEADERS)):
        index = next((i for i, cell in enumerate(header) if cell in {fold_answer(n) for n in names}), None)
        if index is None:
            problems.error(
                line,
                Message(
                    N_(
                        "%(where)s has no `%(column)s` (%(other)s) column; the header is "
                        "`| 编号 | 评分项 | 权重 | 优秀 | 良好 | 合格 | 不合格 |`"
                    ),
                    where=where,
                    column=names[0],
                    other=names[1],
                ),
            )
            return None
        columns[role] = index
    first_level = max(columns.values()) + 1
    levels = [c for c in table_cells(rows[0].text)[first_level:]]
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        problems.error(
            line,
            Message(
                N_(
                    "%(where)s has %(count)d level columns after `权重`; give 2 to 5 levels "
                    "such as 优秀 | 良好 | 合格 | 不合格"
                ),
                where=where,
                count=len(levels),
            ),
        )
    criteria: list[dict] = []
    total, weights_ok = Decimal(0), True
    for row in rows[2:]:
        cells = table_cells(row.text)
        cells += [""] * (first_level + len(levels) - len(cells))
        cid, name, weight_text = (cells[columns[k]] for k in ("id", "name", "weight"))
        weight = number(weight_text)
        if not CRITERION_ID.match(cid):
            problems.error(
                row.no,
                Message(
                    N_(
                        "criterion id `%(id)s` must be letters, digits, '-' or '_' "
                        "(e.g. `risk`); example answers score criteria by this id"
                    ),
                    id=cid,
                ),
            )
        elif any(c["id"] == cid for c in criteria):
            problems.error(
                row.no, Message(N_("criterion id `%(id)s` is used twice in %(where)s"), id=cid, where=where)
            )
        if weight is None or weight <= 0:
            problems.error(
                row.no,
                Message(
                    N_("the weight `%(weight)s` of `%(id)s` is not a number above 0"),
                    weight=weight_text,
                    id=cid,
                ),
            )
            weight, weights_ok = Decimal(0), False
        descriptors = cells[first_level : first_level + len(levels)]
        for level, text in zip(levels, descriptors, strict=True):
            if not text.strip():
                problems.warning(
                    row.no,
                    Message(
                        N_(
                            "`%(id)s` has no descriptor for level `%(level)s`; "
                            "say what an answer at that level looks like"
                        ),
                        id=cid,
                        level=level,
                    ),
                )
        total += weight
        criteria.append({"id": cid, "name": name, "weight": plain(weight), "descriptors": descriptors})
    if not criteria:
        problems.error(line, Message(N_("%(where)s has no criteria rows under its header"), where=where))
    elif weights_ok and total != 100:
        weights = " + ".join(str(c["weight"]) for c in criteria)
        problems.error(
            line,
            Message(
                N_(
                    "the rubric weights add up to %(total)s (%(weights)s), not 100; "
                    "adjust them so that they sum to 100"
                ),
                total=plain(total),
                weights=weights,
            ),
        )
    return {"levels": levels, "criteria": criteria}


def render_rubric(rubric: dict, md: Markdown) -> dict:
    criteria = [{**c, "descriptors_html": [md(d) for d in c["descriptors"]]} for c in rubric["criteria"]]
    return {**rubric, "criteria": criteria}


def criterion(rubric: dict, name: str) -> dict | None:
    """A criterion by its id or its name (example answers may use either)."""
    folded = fold_answer(name)
    return next(
        (c for c in rubric["criteria"] if folded in (fold_answer(c["id"]), fold_answer(c["name"]))), None
    )


def rubric_total(rubric: dict, scores: dict[str, float]) -> float | None:
    """The rubric total (0–100) of per-criterion scores, or None when a score is missing or out of range."""
    total = 0.0
    for c in rubric["criteria"]:
        value = scores.get(c["id"])
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= c["weight"]:
            return None
        total += value
    return round(total, 2)
