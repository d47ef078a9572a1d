"""The meta line under a question heading: `类型: 单选 | 分值: 2 | 难度: 2 | 能力: 风险预判`.

It may also be several `key: value` lines; it ends at the first line that is not one. Full-width `：`
and `｜` work like `:` and `|`.
"""

from __future__ import annotations

import re

from drill.content.rules.problems import did_you_mean
from drill.content.rules.questions.base import Context, Entry, fold_answer
from drill.content.rules.reader import Line
from drill.messages import N_, Message

META_KEYS: dict[str, tuple[str, ...]] = {
    "type": ("类型", "题型", "type"),
    "points": ("分值", "分数", "points"),
    "difficulty": ("难度", "difficulty"),
    "competencies": ("能力", "competencies", "competency"),
    "tags": ("标签", "tags"),
    "level": ("级别", "level"),
    "scoring": ("计分", "scoring"),
    "shuffle": ("乱序", "shuffle"),
    "tolerance": ("误差", "tolerance"),
    "unit": ("单位", "unit"),
    "rubric": ("评分标准", "rubric"),
    "standards": ("考点", "standards"),  # assessment points in content/standards/ (drill.content.standards)
}
SPELLINGS = {fold_answer(s): key for key, spellings in META_KEYS.items() for s in spellings}
_KEY = re.compile(r"^\s*(?:\*\*)?([^\s:：|｜,，。;；*]{1,16})(?:\*\*)?\s*[:：]")
_BAR = re.compile(r"[|｜]")


def looks_like_meta(text: str) -> bool:
    parts = _BAR.split(text)
    keys = [m.group(1) for m in (_KEY.match(p) for p in parts) if m]
    if not keys or not _KEY.match(parts[0]):
        return False
    if any(fold_answer(k) in SPELLINGS for k in keys):
        return True
    return len(parts) > 1 and bool(did_you_mean(keys[0], list(SPELLINGS)))


def split_meta(body: list[Line]) -> tuple[list[Line], list[Line]]:
    """(meta lines, the rest). No meta lines when the first text line is not `key: value`."""
    index = 0
    while index < len(body) and not body[index].text.strip():
        index += 1
    start = index
    while index < len(body) and body[index].text.strip() and looks_like_meta(body[index].text):
        index += 1
    return body[start:index], body[index:] if index > start else body


def parse_meta(lines: list[Line], ctx: Context) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for line in lines:
        for part in _BAR.split(line.text):
            if not part.strip():
                continue
            pieces = re.split(r"[:：]", part, maxsplit=1)
            if len(pieces) < 2:
                ctx.error(
                    line.no,
                    Message(
                        N_(
                            "`%(part)s` is not `key: value`; "
                            "separate entries with `|`, e.g. `类型: 单选 | 分值: 2`"
                        ),
                        part=part.strip(),
                    ),
                )
                continue
            name, value = pieces[0].strip().strip("*").strip(), pieces[1].strip().strip("*").strip()
            key = SPELLINGS.get(fold_answer(name))
            if key is None:
                known = ", ".join(spellings[0] for spellings in META_KEYS.values())
                ctx.error(
                    line.no,
                    Message(
                        N_("unknown key `%(key)s` in the meta line.%(hint)s Known keys: %(keys)s"),
                        key=name,
                        hint=did_you_mean(name, list(SPELLINGS)),
                        keys=known,
                    ),
                )
            elif key in entries:
                ctx.error(
                    line.no,
                    Message(
                        N_("`%(key)s` is given twice (also on line %(other)d); keep one"),
                        key=name,
                        other=entries[key].line,
                    ),
                )
            else:
                entries[key] = Entry(value, line.no)
    return entries
