"""Single choice, multiple choice and true/false.

Scoring rules (points = the question's `分值`):
- single: full points when the chosen option is the correct one, else 0.
- multiple, `计分: all` (全对): full points only when exactly the correct options are chosen.
- multiple, `计分: partial` (部分, the default): 0 if any wrong option is chosen; otherwise
  points × (correct options chosen) / (correct options) — the Chinese exam rule 少选得部分分, 错选不得分.
- multiple, `计分: per-option` (逐项): every option judged on its own (chosen if correct, left if wrong);
  points × (options judged right − options judged wrong) / (options), never below 0.
- true/false: full points when the answer matches, else 0.

Weighted options (Moodle's percentage answers, e.g. from a GIFT or Moodle XML import): an option marked
`- [50%]` (or `[-100%]`; `[x]` is 100%, `[ ]` is 0%) earns that share of the points.
- single with weights: the chosen option's share, never below 0; exactly one option is worth 100%.
- multiple with weights (`计分` is then `weighted`): the sum of the chosen options' shares, between 0 and
  the full points; the positive weights add up to 100%. Moodle scores both the same way.
"""

from __future__ import annotations

import random
import re

from drill.content.rules.blocks import fence_mask
from drill.content.rules.questions.base import (
    Context,
    Markdown,
    QuestionType,
    Score,
    fold_answer,
    share,
    short_id,
)
from drill.content.rules.questions.registry import register
from drill.content.rules.reader import Line
from drill.content.rules.schema import MULTIPLE_SCORINGS
from drill.messages import N_, Message

_OPTION = re.compile(
    r"^\s{0,3}[-*+]\s+[\[［【]([^\]］】]{0,3}|[-+]?\d{1,3}(?:\.\d{1,5})?\s*[%％])[\]］】](?:\s+|$)(.*)$"
)
_WEIGHT = re.compile(r"^([-+]?\d{1,3}(?:\.\d{1,5})?)\s*[%％]$")
CORRECT_MARKS = {"x", "X", "√", "✓", "✔", "ｘ", "Ｘ"}
TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "true", "t", "yes", "是"}
FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "false", "f", "no", "否"}
ANSWER_LABELS = ("答案", "正确答案", "answer")
YES_NO = {
    "是": True,
    "yes": True,
    "true": True,
    "对": True,
    "否": False,
    "no": False,
    "false": False,
    "错": False,
}


def parse_options(content: list[Line], ctx: Context) -> tuple[list[Line], list[dict]]:
    """Task-list items `- [x] text` / `- [ ] text`; indented lines continue the option above."""
    stem: list[Line] = []
    options: list[dict] = []
    for line, in_code in zip(content, fence_mask(content), strict=True):
        m = None if in_code else _OPTION.match(line.text)
        if m:
            mark = m.group(1).strip()
            weight = _WEIGHT.match(mark)
            if weight:
                value = float(weight.group(1))
                if not -100 <= value <= 100:
                    ctx.error(
                        line.no,
                        Message(N_("the weight `[%(mark)s]` must lie between -100%% and 100%%"), mark=mark),
                    )
                options.append(
                    {"text": m.group(2).strip(), "correct": value > 0, "weight": value, "line": line.no}
                )
                continue
            if mark and mark not in CORRECT_MARKS:
                ctx.error(
                    line.no,
                    Message(
                        N_(
                            "unknown option mark `[%(mark)s]`; "
                            "write `- [x]` for a correct option and `- [ ]` for a wrong one"
                        ),
                        mark=mark,
                    ),
                )
            options.append({"text": m.group(2).strip(), "correct": mark in CORRECT_MARKS, "line": line.no})
        elif not options:
            stem.append(line)
        elif line.text.strip() and line.text.startswith(("  ", "\t")):
            options[-1]["text"] += "\n" + line.text.strip()
        elif line.text.strip():
            ctx.error(
                line.no,
                Message(
                    N_(
                        "text after the options is not shown; move it above the options "
                        "(into the question) or below `解析:`"
                    )
                ),
            )
    seen: dict[str, int] = {}
    for option in options:
        if not option["text"]:
            ctx.error(option["line"], Message(N_("an option has no text; write it after `- [ ]`")))
        option["id"] = short_id(option["text"])
        if option["id"] in seen:
            ctx.error(
                option["line"],
                Message(N_("this option repeats the option on line %(other)d"), other=seen[option["id"]]),
            )
        seen.setdefault(option["id"], option["line"])
    if any("weight" in o for o in options):
        for option in options:
            option.setdefault("weight", 100.0 if option["correct"] else 0.0)
    return stem, options


def weighted(spec: dict) -> bool:
    return any("weight" in o for o in spec["options"])


def yes_no(ctx: Context, key: str, default: bool) -> bool:
    entry = ctx.meta.get(key)
    if entry is None:
        return default
    value = YES_NO.get(entry.value.strip().casefold())
    if value is None:
        ctx.error(
            entry.line,
            Message(N_("write `是` or `否` (yes / no) after `乱序:`, not `%(value)s`"), value=entry.value),
        )
        return default
    return value


class Choice(QuestionType):
    options = frozenset({"shuffle", "scoring"})

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        stem, options = parse_options(content, ctx)
        self.check_options(options, ctx)
        fields = {
            "options": [{k: o[k] for k in ("id", "text", "correct", "weight") if k in o} for o in options],
            "shuffle": yes_no(ctx, "shuffle", True),
        }
        return stem, fields

    def check_options(self, options: list[dict], ctx: Context) -> None:
        if len(options) < 2:
            ctx.error(
                None,
                Message(
                    N_(
                        "a choice question needs at least two options written as "
                        "`- [x] right` and `- [ ] wrong`"
                    )
                ),
            )

    def render(self, spec: dict, md: Markdown) -> dict:
        options = [{**o, "html": md(o["text"])} for o in spec["options"]]
        return {**spec, "options": options}

    def public(self, spec: dict, rng: random.Random) -> dict:
        options = [{"id": o["id"], "html": o.get("html", "")} for o in spec["options"]]
        if spec.get("shuffle", True):
            rng.shuffle(options)
        return {"options": options}

    @staticmethod
    def ids(spec: dict) -> tuple[set[str], set[str]]:
        every = {o["id"] for o in spec["options"]}
        return every, {o["id"] for o in spec["options"] if o["correct"]}


@register
class Single(Choice):
    name = "single"
    rank = 1
    names = ("单选", "single", "single choice", "单项选择")
    options = frozenset({"shuffle"})

    def check_options(self, options: list[dict], ctx: Context) -> None:
        super().check_options(options, ctx)
        if any("weight" in o for o in options):
            for option in options:
                option["correct"] = option["weight"] == 100
        marked = sum(o["correct"] for o in options)
        if options and marked == 0:
            ctx.error(
                options[0]["line"], Message(N_("no option is marked correct; mark the right one `- [x]`"))
            )
        elif marked > 1:
            ctx.error(
                options[0]["line"],
                Message(
                    N_(
                        "a single-choice question has %(marked)d options marked `[x]`; "
                        "mark exactly one, or write `类型: 多选` for multiple choice"
                    ),
                    marked=marked,
                ),
            )

    def score(self, spec: dict, response: object) -> Score:
        every, correct = self.ids(spec)
        chosen = response if isinstance(response, str) and response in every else None
        right = chosen is not None and chosen in correct
        if weighted(spec):
            weight = next((o["weight"] for o in spec["options"] if o["id"] == chosen), 0.0)
            earned = round(float(spec["points"]) * max(0.0, weight) / 100, 2)
        else:
            earned = float(spec["points"]) if right else 0.0
        return Score(
            earned,
            {"correct": right, "chosen": chosen, "answer": sorted(correct)},
        )


@register
class Multiple(Choice):
    name = "multiple"
    rank = 2
    names = ("多选", "multiple", "multiple choice", "多项选择", "不定项")
    scorings = MULTIPLE_SCORINGS

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        stem, fields = super().parse(content, ctx)
        if weighted(fields):
            if "scoring" in ctx.meta:
                ctx.error(
                    ctx.meta["scoring"].line,
                    Message(
                        N_("the options carry weights (`[50%]`), which decide the score; remove `计分:`")
                    ),
                )
            total = sum(o["weight"] for o in fields["options"] if o["weight"] > 0)
            if abs(total - 100) > 0.01:
                ctx.error(
                    None,
                    Message(
                        N_("the positive option weights add up to %(total)s%%; make them add up to 100%%"),
                        total=f"{total:g}",
                    ),
                )
            return stem, {**fields, "scoring": "weighted"}
        return stem, {**fields, "scoring": self.scoring(ctx, ctx.pack_multiple_scoring)}

    def check_options(self, options: list[dict], ctx: Context) -> None:
        super().check_options(options, ctx)
        if options and not any(o["correct"] for o in options):
            ctx.error(
                options[0]["line"], Message(N_("no option is marked correct; mark every right one `- [x]`"))
            )

    def score(self, spec: dict, response: object) -> Score:
        every, correct = self.ids(spec)
        items = response if isinstance(response, list | tuple | set) else []
        chosen = {c for c in items if isinstance(c, str) and c in every}
        points, rule = float(spec["points"]), spec.get("scoring", "partial")
        if weighted(spec):
            total = sum(o["weight"] for o in spec["options"] if o["id"] in chosen)
            earned = round(points * min(100.0, max(0.0, total)) / 100, 2)
        elif rule == "all":
            earned = points if chosen == correct else 0.0
        elif rule == "per-option":
            right = sum((oid in chosen) == (oid in correct) for oid in every)
            earned = max(0.0, share(points, right - (len(every) - right), len(every)))
        else:
            earned = 0.0 if chosen - correct else share(points, len(chosen & correct), len(correct))
        return Score(
            earned, {"correct": chosen == correct, "chosen": sorted(chosen), "answer": sorted(correct)}
        )


def truth(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    word = fold_answer(value)
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


@register
class TrueFalse(QuestionType):
    name = "truefalse"
    rank = 3
    names = ("判断", "truefalse", "true/false", "true-false", "对错", "是非")

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        from drill.content.rules.questions.text import take_answer_line  # text imports this module's labels

        stem, entry = take_answer_line(content, ctx, "答案: 对 (or 错)")
        answer = truth(entry.value) if entry else None
        if entry and answer is None:
            ctx.error(
                entry.line,
                Message(
                    N_(
                        "`%(value)s` is not true or false; "
                        "write `答案: 对` or `答案: 错` (also 正确/错误, √/×, true/false)"
                    ),
                    value=entry.value,
                ),
            )
        return stem, {"answer": bool(answer)}

    def score(self, spec: dict, response: object) -> Score:
        given = truth(response) if response is not None else None
        right = given is not None and given == spec["answer"]
        return Score(
            float(spec["points"]) if right else 0.0,
            {"correct": right, "chosen": given, "answer": spec["answer"]},
        )
