"""The answer columns of one worksheet row → the fields of its question type.

Conventions (also on the template's instructions sheet):
- single / multiple: 选项A… hold the options; 答案 the letters of the right ones (`B`, `A,C`, `ACD`), or
  Moodle-style weights `A:50%, B:50%, D:-100%` (options not named are worth 0%).
- a cell is Markdown, but the start of each line is literal: an option `#5 items`, `- 10%` or `1. 先做`
  is that text (escape.py), never a heading or a list.
- truefalse: 答案 对/错 (正确/错误, √/×, T/F); or a letter when 选项A/选项B read 对/错.
- blank: each gap in 题干 is `____` (three or more underscores) or `（ ）`; 答案 gives the blanks in order,
  separated by `；`/`;`, the accepted answers of one blank by `|`. A 题干 that already marks its blanks
  `{{答案|其他}}` keeps them and leaves 答案 empty.
- numeric: 答案 `12.5`, `12.5±0.1` or `12.5±1%`; 单位 the unit.
- ordering: 选项A… the items in any order; 答案 the letters in the right order (`CABD`).
- matching: each 选项 is `左=>右` (`->`, `→` also); `干扰项=>右` (or `=>右`, which Excel would take for
  a formula unless typed `'=>右`) adds a distractor; 答案 stays empty.
- open: 答案 is the reference answer.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

from drill.content.convert.escape import cell_block, cell_inline
from drill.content.convert.values import Bad, numeric_answer, plain
from drill.content.convert.xlsx_columns import LETTERS
from drill.content.rules.questions.choice import truth

GAP = re.compile(r"_{3,}|＿{2,}|[(（][ \u3000]*[)）]")
ARROW = re.compile(r"^(.*?)\s*(?:=>|->|→|=》|＝＞|⇒)\s*(.*)$", re.DOTALL)
_BLANK = re.compile(r"\{\{.*?\}\}|｛｛.*?｝｝")
DISTRACTOR = ("", "干扰项", "干扰")  # `干扰项=>提高利率` or `=>提高利率`: a right side no left item matches


class Row(Protocol):
    def get(self, key: str) -> str: ...
    def error(self, key: str, zh: str, en: str) -> None: ...


def options(row: Row) -> list[str]:
    """The filled option cells A… in order; a gap (C empty, D filled) is an error."""
    found = [(letter, row.get(letter)) for letter in LETTERS]
    last = max((i for i, (_l, v) in enumerate(found) if v), default=-1)
    for letter, value in found[: last + 1]:
        if not value:
            row.error(
                letter,
                f"选项{letter} 为空，但后面的选项有内容；请从选项A起连续填写",
                f"option {letter} is empty but a later one is not",
            )
    return [v for _l, v in found[: last + 1]]


def letters(row: Row, answer: str, count: int) -> list[int] | None:
    """`A,C` / `AC` / `a、c` → option indexes; reported when not letters of existing options."""
    folded = re.sub(r"[\s,，、;；/|]+", "", unicodedata.normalize("NFKC", answer)).upper()
    if not folded or not all(c in LETTERS for c in folded):
        row.error(
            "answer",
            f"答案「{answer}」应为选项字母，如 A 或 A,C",
            f"the answer `{answer}` must be option letters such as A or A,C",
        )
        return None
    beyond = [c for c in folded if LETTERS.index(c) >= count]
    if beyond:
        row.error(
            "answer",
            f"答案中的 {'、'.join(beyond)} 没有对应的选项",
            f"the answer names option {', '.join(beyond)}, which is empty",
        )
        return None
    return [LETTERS.index(c) for c in folded]


def read_fields(row: Row, qtype: str, stem: str) -> tuple[dict, str] | None:
    """(the type's fields, the stem — a blank question's gaps become `{{…}}`), or None when reported."""
    opts = options(row)
    answer = row.get("answer")
    if qtype not in ("single", "multiple", "ordering", "matching", "truefalse") and opts:
        row.error(
            "A",
            "这种题型不用选项，请清空选项列",
            f"{qtype} questions have no options; empty the option columns",
        )
        return None
    if qtype == "blank":
        return _blank(row, stem, answer)
    reader = {
        "single": _choice, "multiple": _choice, "truefalse": _truefalse, "numeric": _numeric,
        "ordering": _ordering, "matching": _matching, "open": _open,
    }[qtype]  # fmt: skip
    fields = reader(row, qtype, opts, answer)
    return None if fields is None else (fields, stem)


def _choice(row: Row, qtype: str, opts: list[str], answer: str) -> dict | None:
    if len(opts) < 2:
        row.error(
            "B", "选择题至少要有两个选项（选项A、选项B）", "a choice question needs at least two options"
        )
        return None
    if "%" in answer or "％" in answer:
        return _weighted(row, qtype, opts, answer)
    chosen = letters(row, answer, len(opts)) if answer else None
    if not answer:
        row.error(
            "answer", "没有答案：写正确选项的字母，如 A", "no answer: write the right option's letter, e.g. A"
        )
    if chosen is None:
        return None
    if qtype == "single" and len(set(chosen)) > 1:
        row.error(
            "answer",
            f"单选题只能有一个答案，写了 {answer}",
            f"a single-choice question has exactly one answer, got {answer}",
        )
        return None
    return {
        "options": [{"text": cell_inline(t), "correct": i in chosen} for i, t in enumerate(opts)],
        "shuffle": True,
        "scoring": "partial",
    }


_WEIGHT = re.compile(r"([A-H])\s*[:=]?\s*(?:([-+]?\d{1,3}(?:\.\d{1,5})?)\s*%)?")


def _weighted(row: Row, qtype: str, opts: list[str], answer: str) -> dict | None:
    """`A:50%, B:50%, D:-100%` → options with Moodle's weights (a letter without % is 100%)."""
    parts = [p for p in re.split(r"[\s,，、;；/|]+", unicodedata.normalize("NFKC", answer).upper()) if p]
    weights: dict[int, float] = {}
    for part in parts:
        m = _WEIGHT.fullmatch(part)
        index = LETTERS.index(m.group(1)) if m else len(LETTERS)
        weight = float(m.group(2)) if m and m.group(2) else 100.0
        if not m or index >= len(opts) or index in weights or not -100 <= weight <= 100:
            row.error(
                "answer",
                f"答案「{answer}」应写成 A:50%, B:50%, D:-100% 这样的选项字母和权重",
                f"the answer `{answer}` must be option letters with weights, e.g. A:50%, B:50%, D:-100%",
            )
            return None
        weights[index] = weight
    full = [i for i, w in weights.items() if w == 100]
    if qtype == "single" and len(full) != 1:
        row.error(
            "answer",
            "带权重的单选题要有且只有一个 100% 的选项",
            "a weighted single-choice question has exactly one option worth 100%",
        )
        return None
    if qtype == "multiple" and abs(sum(w for w in weights.values() if w > 0) - 100) > 0.01:
        row.error(
            "answer",
            "多选题正的权重合计应为 100%",
            "the positive weights of a multiple-choice question must add up to 100%",
        )
        return None
    options = [
        {
            "text": cell_inline(t),
            "correct": weights.get(i, 0.0) == 100 if qtype == "single" else weights.get(i, 0.0) > 0,
            "weight": weights.get(i, 0.0),
        }
        for i, t in enumerate(opts)
    ]
    fields: dict = {"options": options, "shuffle": True}
    if qtype == "multiple":
        fields["scoring"] = "weighted"
    return fields


def _truefalse(row: Row, qtype: str, opts: list[str], answer: str) -> dict | None:
    letter = unicodedata.normalize("NFKC", answer).strip().upper()
    value = (
        truth(opts[LETTERS.index(letter)])
        if len(letter) == 1 and letter in LETTERS[: len(opts)]
        else truth(answer)
    )
    if value is None:
        row.error(
            "answer",
            f"判断题的答案「{answer}」应为 对 或 错",
            f"a true/false answer must be 对 or 错, not `{answer}`",
        )
        return None
    return {"answer": value}


def _blank(row: Row, stem: str, answer: str) -> tuple[dict, str] | None:
    if _BLANK.search(stem):
        if answer:
            row.error(
                "answer",
                "题干已用 {{…}} 写了答案，答案列请留空",
                "the text already marks its blanks `{{…}}`; leave 答案 empty",
            )
            return None
        return {"scoring": "partial"}, stem
    groups = [g.strip() for g in re.split(r"[;；]", answer)] if answer.strip() else []
    blanks = [[a.strip() for a in re.split(r"[|｜]", g) if a.strip()] for g in groups]
    gaps = GAP.findall(stem)
    if any(not b for b in blanks) or not blanks:
        row.error(
            "answer",
            "每个空都要有答案：各空用 ； 分隔，同一空的答案用 | 分隔",
            "every blank needs an answer: blanks separated by ；, answers by |",
        )
        return None
    if len(gaps) != len(blanks):
        row.error(
            "answer",
            f"题干有 {len(gaps)} 个空（____ 或（ ）），答案给了 {len(blanks)} 组",
            f"the text has {len(gaps)} gaps (____ or （ ）) but the answer gives {len(blanks)} blanks",
        )
        return None
    if any("{{" in a or "}}" in a for b in blanks for a in b):
        row.error("answer", "答案中不能有 {{ 或 }}", "an answer may not hold {{ or }}")
        return None
    found = iter(blanks)
    return {"scoring": "partial"}, GAP.sub(lambda _m: "{{" + "|".join(next(found)) + "}}", stem)


def _numeric(row: Row, qtype: str, opts: list[str], answer: str) -> dict | None:
    if not answer:
        row.error(
            "answer",
            "没有答案：写一个数，如 12.5 或 12.5±0.1",
            "no answer: write a number such as 12.5 or 12.5±0.1",
        )
        return None
    try:
        value, tolerance, unit = numeric_answer(answer, row.get("unit"))
    except Bad as bad:
        row.error("answer", bad.zh, bad.en)
        return None
    amount, relative = tolerance or (0, False)
    return {
        "answer": str(value),
        "tolerance": plain(amount) if tolerance else "0",
        "relative": relative,
        "unit": unit,
    }


def _ordering(row: Row, qtype: str, opts: list[str], answer: str) -> dict | None:
    if len(opts) < 2:
        row.error("B", "排序题至少要有两项（选项A、选项B）", "an ordering question needs at least two items")
        return None
    order = letters(row, answer, len(opts)) if answer else None
    if not answer:
        row.error(
            "answer", "排序题的答案写正确顺序的字母，如 CABD", "write the right order as letters, e.g. CABD"
        )
    if order is None:
        return None
    if sorted(order) != list(range(len(opts))):
        row.error(
            "answer",
            f"答案「{answer}」应把选项A到选项{LETTERS[len(opts) - 1]}各写一次",
            f"the answer `{answer}` must name every item once",
        )
        return None
    return {"items": [cell_inline(" ".join(opts[i].split())) for i in order], "scoring": "position"}


def _matching(row: Row, qtype: str, opts: list[str], answer: str) -> dict | None:
    pairs, distractors = [], []
    for letter, cell in zip(LETTERS, opts, strict=False):
        m = ARROW.match(cell)
        if not m or not m.group(2).strip():
            row.error(
                letter,
                f"选项{letter} 应写成 左=>右（干扰项写 干扰项=>右）",
                f"option {letter} must be `left=>right` (`干扰项=>right` for a distractor)",
            )
            return None
        left, right = " ".join(m.group(1).split()), cell_inline(" ".join(m.group(2).split()))
        (distractors.append(right) if left in DISTRACTOR else pairs.append((cell_inline(left), right)))
    if answer:
        row.error(
            "answer",
            "匹配题的答案写在选项里（左=>右），答案列请留空",
            "a matching question's answer is in its options (left=>right); leave 答案 empty",
        )
        return None
    if len(pairs) < 2:
        row.error(
            "A", "匹配题至少要有两对 左=>右", "a matching question needs at least two pairs left=>right"
        )
        return None
    return {"pairs": pairs, "distractors": distractors, "scoring": "partial", "shuffle": True}


def _open(row: Row, qtype: str, opts: list[str], answer: str) -> dict:
    return {
        "reference": cell_block(answer.strip()),
        "rubric": None,
        "rubric_id": row.get("rubric") or None,
    }
