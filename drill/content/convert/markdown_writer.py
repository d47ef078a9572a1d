"""Drafts → the Markdown of a question bank (docs/content-format.md), written so that the pack parser reads
back exactly the drafts: the one writer behind every importer.

Only what differs from a default is written in a meta line (`难度` 3, `乱序` 是, the type's first scoring
rule and the pack's level are left out), so a converted pack reads like one written by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from drill.content.convert.draft import DEFAULT_SCORING, Draft
from drill.content.convert.escape import escape_headings
from drill.content.convert.values import LEVEL_ZH
from drill.content.rules.questions import REGISTRY
from drill.content.rules.questions.meta import META_KEYS

PLACEHOLDER = "待填写"


@dataclass
class PackInfo:
    """The front matter of a converted pack. None: not given (a placeholder is written and reported)."""

    id: str | None = None
    title: str | None = None
    theme: str | None = None
    level: str | None = None
    audience: str | None = None
    description: str | None = None
    extra: dict = field(default_factory=dict)  # any other front-matter key (authors, time_limit...)

    def filled_from(self, source: dict) -> PackInfo:
        """These values, with what the source file says where they are None (GIFT `// drill-pack:`
        lines, the workbook's 题库信息 sheet)."""
        given = {k: getattr(self, k) for k in STANDARD}
        merged = {k: given[k] if given[k] not in (None, "") else source.get(k) for k in STANDARD}
        extra = {k: v for k, v in source.items() if k not in STANDARD and k != "intro"}
        return PackInfo(
            **{k: None if v is None else str(v) for k, v in merged.items()}, extra={**extra, **self.extra}
        )


STANDARD = ("id", "title", "theme", "level", "audience", "description")


def pack_values(meta: dict) -> dict:
    """A parsed pack's front matter as the exporters carry it: every key that holds a value."""
    return {k: v for k, v in meta.items() if v not in (None, "", [])}


def yaml_value(value: str) -> str:
    """The value plain when YAML reads it back as this very text, else double-quoted."""
    text = str(value).strip()
    try:
        plain = "\n" not in text and yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def front_matter(info: PackInfo) -> list[str]:
    lines = ["---"]
    for key in ("id", "title", "theme", "level", "audience", "description"):
        value = getattr(info, key)
        if value is None and key in ("audience", "description"):
            continue
        shown = yaml_value(value) if value is not None else f"{PLACEHOLDER}  # 请填写 / fill in"
        lines.append(f"{key}: {shown}")
    for key, value in info.extra.items():
        shown = yaml_value(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key}: {shown}")
    return [*lines, "---"]


def rubric_table(rubric: dict) -> str:
    def row(cells: list) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    lines = [row(["编号", "评分项", "权重", *rubric["levels"]]), row(["---"] * (3 + len(rubric["levels"])))]
    lines += [row([c["id"], c["name"], c["weight"], *c["descriptors"]]) for c in rubric["criteria"]]
    return "\n".join(lines)


def full_stem(draft: Draft) -> str:
    """The stem as a single text, with an open question's own rubric table below it."""
    rubric = (
        draft.fields.get("rubric") if draft.type == "open" and not draft.fields.get("rubric_id") else None
    )
    return f"{draft.stem}\n\n{rubric_table(rubric)}" if rubric else draft.stem


def points_text(points: float) -> str:
    return f"{points:g}"


def meta_line(draft: Draft, pack_level: str | None) -> str:
    f = draft.fields
    parts = [f"类型: {REGISTRY[draft.type].names[0]}", f"分值: {points_text(draft.points)}"]
    if draft.difficulty != 3:
        parts.append(f"难度: {draft.difficulty}")
    if draft.level and draft.level != pack_level:
        parts.append(f"级别: {LEVEL_ZH[draft.level]}")
    if draft.competencies:
        parts.append(f"能力: {', '.join(draft.competencies)}")
    if draft.tags:
        parts.append(f"标签: {', '.join(draft.tags)}")
    if draft.type in DEFAULT_SCORING and f.get("scoring", DEFAULT_SCORING[draft.type]) not in (
        DEFAULT_SCORING[draft.type],
        "weighted",
    ):
        parts.append(f"计分: {f['scoring']}")
    if draft.type in ("single", "multiple", "matching") and not f.get("shuffle", True):
        parts.append("乱序: 否")
    if draft.type == "numeric":
        if f.get("tolerance", "0") not in ("0", ""):
            parts.append(f"误差: {f['tolerance']}{'%' if f.get('relative') else ''}")
        if f.get("unit"):
            parts.append(f"单位: {f['unit']}")
    if draft.type == "open" and f.get("rubric_id"):
        parts.append(f"评分标准: {f['rubric_id']}")
    parts += [
        f"{META_KEYS[key][0] if key in META_KEYS else key}: {value}" for key, value in draft.extra.items()
    ]
    return " | ".join(parts)


def labelled(label: str, text: str) -> list[str]:
    """`解析: text`; a text that opens with a list, table, quote or code goes below a bare label."""
    text = text.strip()
    if re.match(r"^(?:[-*+] |\d{1,3}[.)、] |\||>|```|~~~)", text):
        return [f"{label}:", *text.splitlines()]
    first, _, rest = text.partition("\n")
    return [f"{label}: {first}", *rest.splitlines()]


def option_mark(option: dict, explicit: bool = False) -> str:
    """`x` or ` `; a weighted option's percentage (`50%`), with `x` for 100% and ` ` for 0% unless
    `explicit` (every weight is 0% or 100%: one percentage must show that the question is weighted)."""
    weight = option.get("weight")
    if weight is None or (weight in (0, 100) and not explicit):
        return "x" if option["correct"] else " "
    return f"{weight:.5f}".rstrip("0").rstrip(".") + "%"


def answer_part(draft: Draft) -> list[str]:
    f = draft.fields
    if draft.type in ("single", "multiple"):
        lines = []
        weights = [o.get("weight") for o in f["options"]]
        explicit = None not in weights and all(w in (0, 100) for w in weights)
        for option in f["options"]:
            first, *more = option["text"].strip().splitlines() or [""]
            lines.append(f"- [{option_mark(option, explicit)}] {first}")
            lines += [f"  {line.strip()}" for line in more if line.strip()]
        return lines
    if draft.type == "truefalse":
        return [f"答案: {'对' if f['answer'] else '错'}"]
    if draft.type == "numeric":
        return [f"答案: {f['answer']}"]
    if draft.type == "ordering":
        return [f"{n}. {item}" for n, item in enumerate(f["items"], start=1)]
    if draft.type == "matching":
        return [f"- {left} => {right}" for left, right in f["pairs"]] + [
            f"- => {right}" for right in f.get("distractors", [])
        ]
    if draft.type == "open" and f.get("reference", "").strip():
        return labelled("参考答案", f["reference"])
    return []


def write_question(draft: Draft, pack_level: str | None) -> list[str]:
    lines = [f"## {draft.id}", meta_line(draft, pack_level), "", *full_stem(draft).strip().splitlines()]
    answer = answer_part(draft)
    if answer:
        lines += ["", *answer]
    if draft.explanation.strip():
        lines += ["", *labelled("解析", draft.explanation)]
    return lines


def write_pack(info: PackInfo, drafts: list[Draft], intro: str = "") -> tuple[str, dict[str, int]]:
    """The pack's Markdown and the line of each question's heading (by id)."""
    lines = front_matter(info)
    if intro.strip():
        lines += ["", *escape_headings(intro, intro=True).strip().splitlines()]
    starts: dict[str, int] = {}
    for draft in drafts:
        lines.append("")
        starts[draft.id] = len(lines) + 1
        lines += write_question(draft, info.level)
    return "\n".join(lines) + "\n", starts
