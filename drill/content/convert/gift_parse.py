"""Moodle GIFT text → raw questions, read the way Moodle's own importer (question/format/gift) reads it.

Questions are separated by blank lines; `//` lines are comments (their `[tag:…]`, `[id:…]` and
`drill:` entries are kept); each physical line is trimmed. Escapes `\\~ \\= \\# \\{ \\} \\: \\\\ \\n` are
replaced by placeholders before anything else, so a structure character is only ever an unescaped one.
A question is `::name::` (optional), `[format]` (optional), the text, one answer block `{…}` (at the end,
or inside the text: the missing-word form) and, in the block, a general feedback after `####`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from drill.content.convert.draft import Issues

_ESCAPES = {
    ":": "\ue001",
    "#": "\ue002",
    "=": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    "~": "\ue006",
    "n": "\ue007",
}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_BACKSLASH = "\ue000"
GAP = "\ue010"  # where a missing-word answer block sat in the text
FORMATS = ("html", "moodle", "plain", "markdown")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%\s*(-?\d+(?:\.\d*)?)\s*%")


def escape_placeholders(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace(_BACKSLASH, "\\")


def restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


@dataclass
class Block:
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, trimmed text)
    comments: list[tuple[int, str]] = field(default_factory=list)  # (line number, text after `//`)


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current = Block()
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            if current.lines or current.comments:
                blocks.append(current)
            current = Block()
        elif stripped.startswith("//"):
            current.comments.append((number, stripped[2:].strip()))
        else:
            current.lines.append((number, stripped))
    if current.lines or current.comments:
        blocks.append(current)
    return blocks


@dataclass
class Raw:
    """One block, read. Texts keep the escape placeholders until `restore`."""

    kind: str  # "question", "category" or "description" (or "" when unreadable, already reported)
    line: int
    text: str = ""  # the whole block, escapes as placeholders
    starts: list[int] = field(default_factory=list)  # offset in `text` where each line begins
    numbers: list[int] = field(default_factory=list)  # ... and that line's number in the file
    comments: list[tuple[int, str]] = field(default_factory=list)
    name: str | None = None
    format: str = "moodle"
    stem: str = ""  # the question text without name, format and answer block (GAP where it was)
    answer: str = ""  # inside the braces, without the general feedback
    answer_at: int = 0  # offset of the answer text in `text`
    general: str = ""  # general feedback (after `####`)
    gap: bool = False  # missing-word form: the block was inside the text
    spaced: bool = False  # a space stood between the text and a closing answer block

    def line_at(self, offset: int) -> int:
        return (
            self.numbers[max(bisect.bisect_right(self.starts, offset) - 1, 0)] if self.numbers else self.line
        )


def read_block(block: Block, issues: Issues) -> Raw:
    first = block.lines[0][0] if block.lines else block.comments[0][0]
    raw = Raw("", first, comments=block.comments)
    offset = 0
    parts = []
    for number, line in block.lines:
        raw.starts.append(offset)
        raw.numbers.append(number)
        parts.append(escape_placeholders(line))
        offset += len(parts[-1]) + 1
    raw.text = text = "\n".join(parts)
    if not text:
        return raw
    if text.startswith("$CATEGORY:"):
        raw.kind, raw.name = "category", restore(text[len("$CATEGORY:") :]).strip()
        return raw
    at = 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            issues.error(
                first, "题目名称 ::名称:: 没有结束的 ::", "the question name `::name::` is never closed"
            )
            return raw
        raw.name, at = restore(text[2:end]).strip(), end + 2
    opening, closing = text.find("{", at), text.find("}", at)
    if opening < 0 and closing < 0:
        raw.kind, raw.stem = "description", text[at:]
        return _format(raw)
    if closing < 0:
        issues.error(
            raw.line_at(opening),
            "答案块 { 没有结束的 }（字面的 { 请写成 \\{）",
            "the answer block `{` is never closed by `}`",
        )
        return raw
    if opening < 0 or closing < opening:
        where = raw.line_at(closing)
        issues.error(
            where,
            "有 } 却没有对应的 {（字面的 } 请写成 \\}）",
            "a `}` without its `{` (write a literal brace as `\\}`)",
        )
        return raw
    after = text[closing + 1 :]
    if "{" in after or "}" in after:
        issues.error(
            raw.line_at(closing + 1 + max(after.find("{"), after.find("}"))),
            "一道题只能有一个答案块 {…}；字面的花括号请写成 \\{ \\}",
            "a question has one answer block `{…}`; write literal braces as `\\{ \\}`",
        )
        return raw
    raw.kind, raw.gap = "question", bool(after.strip())
    raw.stem = text[at:opening] + (GAP + after if raw.gap else "")
    raw.spaced = not raw.gap and text[at:opening] != text[at:opening].rstrip()
    inside = text[opening + 1 : closing]
    split = inside.rfind("####")
    if split >= 0:
        inside, raw.general = inside[:split], inside[split + 4 :]
    raw.answer_at = opening + 1 + (len(inside) - len(inside.lstrip()))
    raw.answer = inside.strip()
    return _format(raw)


def _format(raw: Raw) -> Raw:
    m = _FORMAT.match(raw.stem)
    if m:
        raw.format, raw.stem = m.group(1).lower(), raw.stem[m.end() :]
    raw.stem = raw.stem.strip()
    return raw


def text_format(text: str, default: str) -> tuple[str, str]:
    """(format, text) of an answer or feedback, which may start with its own `[format]`."""
    m = _FORMAT.match(text)
    return (m.group(1).lower(), text[m.end() :].strip()) if m else (default, text.strip())


@dataclass
class Answer:
    marker: str  # "=", "~" or "" (text before the first marker)
    weight: float | None  # the `%50%` weight, None when not written
    text: str
    feedback: str | None
    offset: int  # in the block's text


def split_answers(
    raw: Raw, markers: str, text: str | None = None, at: int | None = None, feedback: bool = True
) -> list[Answer]:
    """The answers of a block, each starting with one of `markers`; `%w%` weights and `#feedback`."""
    text = raw.answer if text is None else text
    at = raw.answer_at if at is None else at
    cuts = [i for i, char in enumerate(text) if char in markers]
    answers = []
    if not cuts or text[: cuts[0]].strip():
        end = cuts[0] if cuts else len(text)
        answers.append(_answer("", text[:end], at, feedback))
    for index, cut in enumerate(cuts):
        end = cuts[index + 1] if index + 1 < len(cuts) else len(text)
        answers.append(_answer(text[cut], text[cut + 1 : end], at + cut, feedback))
    return [a for a in answers if a.marker or a.text or a.feedback]


def _answer(marker: str, body: str, offset: int, with_feedback: bool) -> Answer:
    body = body.strip()
    weight = None
    m = _WEIGHT.match(body)
    if m:
        weight, body = float(m.group(1)), body[m.end() :].strip()
    text, hash_, feedback = body.partition("#") if with_feedback else (body, "", "")
    return Answer(marker, weight, text.strip(), feedback.strip() if hash_ else None, offset)


def meta_comments(comments: list[tuple[int, str]]) -> tuple[list[str], str | None, list[tuple[int, str]]]:
    """([tag:…] values, the [id:…] value, `drill:` lines) from a question's comments."""
    tags, qid, drill = [], None, []
    for number, comment in comments:
        tags += [t.strip() for t in re.findall(r"\[tag:([^\]]+)\]", comment) if t.strip()]
        found = re.search(r"\[id:([^\]]+)\]", comment)
        qid = found.group(1).strip() if found else qid
        if comment.lower().startswith("drill:"):
            drill.append((number, comment[len("drill:") :].strip()))
    return tags, qid, drill
