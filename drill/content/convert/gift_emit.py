"""A parsed question bank → Moodle GIFT, so that GIFT back in (gift.py) yields the same questions.

Texts are written `[markdown]`, each on one line with `\\n` for its line breaks (as Moodle's own export
does), special characters escaped. What GIFT has no syntax for — points, difficulty, level,
competencies, scoring rules, `乱序: 否`, units, relative tolerances, shared rubrics — goes into a comment
`// drill: 分值: 2 | 难度: 4 | …` above the question, which Moodle ignores and drill reads back; tags go
into Moodle's `// [tag:…]`. Ordering questions and blanks with more than one gap have no GIFT
form: they are written in a form Moodle accepts (a matching question from step number to item; an essay
that shows the gaps) with `类型:` in their `drill:` line, which brings them back as they were. The pack's
front matter travels in `// drill-pack: key: <JSON>` lines, its introduction as a Moodle description.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal

from drill.content.convert.draft import Draft, Issues, from_parsed
from drill.content.convert.export import Export, exportable, linked_files
from drill.content.convert.markdown_writer import full_stem, meta_line, pack_values
from drill.content.convert.values import plain
from drill.content.rules.packs import ParsedPack
from drill.content.rules.questions.text import WEIGHTED_ANSWER

_BLANK = re.compile(r"(?:\{\{|｛｛)(.*?)(?:\}\}|｝｝)")


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def pack_to_gift(pack: ParsedPack) -> Export:
    issues = Issues()
    if not exportable(pack, issues, "GIFT"):
        return Export(None, issues.items)
    meta = pack.meta
    out = [
        f"// drill 题库 / question bank: {meta.get('id')} — {meta.get('title')}",
        f"// 主题 theme: {meta.get('theme')} | 级别 level: {meta.get('level')} | "
        f"对象 audience: {meta.get('audience')}",
        "// `// drill:` 行保存 GIFT 无法表达的值，Moodle 会忽略 / "
        "`// drill:` lines keep what GIFT cannot carry",
        *(f"// drill-pack: {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in pack_values(meta).items()),
    ]
    intro = pack.sections.get("intro", "").strip()
    if intro:  # a Moodle "description"; drill reads it back as the introduction
        out += ["", "// drill-pack: intro", f"::intro::[markdown]{escape(intro)}"]
    count = 0
    for question in pack.questions:
        draft = from_parsed(question)
        body = question_gift(draft, issues)
        if body is None:
            continue
        linked_files(draft, issues, "GIFT")
        out.append("")
        tags = " ".join(f"[tag:{t}]" for t in draft.tags if "]" not in t)
        out += [f"// {tags}"] if tags else []
        rest = [t for t in draft.tags if "]" in t]  # a tag Moodle's [tag:…] cannot hold stays in `drill:`
        drill = meta_line(replace(draft, tags=rest), meta.get("level"))
        if not _disguised(draft):  # GIFT's own syntax says the type
            drill = drill.split(" | ", 1)[1]
        if draft.fields.get("scoring") == "weighted":
            drill += " | 计分: weighted"  # Moodle's weights, even where they equal the `partial` rule
        out += [f"// drill: {drill}", body]
        count += 1
    return Export("\n".join(out) + "\n", issues.items, count)


def question_gift(draft: Draft, issues: Issues) -> str | None:
    f = draft.fields
    head = f"::{escape(draft.id)}::[markdown]"
    general = f"####{escape(draft.explanation)}" if draft.explanation.strip() else ""
    if draft.type in ("single", "multiple"):
        right = sum(o["correct"] for o in f["options"])
        weight = f"{100 / right:.5f}".rstrip("0").rstrip(".")
        marks = ("=", "~") if draft.type == "single" else (f"~%{weight}%", "~%-100%")
        lines = [
            f"{_mark(o, draft.type) or marks[not o['correct']]}{escape(o['text'])}" for o in f["options"]
        ]
        return f"{head}{escape(draft.stem)}{{\n" + "\n".join([*lines, general] if general else lines) + "\n}"
    if draft.type == "truefalse":
        return f"{head}{escape(draft.stem)}{{{'TRUE' if f['answer'] else 'FALSE'}{general}}}"
    if draft.type == "numeric":
        tolerance = Decimal(f["tolerance"])
        if f.get("relative"):
            tolerance = abs(Decimal(f["answer"])) * tolerance / 100
        return f"{head}{escape(draft.stem)}{{#{f['answer']}:{plain(tolerance)}{general}}}"
    if draft.type == "blank" and _disguised(draft):
        # GIFT has one answer block: Moodle gets an essay showing the gaps; `类型: 填空` brings it back.
        return f"{head}{escape(draft.stem)}{{{general}}}"
    if draft.type == "blank":
        m = next(_BLANK.finditer(draft.stem))
        answers = " ".join(_blank_answer(a.strip()) for a in re.split(r"[|｜]", m.group(1)) if a.strip())
        before, after = escape(draft.stem[: m.start()]), escape(draft.stem[m.end() :])
        return f"{head}{before}{{{answers}{general}}}{after}"
    if draft.type == "matching":
        lines = [f"={escape(left)} -> {escape(right)}" for left, right in f["pairs"]]
        lines += [f"= -> {escape(right)}" for right in f.get("distractors", [])]
        return f"{head}{escape(draft.stem)}{{\n" + "\n".join([*lines, general] if general else lines) + "\n}"
    if draft.type == "open":
        feedback = (f.get("reference") or "").strip()
        if draft.explanation.strip():
            feedback = f"{feedback}\n\n解析: {draft.explanation.strip()}".strip()
        return f"{head}{escape(full_stem(draft))}{{{'####' + escape(feedback) if feedback else ''}}}"
    # ordering: GIFT has no such type; Moodle gets a matching question (step number → item) and
    # `类型: 排序` brings it back.
    lines = [f"={n} -> {escape(item)}" for n, item in enumerate(f["items"], start=1)]
    return f"{head}{escape(draft.stem)}{{\n" + "\n".join([*lines, general] if general else lines) + "\n}"


def _blank_answer(answer: str) -> str:
    """`=Nazareth`; a weighted answer `Nazereth=75%` as `=%75%Nazereth`."""
    weighted = WEIGHTED_ANSWER.match(answer)
    if weighted and weighted.group(1).strip():
        return f"=%{weighted.group(2)}%{escape(weighted.group(1).strip())}"
    return f"={escape(answer)}"


def _mark(option: dict, qtype: str) -> str | None:
    """A weighted option's GIFT mark (`=`, `~`, `~%50%`); None for an option without a weight."""
    weight = option.get("weight")
    if weight is None:
        return None
    if qtype == "single" and weight == 100:
        return "="
    return "~" if weight == 0 else "~%" + f"{weight:.5f}".rstrip("0").rstrip(".") + "%"


def _disguised(draft: Draft) -> bool:
    """A question GIFT has no form for, written in another type's form and named by `类型:`."""
    return draft.type == "ordering" or (draft.type == "blank" and len(_BLANK.findall(draft.stem)) != 1)
