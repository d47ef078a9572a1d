"""Markdown structure for the pack parsers: headings outside code fences, labelled lines (`解析:`),
list items and pipe tables, all keeping the line numbers of the file."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from drill.content.rules.problems import Problems
from drill.content.rules.reader import Line
from drill.messages import N_, Message

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_BARE_HEADING = re.compile(r"^ {0,3}(#{1,6})([^#\s].*?)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
COLON = "[:：]"


@dataclass
class Section:
    title: str
    line: int
    level: int
    body: list[Line] = field(default_factory=list)


def fence_mask(lines: list[Line]) -> list[bool]:
    """True for each line that is inside a fenced code block (or is one of its fences)."""
    mask, opener = [], None
    for line in lines:
        m = _FENCE.match(line.text)
        if opener is None and m:
            opener = m.group(1)
            mask.append(True)
        elif opener is not None:
            mask.append(True)
            if m and m.group(1)[0] == opener[0] and len(m.group(1)) >= len(opener):
                opener = None
        else:
            mask.append(False)
    return mask


def heading(text: str) -> tuple[int, str] | None:
    m = _HEADING.match(text)
    if not m:
        return None
    title = re.sub(r"[ \t]+#+$", "", m.group(2) or "").strip()
    return len(m.group(1)), title


def split_sections(lines: list[Line], level: int, problems: Problems) -> tuple[list[Line], list[Section]]:
    """Split at every heading of `level` (and of higher rank once the first section has begun);
    returns (the text before the first section, the sections)."""
    preamble: list[Line] = []
    sections: list[Section] = []
    for line, in_code in zip(lines, fence_mask(lines), strict=True):
        found = None if in_code else heading(line.text)
        if found is None and not in_code:
            bare = _BARE_HEADING.match(line.text)
            if bare and len(bare.group(1)) == level:
                problems.warning(
                    line.no,
                    Message(
                        N_(
                            "write a space after `%(marks)s` (`%(marks)s %(title)s`) "
                            "so that it shows as a heading"
                        ),
                        marks=bare.group(1),
                        title=bare.group(2),
                    ),
                )
                found = (level, bare.group(2).strip())
        # A title heading (`# 标题`) above the first section belongs to the preamble.
        if found is not None and (found[0] == level or (found[0] < level and sections)):
            sections.append(Section(found[1], line.no, found[0]))
        elif sections:
            sections[-1].body.append(line)
        else:
            preamble.append(line)
    return preamble, sections


@functools.cache
def _label_pattern(names: tuple[str, ...]) -> re.Pattern:
    """Built once per set of names: `label` runs on every line of every question."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # A bold label closes before or after its colon (`**解析**：`, `**解析：**`); a plain label's text may
    # itself start with `**` or `__`, which is kept.
    return re.compile(
        rf"^\s*(\*\*|__)?\s*(?:{alternatives})\s*(?(1)\1?)\s*{COLON}\s*(?(1)\1?)\s*(.*)$", re.IGNORECASE
    )


def label(text: str, names: tuple[str, ...]) -> str | None:
    """The rest of a line that starts with one of `names` and a colon (`解析：…`, `**解析**: …`), or None."""
    m = _label_pattern(names).match(text)
    return m.group(2).strip() if m else None


def trim(lines: list[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and not lines[start].text.strip():
        start += 1
    while end > start and not lines[end - 1].text.strip():
        end -= 1
    return lines[start:end]


def join(lines: list[Line]) -> str:
    return "\n".join(line.text for line in trim(lines))


def first_line(lines: list[Line], default: int) -> int:
    trimmed = trim(lines)
    return trimmed[0].no if trimmed else default


def is_table_row(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith(("|", "｜")) or (stripped.count("|") + stripped.count("｜") >= 2)


def table_cells(text: str) -> list[str]:
    stripped = text.strip().replace("｜", "|")
    stripped = stripped.removeprefix("|")
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    cells = re.split(r"(?<!\\)\|", stripped)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def is_delimiter_row(cells: list[str]) -> bool:
    return bool(cells) and all(re.fullmatch(r":?-{1,}:?", c.replace("－", "-").strip()) for c in cells)


def tables(lines: list[Line]) -> list[list[Line]]:
    """Runs of consecutive table rows (outside code) whose second row is a `|---|` delimiter."""
    found: list[list[Line]] = []
    run: list[Line] = []
    for line, in_code in [*zip(lines, fence_mask(lines), strict=True), (Line(0, ""), False)]:
        if not in_code and line.no and is_table_row(line.text):
            run.append(line)
            continue
        if len(run) >= 2 and is_delimiter_row(table_cells(run[1].text)):
            found.append(run)
        run = []
    return found
