"""Reading the values a question bank carries outside its text — points, difficulty, level, competencies,
scoring rules, yes/no, numbers — from a worksheet cell or a `// drill:` line of a GIFT file.

Each reader returns the value or raises `Bad` with a Chinese and an English message saying what to write.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from drill.content.rules.questions import REGISTRY
from drill.content.rules.questions.base import fold_answer
from drill.content.rules.questions.choice import YES_NO
from drill.content.rules.questions.text import parse_tolerance, to_number
from drill.content.rules.schema import LEVELS, resolve_choice
from drill.content.taxonomy import Taxonomy

LEVEL_ZH = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
TYPE_ZH = {
    "single": "单选题", "multiple": "多选题", "truefalse": "判断题", "blank": "填空题",
    "numeric": "数值题", "ordering": "排序题", "matching": "匹配题", "open": "问答题",
}  # fmt: skip
DIFFICULTY_WORDS = {
    "易": 1, "容易": 1, "简单": 1, "较易": 2, "较简单": 2, "中": 3, "中等": 3, "一般": 3,
    "适中": 3, "较难": 4, "难": 5, "困难": 5,
}  # fmt: skip
_PLUS_MINUS = re.compile(r"\s*(?:±|\+-|\+/-)\s*")


class Bad(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def text(value: object) -> str:
    """A cell's value as text: numbers without a trailing `.0`, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "对" if value else "错"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def points(value: str) -> float:
    try:
        number = Decimal(fold_answer(value).removesuffix("分").strip())
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if not number.is_finite() or not 0 < number <= 1000:
        raise Bad(
            f"分值「{value}」不是 0 到 1000 之间的数", f"points `{value}` is not a number above 0, up to 1000"
        )
    return float(round(number, 2))


def difficulty(value: str) -> int:
    folded = fold_answer(value)
    if folded in DIFFICULTY_WORDS:
        return DIFFICULTY_WORDS[folded]
    if folded in {"1", "2", "3", "4", "5"}:
        return int(folded)
    raise Bad(
        f"难度「{value}」应为 1（最易）到 5（最难），或 易/较易/中等/较难/难",
        f"difficulty `{value}` must be 1 (easiest) to 5 (hardest), or 易/较易/中等/较难/难",
    )


def level(value: str) -> str:
    found = resolve_choice(LEVELS, value)
    if found is None:
        raise Bad(
            f"级别「{value}」应为 初级、中级 或 高级",
            f"level `{value}` must be junior, intermediate or senior",
        )
    return found


def names(value: str) -> list[str]:
    return [n.strip() for n in re.split(r"[,，、;；|｜\n]", value) if n.strip()]


def competencies(value: str, taxonomy: Taxonomy, strict: bool) -> tuple[list[str], list[str]]:
    """(competency keys, the other names as tags). `strict`: every name must be a competency."""
    keys: list[str] = []
    others: list[str] = []
    for name in names(value):
        key = taxonomy.competencies.resolve(name)
        if key is None and strict:
            raise Bad(
                f"能力「{name}」不在 taxonomy.yaml 中",
                f"unknown competency `{name}`; known: {taxonomy.competencies.listing()}",
            )
        target, item = (keys, key) if key else (others, name)
        if item not in target:
            target.append(item)
    return keys, others


def scoring(qtype: str, value: str) -> str:
    rules = REGISTRY[qtype].scorings
    wanted = fold_answer(value)
    for rule, spellings in rules.items():
        if wanted in {fold_answer(s) for s in spellings}:
            return rule
    allowed = " | ".join(f"{rule} ({spellings[1]})" for rule, spellings in rules.items())
    if not rules:
        raise Bad(f"{TYPE_ZH[qtype]}没有计分规则可选", f"{qtype} questions have no scoring rule to choose")
    raise Bad(f"计分「{value}」应为 {allowed}", f"scoring `{value}` must be one of {allowed}")


def yes_no(value: str) -> bool:
    found = YES_NO.get(value.strip().casefold())
    if found is None:
        raise Bad(f"乱序「{value}」应为 是 或 否", f"shuffle `{value}` must be 是 or 否 (yes or no)")
    return found


def numeric_answer(value: str, unit: str = "") -> tuple[Decimal, tuple[Decimal, bool] | None, str]:
    """`12.5`, `12.5±0.1`, `12.5 ± 1%`, `255万元` → (answer, (tolerance, relative) or None, unit)."""
    raw = unicodedata.normalize("NFKC", value).strip()
    parts = _PLUS_MINUS.split(raw, maxsplit=1)
    m = re.match(r"^([+-]?[\d,]*\.?\d+(?:e[+-]?\d+)?)\s*(.*)$", parts[0].strip(), re.IGNORECASE)
    found = to_number(m.group(1)) if m else None
    if found is None:
        raise Bad(
            f"答案「{value}」不是数；写成 12.5 或 12.5±0.1",
            f"the answer `{value}` is not a number; write 12.5 or 12.5±0.1",
        )
    suffix = m.group(2).strip() if m else ""
    if suffix and unit and suffix != unicodedata.normalize("NFKC", unit):
        raise Bad(
            f"答案的单位「{suffix}」与单位列「{unit}」不同",
            f"the answer's unit `{suffix}` differs from `{unit}`",
        )
    tolerance = None
    if len(parts) > 1:
        tolerance = parse_tolerance(parts[1])
        if tolerance is None:
            raise Bad(
                f"误差「{parts[1]}」应为不小于 0 的数或百分数",
                f"the tolerance `{parts[1]}` must be a number ≥ 0 or a percentage",
            )
    return found, tolerance, unit or suffix


def plain(number_: Decimal) -> str:
    """A decimal without exponent: `1E+3` → `1000`, `12.50` stays `12.50`."""
    return format(number_, "f") if "E" in str(number_) else str(number_)
