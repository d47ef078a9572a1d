"""Fill-in-the-blank and numeric questions: answers typed by the manager.

Scoring rules:
- blank, `计分: partial` (the default): every blank is worth the same share of the points; a blank is
  right when the typed text equals one of its accepted answers after normalising both: NFKC (full-width
  letters, digits and punctuation become half-width), surrounding spaces removed, runs of spaces made one,
  letter case ignored. `计分: all` gives the points only when every blank is right. An answer written
  with a weight, `{{Nazareth|Nazereth=75%}}` (Moodle's partial-credit answers), earns that share of
  its blank under `partial` (and counts as wrong under `all`); it is not shown as a right answer.
- numeric: full points when |typed − answer| ≤ tolerance (absolute, `误差: 0.5`) or ≤ |answer| × p / 100
  (relative, `误差: 1%`); tolerance 0 means exactly equal. The typed number may carry thousands
  separators, full-width digits and the question's unit; anything else that is not a number earns 0.
"""

from __future__ import annotations

import random
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from drill.content.rules.blocks import label
from drill.content.rules.questions.base import Context, Entry, QuestionType, Score, fold_answer, share
from drill.content.rules.questions.choice import ANSWER_LABELS
from drill.content.rules.questions.registry import register
from drill.content.rules.reader import Line
from drill.messages import N_, Message

_BLANK = re.compile(r"(?:\{\{|｛｛)(.*?)(?:\}\}|｝｝)")
WEIGHTED_ANSWER = re.compile(r"^(.*?)\s*[=＝]\s*(\d{1,2}(?:\.\d{1,5})?)\s*[%％]$")
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$", re.IGNORECASE)
_PLUS_MINUS = re.compile(r"\s*(?:±|\+-|\+/-)\s*")
MAX_BLANKS = 30


def take_answer_line(content: list[Line], ctx: Context, example: str) -> tuple[list[Line], Entry | None]:
    """Remove the `答案:` line from the content; report it missing or repeated."""

    stem: list[Line] = []
    entry: Entry | None = None
    for line in content:
        value = label(line.text, ANSWER_LABELS)
        if value is None:
            if entry is not None and line.text.strip():
                ctx.error(
                    line.no,
                    Message(
                        N_(
                            "text after the `答案:` line is not shown; move it above (into the question) "
                            "or below `解析:`"
                        )
                    ),
                )
            if entry is None:
                stem.append(line)
        elif entry is not None:
            ctx.error(
                line.no,
                Message(
                    N_("a second `答案:` line (the first is on line %(first)d); keep one"), first=entry.line
                ),
            )
        else:
            entry = Entry(value, line.no)
            if not value:
                ctx.error(
                    line.no, Message(N_("the answer is empty; write e.g. `%(example)s`"), example=example)
                )
    if entry is None:
        ctx.error(
            None,
            Message(N_("no answer given; add a line `%(example)s` after the question text"), example=example),
        )
    return stem, entry


def blank_markdown(stem: str) -> str:
    """The stem with each `{{...}}` replaced by a numbered gap, as a manager sees it."""
    counter = iter(range(1, MAX_BLANKS + 10_000))
    return _BLANK.sub(lambda _m: rf"\_\_\_\_({next(counter)})\_\_\_\_", stem)


@register
class Blank(QuestionType):
    name = "blank"
    rank = 4
    names = ("填空", "blank", "fill in the blank", "fill-in")
    scorings: ClassVar[dict[str, tuple[str, ...]]] = {"partial": ("partial", "部分"), "all": ("all", "全对")}
    options = frozenset({"scoring"})

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        blanks: list[dict] = []
        for line in content:
            if label(line.text, ("答案", "answer")) is not None:
                ctx.error(
                    line.no,
                    Message(
                        N_(
                            "a fill-in-the-blank question keeps its answers in the text: "
                            "write `{{answer|other accepted answer}}` where the gap is"
                        )
                    ),
                )
            for m in _BLANK.finditer(line.text):
                answers, partial = [], {}
                for answer in (a.strip() for a in re.split(r"[|｜]", m.group(1)) if a.strip()):
                    weighted = WEIGHTED_ANSWER.match(answer)
                    if weighted and weighted.group(1).strip():
                        partial[weighted.group(1).strip()] = float(weighted.group(2))
                    else:
                        answers.append(answer)
                if not answers:
                    ctx.error(
                        line.no,
                        Message(
                            N_(
                                "an empty blank `{{}}`; write the accepted answers inside, "
                                "e.g. `{{贷前调查|贷前调研}}`"
                            )
                        ),
                    )
                blanks.append(
                    {"answers": answers, "line": line.no, **({"partial": partial} if partial else {})}
                )
            rest = _BLANK.sub("", line.text)
            if "{{" in rest or "｛｛" in rest:
                ctx.error(
                    line.no,
                    Message(N_("a `{{` is never closed; a blank is written `{{answer}}` on one line")),
                )
        if not blanks:
            ctx.error(
                None,
                Message(N_("a fill-in-the-blank question needs at least one blank `{{answer}}` in its text")),
            )
        if len(blanks) > MAX_BLANKS:
            ctx.error(
                None,
                Message(
                    N_("%(count)d blanks; a question may have at most %(limit)d"),
                    count=len(blanks),
                    limit=MAX_BLANKS,
                ),
            )
        kept = [{k: b[k] for k in ("answers", "partial") if k in b} for b in blanks]
        return content, {"blanks": kept, "scoring": self.scoring(ctx)}

    def display_stem(self, spec: dict) -> str:
        return blank_markdown(spec["stem"])

    def public(self, spec: dict, rng: random.Random) -> dict:
        return {"blanks": len(spec["blanks"])}

    def score(self, spec: dict, response: object) -> Score:
        blanks = spec["blanks"]
        if isinstance(response, str) and len(blanks) == 1:
            response = [response]
        typed = list(response) if isinstance(response, list | tuple) else []
        typed = [t if isinstance(t, str) else "" for t in typed] + [""] * (len(blanks) - len(typed))
        accepted = [{fold_answer(a) for a in b["answers"]} for b in blanks]
        right = [fold_answer(t) in ok for t, ok in zip(typed, accepted, strict=False)]
        points = float(spec["points"])
        if spec.get("scoring") == "all":
            earned = points if all(right) else 0.0
        elif any("partial" in b for b in blanks):
            credit = [1.0 if ok else _partial(b, t) for t, ok, b in zip(typed, right, blanks, strict=False)]
            earned = round(points * sum(credit) / len(blanks), 2)
        else:
            earned = share(points, sum(right), len(blanks))
        return Score(earned, {"correct": right, "answer": [b["answers"] for b in blanks]})


def _partial(blank: dict, typed: str) -> float:
    """The share a typed answer earns through a weighted answer of its blank (0 when none matches)."""
    weights = [w for a, w in blank.get("partial", {}).items() if fold_answer(a) == fold_answer(typed)]
    return max(weights, default=0.0) / 100


def to_number(text: object, unit: str = "") -> Decimal | None:
    """A typed number: full-width digits, thousands separators and the unit are tolerated."""
    if isinstance(text, bool):
        return None
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace(" ", "")
    unit = unicodedata.normalize("NFKC", unit).replace(" ", "")
    if unit and raw.endswith(unit):
        raw = raw[: -len(unit)]
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        return None
    # Beyond any real answer; keeping exponents small keeps Decimal arithmetic from overflowing.
    return number if number.is_finite() and -60 < number.adjusted() < 60 else None


def parse_tolerance(text: str) -> tuple[Decimal, bool] | None:
    """`0.5` → absolute 0.5; `1%` → relative 1 percent."""
    raw = unicodedata.normalize("NFKC", text).strip()
    relative = raw.endswith("%")
    number = to_number(raw.removesuffix("%"))
    if number is None or number < 0:
        return None
    return number, relative


@register
class Numeric(QuestionType):
    name = "numeric"
    rank = 5
    names = ("数值", "numeric", "number", "计算")
    options = frozenset({"tolerance", "unit"})

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        stem, entry = take_answer_line(content, ctx, "答案: 12.5")
        unit_entry = ctx.meta.get("unit")
        unit = unit_entry.value.strip() if unit_entry else ""
        fields = {"answer": "0", "tolerance": "0", "relative": False, "unit": unit}
        if entry is None or not entry.value:
            return stem, fields
        parts = _PLUS_MINUS.split(unicodedata.normalize("NFKC", entry.value), maxsplit=1)
        value, tolerance_text = parts[0], (parts[1] if len(parts) > 1 else "")
        m = _NUMBER.match(value.strip().replace(",", ""))
        if not m:
            ctx.error(
                entry.line,
                Message(
                    N_(
                        "the answer `%(value)s` is not a number; write e.g. `答案: 12.5` "
                        "(tolerance as `误差: 0.5` or `答案: 12.5 ± 0.5`)"
                    ),
                    value=entry.value,
                ),
            )
            return stem, fields
        suffix = m.group(2).strip()
        if suffix and unit and suffix != unicodedata.normalize("NFKC", unit):
            ctx.error(
                entry.line,
                Message(
                    N_("the answer's unit `%(suffix)s` differs from `单位: %(unit)s`; use one unit"),
                    suffix=suffix,
                    unit=unit,
                ),
            )
        number = to_number(m.group(1))
        if number is None:
            ctx.error(
                entry.line,
                Message(
                    N_("the answer `%(value)s` is out of range; write an ordinary number"), value=entry.value
                ),
            )
            return stem, fields
        fields.update(answer=str(number), unit=unit or suffix)
        tolerance_entry = ctx.meta.get("tolerance")
        if tolerance_text and tolerance_entry:
            ctx.error(
                entry.line,
                Message(
                    N_("two tolerances (`± %(tolerance)s` and `误差:` on line %(line)d); keep one"),
                    tolerance=tolerance_text,
                    line=tolerance_entry.line,
                ),
            )
        tolerance_text = tolerance_text or (tolerance_entry.value if tolerance_entry else "0")
        tolerance = parse_tolerance(tolerance_text)
        if tolerance is None:
            ctx.error(
                tolerance_entry.line if tolerance_entry else entry.line,
                Message(
                    N_("the tolerance `%(tolerance)s` is not a number ≥ 0; write `误差: 0.5` or `误差: 1%%`"),
                    tolerance=tolerance_text,
                ),
            )
        else:
            fields.update(tolerance=str(tolerance[0]), relative=tolerance[1])
        return stem, fields

    def public(self, spec: dict, rng: random.Random) -> dict:
        return {"unit": spec.get("unit", "")}

    def score(self, spec: dict, response: object) -> Score:
        answer = Decimal(spec["answer"])
        tolerance = Decimal(spec.get("tolerance", "0"))
        allowed = abs(answer) * tolerance / 100 if spec.get("relative") else tolerance
        given = to_number(response, spec.get("unit", "")) if isinstance(response, str | int | float) else None
        right = given is not None and abs(given - answer) <= allowed
        return Score(
            float(spec["points"]) if right else 0.0,
            {
                "correct": right,
                "given": None if given is None else str(given),
                "answer": spec["answer"],
                "tolerance": spec.get("tolerance", "0"),
                "relative": spec.get("relative", False),
                "unit": spec.get("unit", ""),
            },
        )
