"""Text that means what it says once it lands in Markdown.

Two kinds of source text reach a pack:

- **Literal text** (GIFT `[plain]` and `[moodle]` text without HTML, Moodle XML `plain_text`): every character
  stands for itself. `literal()` escapes whatever Markdown would read as structure or markup: a backslash,
  `` ` * _ [ ] ``, `<` and `&` (as entities), and at the start of a line a heading `#`, a list marker
  (`- `, `+ `, `* `, `1. `), a quote `>` or a rule `---`.
- **Markdown cells** (the workbook's columns, which the template documents as Markdown): they stay
  Markdown, except at the start of a line, which is read literally: a cell `#5 items` or `1. 选项` is
  that text, not a heading or a list. `lead()` escapes such a start (for a stem only a heading, the one
  start that would end the question, and an option-like `- [ ]` line; lists and quotes in a stem are
  Markdown on purpose), `unlead()`
  undoes exactly that, so a cell survives XLSX → pack → XLSX unchanged, and a pack survives pack → XLSX →
  pack unchanged.
"""

from __future__ import annotations

import re

# What Markdown reads at the start of a line (after the escapes a line may already hold).
HEADING = re.compile(r"#{1,2}(?!#)")  # `#` and `##` would end a question (`###` is Markdown)
INTRO_HEADING = re.compile(r" {0,3}##(?!#)")  # before the first question only `##` starts one
# What a text cell escapes: a heading, and a line that would read as a choice option.
BLOCK_START = re.compile(r"#{1,2}(?!#)|[-*+][ \t]+[\[［【]")
INLINE_START = re.compile(r"#|[-+*](?:[ \t]|$)|>|\d{1,9}[.)](?:[ \t]|$)|(?:[-*_][ \t]*){3,}$")
_NUMBER = re.compile(r"^(\d{1,9})([.)])")
_NUMBER_ESCAPED = re.compile(r"^(\d{1,9})\\([.)])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SPECIAL = re.compile(r"[\\`*_\[\]<&|]")
_ENTITY_START = re.compile(r"^(?:~{3,}|=+[ \t]*$)")  # a fence, a setext underline: no backslash escape


def _starts(text: str, pattern: re.Pattern) -> bool:
    """The line starts with structure, behind any number of backslashes (`\\#` is `\\` then `#`)."""
    return bool(pattern.match(text.lstrip("\\")))


def lead(line: str, pattern: re.Pattern = INLINE_START) -> str:
    """Escape the start of one line of a Markdown cell when Markdown would read it as structure."""
    if not _starts(line, pattern):
        return line
    m = _NUMBER.match(line)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{line[m.end() :]}"
    return "\\" + line


def unlead(line: str, pattern: re.Pattern = INLINE_START) -> str:
    """The cell line that `lead` turned into this Markdown line."""
    m = _NUMBER_ESCAPED.match(line)
    if m:
        return f"{m.group(1)}{m.group(2)}{line[m.end() :]}"
    if line.startswith("\\") and _starts(line[1:], pattern):
        return line[1:]
    return line


def _outside_fences(text: str, change) -> str:
    """`change` applied to every line outside fenced code (where a backslash would show)."""
    out, fence = [], None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0]
            out.append(line)
        elif fence is not None:
            fence = None if m and m.group(1)[0] == fence else fence
            out.append(line)
        else:
            out.append(change(line))
    return "\n".join(out)


def lead_lines(text: str, pattern: re.Pattern = INLINE_START) -> str:
    return _outside_fences(text, lambda line: lead(line, pattern))


def unlead_lines(text: str, pattern: re.Pattern = INLINE_START) -> str:
    return _outside_fences(text, lambda line: unlead(line, pattern))


def literal(text: str) -> str:
    """Literal text as Markdown that renders as exactly this text (line by line)."""

    def one(line: str) -> str:
        line = _SPECIAL.sub(
            lambda m: {"<": "&lt;", "&": "&amp;"}.get(m.group(0), "\\" + m.group(0)), line.strip()
        )
        if _ENTITY_START.match(line):
            return f"&#{ord(line[0])};{line[1:]}"
        if line.startswith("\\"):  # its first character is escaped already: no structure can start here
            return line
        return lead(line)

    return "\n".join(one(line) for line in text.split("\n"))


def escape_headings(markdown: str, intro: bool = False) -> str:
    """Markdown from a source (GIFT `[markdown]`, converted HTML, an introduction): a `#` or `##` line
    would end a question in a pack, so it is escaped (`\\# …`) and its text stays. In the introduction,
    before the first question, only a `##` line would (a `#` title is Markdown there). Idempotent."""
    pattern = INTRO_HEADING if intro else HEADING
    return _outside_fences(markdown, lambda line: "\\" + line if pattern.match(line) else line)


def cell_block(cell: str) -> str:
    """A workbook cell holding a text (题干, 解析, 参考答案) → Markdown: a line that would start a heading
    or a choice option is literal; lists, tables and quotes are Markdown."""
    return lead_lines(cell, BLOCK_START)


def block_cell(markdown: str) -> str:
    return unlead_lines(markdown, BLOCK_START)


def cell_inline(cell: str) -> str:
    """A workbook cell holding an option, item or pair side → Markdown: every structure start is literal."""
    return lead_lines(cell)


def inline_cell(markdown: str) -> str:
    return unlead_lines(markdown)
