"""One raw GIFT question → a drill question type and its fields, with the type rules of Moodle's importer:
`{}` essay, `{#…}` numeric, a `~` multiple choice, `=… -> …` matching, `{T}`/`{F}` true/false, otherwise
short answer. What drill cannot represent is reported at the line of the answer concerned.

Multiple choice with `=` is drill's single choice. Without `=` (answers weighted `~%50%`) it is drill's
multiple choice with the `partial` rule, which equals Moodle's scoring when the right answers share 100%
equally and every wrong answer is weighted −100% or less; other weights are reported as approximated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from drill.content.convert.draft import Issues
from drill.content.convert.gift_parse import GAP, Answer, Raw, restore, split_answers, text_format
from drill.content.convert.values import plain

Markdown = Callable[[str, str, int], str]  # (text with placeholders, format, line) → Markdown
MISSING_WORD = r"\_\_\_\_\_"


@dataclass
class Converted:
    type: str
    stem: str
    fields: dict
    feedback: list[str] = field(default_factory=list)  # `- when…: feedback` lines for the explanation


def detect(answer: str) -> str:
    if answer == "":
        return "open"
    if answer.startswith("#"):
        return "numeric"
    if "~" in answer:
        return "choice"
    if "=" in answer and "->" in answer:
        return "matching"
    word = answer.split("#", 1)[0].strip()
    return "truefalse" if word.upper() in ("T", "TRUE", "F", "FALSE") else "blank"


def convert(raw: Raw, issues: Issues, md: Markdown) -> Converted | None:
    kind = detect(raw.answer)
    stem = md(raw.stem, raw.format, raw.line)
    if kind != "blank":
        stem = stem.replace(GAP, MISSING_WORD)
    handler = {
        "open": _open, "numeric": _numeric, "choice": _choice, "matching": _matching,
        "truefalse": _truefalse, "blank": _blank,
    }[kind]  # fmt: skip
    return handler(raw, issues, md, stem)


def _text(answer: Answer, raw: Raw, md: Markdown) -> str:
    fmt, text = text_format(answer.text, raw.format)
    return md(text, fmt, raw.line_at(answer.offset))


def _feedback(answer: Answer, raw: Raw, md: Markdown, when: str) -> list[str]:
    if not answer.feedback:
        return []
    fmt, text = text_format(answer.feedback, raw.format)
    return [f"- {when}：{' '.join(md(text, fmt, raw.line_at(answer.offset)).split())}"]


def _short(text: str) -> str:
    first = " ".join(text.split())
    return first if len(first) <= 30 else first[:29] + "…"


def _choice(raw: Raw, issues: Issues, md: Markdown, stem: str) -> Converted | None:
    answers = split_answers(raw, "~=")
    line = raw.line_at(raw.answer_at)
    if len(answers) < 2:
        issues.error(line, "选择题至少要有两个答案", "a multiple-choice question needs at least two answers")
        return None
    single = any(a.marker == "=" for a in answers)
    weights = [100.0 if a.marker == "=" and a.weight is None else a.weight or 0.0 for a in answers]
    options, feedback = [], []
    for a, weight in zip(answers, weights, strict=True):
        text = _text(a, raw, md)
        options.append({"text": text, "correct": weight == 100 if single else weight > 0, "weight": weight})
        feedback += _feedback(a, raw, md, f"选「{_short(text)}」")
        if a.marker == "":
            issues.warning(
                raw.line_at(a.offset),
                "第一个 ~ 之前的文字算作错误选项",
                "text before the first `~` counts as a wrong option",
            )
        if not -100 <= weight <= 100:
            issues.error(
                raw.line_at(a.offset),
                f"权重 {weight:g}% 应在 -100% 到 100% 之间",
                f"the weight {weight:g}% must lie between -100% and 100%",
            )
            return None
    if single:
        if sum(w == 100 for w in weights) != 1:
            issues.error(
                line,
                "单选题要有且只有一个满分（=）答案；多个正确答案请写成 ~%50% 这样的权重（多选题）",
                "a single-answer question has exactly one full-credit `=` answer; "
                "weight several right ones `~%50%` (multiple answers)",
            )
            return None
        if any(w < 0 for w in weights):
            issues.warning(
                line,
                "负权重的选项选中时，drill 给 0 分（一道题不会得负分）",
                "an option with a negative weight earns 0 in drill (a question never scores below 0)",
            )
        if all(w in (0, 100) for w in weights):
            for option in options:
                del option["weight"]
        return Converted("single", stem, {"options": options, "shuffle": True}, feedback)
    right = [w for w in weights if w > 0]
    if not right:
        issues.error(
            line,
            "多选题没有任何正权重的答案",
            "no answer of this multiple-answer question has a positive weight",
        )
        return None
    if abs(sum(right) - 100) > 0.01 * len(right) + 0.01:
        shown = " + ".join(f"{w:g}%" for w in right)
        issues.error(
            line,
            f"多选题正确答案的权重（{shown}）合计应为 100%",
            f"the positive weights of a multiple-answer question ({shown}) must add up to 100%",
        )
        return None
    forced = any(
        re.search(r"(?:计分|scoring)\s*[:：]\s*(?:weighted|加权)", c, re.I) for _n, c in raw.comments
    )
    partial = max(right) - min(right) <= 0.01 and all(w <= -100 for w in weights if w <= 0)
    if partial and not forced:  # Moodle's score equals drill's `partial` rule: keep the simpler form
        for option in options:
            del option["weight"]
        return Converted(
            "multiple", stem, {"options": options, "shuffle": True, "scoring": "partial"}, feedback
        )
    return Converted("multiple", stem, {"options": options, "shuffle": True, "scoring": "weighted"}, feedback)


def _truefalse(raw: Raw, issues: Issues, md: Markdown, stem: str) -> Converted:
    word, *feedback = raw.answer.split("#", 2)
    answer = word.strip().upper() in ("T", "TRUE")
    wrong, right = [*feedback, "", ""][:2]
    lines = []
    for label, text in (("选“对”", right if answer else wrong), ("选“错”", wrong if answer else right)):
        fmt, body = text_format(text, raw.format)
        if body:
            lines.append(f"- {label}：{' '.join(md(body, fmt, raw.line).split())}")
    return Converted("truefalse", stem, {"answer": answer}, lines)


def _blank(raw: Raw, issues: Issues, md: Markdown, stem: str) -> Converted | None:
    accepted, feedback = [], []
    for a in split_answers(raw, "="):
        text = " ".join(restore(text_format(a.text, "plain")[1]).split())
        line = raw.line_at(a.offset)
        feedback += _feedback(a, raw, md, f"答“{_short(text)}”")
        if a.weight is not None and a.weight <= 0:
            issues.warning(
                line,
                f"权重为 {a.weight:g}% 的答案「{text}」不得分，已不作为答案（其反馈保留在解析中）",
                f"the answer `{text}` weighted {a.weight:g}% earns nothing; it is not an accepted answer "
                "(its feedback stays in the explanation)",
            )
            continue
        if any(bad in text for bad in ("|", "｜", "{{", "}}")) or not text:
            issues.error(
                line,
                f"填空答案「{text}」不能为空或含有 | {{{{ }}}}",
                f"a blank's answer `{text}` may not be empty or hold | {{{{ }}}}",
            )
            return None
        if "*" in text:
            issues.warning(
                line,
                f"答案「{text}」中的通配符 * 按普通字符比较",
                f"the wildcard `*` in `{text}` is compared literally",
            )
        weight = a.weight if a.weight is not None else 100.0
        if weight > 100:
            issues.error(line, f"权重 {weight:g}% 超过 100%", f"the weight {weight:g}% is above 100%")
            return None
        accepted.append(text if weight == 100 else f"{text}={weight:g}%")
    if not any("=" not in a or not a.endswith("%") for a in accepted):
        issues.error(
            raw.line_at(raw.answer_at),
            "填空题没有满分答案",
            "the short-answer question has no full-credit answer",
        )
        return None
    blank = "{{" + "|".join(accepted) + "}}"
    stem = stem.replace(GAP, blank) if GAP in stem else stem + (" " if raw.spaced else "") + blank
    return Converted("blank", stem, {"scoring": "partial"}, feedback)


def _numeric(raw: Raw, issues: Issues, md: Markdown, stem: str) -> Converted | None:
    body, at = raw.answer[1:], raw.answer_at + 1
    cut = body.find("~")
    wrong = body[cut:] if cut >= 0 else ""
    answers = split_answers(raw, "=", body[:cut] if cut >= 0 else body, at)
    chosen, feedback = None, []
    for a in answers:
        value = _number_range(restore(a.text), issues, raw.line_at(a.offset))
        if value is None:
            return None
        if chosen is None and (a.weight is None or a.weight >= 100):
            chosen = value
            feedback += _feedback(a, raw, md, f"答 {plain(value[0])}")
    if chosen is None:
        issues.error(raw.line_at(at), "数值题没有满分答案", "the numeric question has no full-credit answer")
        return None
    if len(answers) > 1:
        shown = ", ".join(restore(a.text) for a in answers)
        issues.warning(
            raw.line_at(at),
            f"数值题有多个答案（{shown}）：drill 只保留第一个满分答案，其他答案（部分分）及其反馈已删去",
            f"several numeric answers ({shown}): drill keeps only the first full-credit one; the others "
            "(partial credit) and their feedback are left out",
        )
    if wrong.partition("#")[2].strip():
        fmt, text = text_format(wrong.partition("#")[2], raw.format)
        feedback.append(f"- 其他答案：{' '.join(md(text, fmt, raw.line).split())}")
    fields = {"answer": plain(chosen[0]), "tolerance": plain(chosen[1]), "relative": False, "unit": ""}
    return Converted("numeric", stem, fields, feedback)


def _number_range(text: str, issues: Issues, line: int) -> tuple[Decimal, Decimal] | None:
    try:
        if ".." in text:
            low, high = (Decimal(x.strip()) for x in text.split("..", 1))
            if low > high:
                raise InvalidOperation
            middle = (low + high) / 2
            return middle, high - middle
        value, _, tolerance = text.partition(":")
        result = Decimal(value.strip()), Decimal(tolerance.strip() or "0")
        if result[1] < 0 or not all(x.is_finite() for x in result):
            raise InvalidOperation
        return result
    except (InvalidOperation, ValueError):
        issues.error(
            line,
            f"数值答案「{text}」应写成 3.14、3.14:0.01 或 1..5",
            f"the numeric answer `{text}` must be written 3.14, 3.14:0.01 or 1..5",
        )
        return None


def _matching(raw: Raw, issues: Issues, md: Markdown, stem: str) -> Converted | None:
    pairs, distractors = [], []
    for a in split_answers(raw, "=", feedback=False):
        line = raw.line_at(a.offset)
        if "->" not in a.text:
            issues.error(
                line,
                f"匹配项「{restore(a.text)}」缺少 ->",
                f"the matching pair `{restore(a.text)}` has no `->`",
            )
            return None
        left, _, right = a.text.partition("->")
        if a.weight is not None:
            issues.warning(line, "匹配题不支持权重，已忽略", "weights on matching pairs are ignored")
        left_md = " ".join(_text(Answer("=", None, left, None, a.offset), raw, md).split())
        right_text = " ".join(_text(Answer("=", None, right, None, a.offset), raw, md).split())
        (pairs.append((left_md, right_text)) if left_md else distractors.append(right_text))
    if len(pairs) < 2:
        issues.error(
            raw.line_at(raw.answer_at),
            "匹配题至少要有两对 左 -> 右",
            "a matching question needs at least two pairs `left -> right`",
        )
        return None
    return Converted(
        "matching", stem, {"pairs": pairs, "distractors": distractors, "scoring": "partial", "shuffle": True}
    )


def _open(raw: Raw, issues: Issues, md: Markdown, stem: str) -> Converted:
    return Converted("open", stem, {"reference": "", "rubric": None, "rubric_id": None})
