"""Open-answer questions, graded by people against a rubric.

Scoring rule: never automatic (`score` returns None: needs grading). With a rubric the grader scores each
criterion from 0 to its weight; the question earns points × (rubric total) / 100. Without a rubric the
grader gives 0 to the question's points directly, guided by the reference answer.
"""

from __future__ import annotations

import random

from drill.content.rules.blocks import label
from drill.content.rules.questions.base import Context, Markdown, QuestionType, Score
from drill.content.rules.questions.registry import register
from drill.content.rules.reader import Line
from drill.content.rules.rubric import find_rubric_table, parse_rubric, render_rubric, rubric_total
from drill.messages import N_, Message

REFERENCE_LABELS = ("参考答案", "reference answer", "reference")


@register
class Open(QuestionType):
    name = "open"
    rank = 8
    names = ("问答", "open", "essay", "简答", "论述", "主观")
    options = frozenset({"rubric"})

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        table = find_rubric_table(content)
        where = Message(N_("the rubric of question `%(qid)s`"), qid=ctx.qid)
        rubric = parse_rubric(table, ctx.problems, where) if table else None
        ref = ctx.meta.get("rubric")
        if table and ref:
            ctx.error(
                table[0].no,
                Message(
                    N_("two rubrics: `评分标准: %(rubric)s` (line %(line)d) and this table; keep one"),
                    rubric=ref.value,
                    line=ref.line,
                ),
            )
            del ctx.meta["rubric"]  # reported once; the table is what the question shows
            ref = None
        table_lines = {line.no for line in table or []}
        stem: list[Line] = []
        reference: list[Line] | None = None
        for line in content:
            if line.no in table_lines:
                continue
            rest = label(line.text, REFERENCE_LABELS) if reference is None else None
            if rest is not None:
                reference = [Line(line.no, rest)]
            elif reference is not None:
                reference.append(line)
            else:
                stem.append(line)
        text = "\n".join(line.text for line in reference or []).strip()
        return stem, {"reference": text, "rubric": rubric, "rubric_id": ref.value.strip() if ref else None}

    def render(self, spec: dict, md: Markdown) -> dict:
        rubric = render_rubric(spec["rubric"], md) if spec.get("rubric") else None
        return {**spec, "reference_html": md(spec.get("reference", "")), "rubric": rubric}

    def public(self, spec: dict, rng: random.Random) -> dict:
        # Criteria names and weights tell a manager what counts; descriptors and the reference answer
        # could give the answer away, so they wait until grading.
        rubric = spec.get("rubric") or {"criteria": []}
        return {
            "criteria": [
                {"id": c["id"], "name": c["name"], "weight": c["weight"]} for c in rubric["criteria"]
            ]
        }

    def score(self, spec: dict, response: object) -> Score:
        return Score(None, {"needs_grading": True})


def grade_open(spec: dict, scores: dict[str, float]) -> float | None:
    """Points earned from a grader's scores: per criterion with a rubric, else `{"points": x}`."""
    points = float(spec["points"])
    if spec.get("rubric"):
        total = rubric_total(spec["rubric"], scores)
        return None if total is None else round(points * total / 100, 2)
    given = scores.get("points")
    if isinstance(given, bool) or not isinstance(given, int | float) or not 0 <= given <= points:
        return None
    return round(float(given), 2)
