"""The reader contract: a pack file's text → (front matter, body lines with their line numbers).

YAML is loaded with the safe loader only, after a pass over the event stream that refuses what a pack
never needs and an attacker would use: non-standard tags (`!!python/object`), aliases (the billion-laughs
bomb), deep nesting (the recursive composer would blow the stack) and sheer size. Every YAML error is
reported with its line in the file, never swallowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import yaml

from drill.content.rules.problems import Problems
from drill.messages import N_, Message

MAX_FILE_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 8
MAX_EVENTS = 20_000
_STANDARD = "tag:yaml.org,2002:"
SAFE_TAGS = {_STANDARD + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")
YAML = Message(N_("YAML"))
FRONT_MATTER = Message(N_("front matter"))


class Line(NamedTuple):
    no: int  # 1-based line number in the file
    text: str


@dataclass
class Document:
    file: str
    meta: dict = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)  # top-level key → its line in the file
    front_matter_line: int = 1
    body_start: int = 1  # the line of the closing `---` (1 when there is none)
    meta_ok: bool = False  # the front matter was found and read without error
    readable: bool = True  # False when an unclosed front matter swallowed the whole file
    body: list[Line] = field(default_factory=list)


def decode(data: bytes, problems: Problems) -> str | None:
    """UTF-8 (with or without BOM); a bad byte is reported with its line."""
    if len(data) > MAX_FILE_BYTES:
        problems.error(
            1,
            Message(
                N_(
                    "the file is %(size)d bytes; a pack file may have at most %(limit)d "
                    "(put large data in a file beside the pack and link to it)"
                ),
                size=len(data),
                limit=MAX_FILE_BYTES,
            ),
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(
            line, Message(N_("this line is not valid UTF-8; save the file as UTF-8 (not GBK/GB2312)"))
        )
        return None


def read_document(text: str, problems: Problems) -> Document:
    """Split the front matter from the body. Problems go to `problems`; the result is always usable."""
    lines = text.removeprefix("\ufeff").splitlines()
    problems.line_count = max(len(lines), 1)
    doc = Document(problems.file)
    if not lines or lines[0].strip() != "---":
        problems.error(
            1,
            Message(
                N_(
                    "a pack file begins with YAML front matter between two `---` lines, "
                    "e.g. `---` / `id: my-pack` / `title: ...` / `---`"
                )
            ),
        )
        doc.body = [Line(i + 1, t) for i, t in enumerate(lines)]
        return doc
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        problems.error(
            1, Message(N_("the front matter opened here is never closed; end it with a line `---`"))
        )
        doc.readable = False
        return doc
    doc.body = [Line(i + 1, t) for i, t in enumerate(lines[end + 1 :], start=end + 1)]
    doc.body_start = end + 1
    source = "\n".join(lines[1:end])
    before = len(problems.items)
    doc.meta, doc.meta_lines = load_yaml(source, problems, first_line=2, what=FRONT_MATTER)
    doc.meta_ok = len(problems.items) == before
    return doc


def load_yaml(
    source: str, problems: Problems, first_line: int = 1, what: Message = YAML
) -> tuple[dict, dict]:
    """Safely load a YAML mapping; returns (data, top-level key → line). `first_line` is where it starts;
    `what` names the text in the messages (“the front matter”)."""
    if len(source.encode()) > MAX_FRONT_MATTER_BYTES:
        problems.error(
            first_line,
            Message(
                N_(
                    "the %(what)s is larger than %(limit)d KiB; "
                    "keep it to a few `key: value` lines and put text in the body"
                ),
                what=what,
                limit=MAX_FRONT_MATTER_BYTES // 1024,
            ),
        )
        return {}, {}
    if not _events_are_safe(source, problems, first_line, what):
        return {}, {}
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            problems.error(
                first_line + node.start_mark.line,
                Message(
                    N_("the %(what)s must be `key: value` lines, not a single value or a list"), what=what
                ),
            )
            return {}, {}
        key_lines = _key_lines(node, problems, first_line)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        _report_yaml_error(exc, problems, first_line, what)
        return {}, {}
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:  # belt and braces
        problems.error(
            first_line,
            Message(N_("the %(what)s could not be read (%(error)s)"), what=what, error=type(exc).__name__),
        )
        return {}, {}
    finally:
        loader.dispose()
    return data, key_lines


def _events_are_safe(source: str, problems: Problems, first_line: int, what: Message) -> bool:
    depth = count = 0
    try:
        for event in yaml.parse(source, Loader=yaml.SafeLoader):
            line = first_line + event.start_mark.line
            count += 1
            if count > MAX_EVENTS:
                problems.error(
                    line, Message(N_("the %(what)s has too many values; keep it short"), what=what)
                )
                return False
            if isinstance(event, yaml.AliasEvent):
                problems.error(
                    line,
                    Message(
                        N_(
                            "YAML aliases (`*%(anchor)s`) are not allowed in the %(what)s; "
                            "write the value out in full"
                        ),
                        anchor=event.anchor,
                        what=what,
                    ),
                )
                return False
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and tag not in SAFE_TAGS:
                shown = tag.replace(_STANDARD, "!!")
                problems.error(
                    line,
                    Message(
                        N_(
                            "unsafe YAML tag `%(tag)s` refused; write a plain value "
                            "(text, number, list or `key: value`) without a `!` tag"
                        ),
                        tag=shown,
                    ),
                )
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.error(
                        line,
                        Message(
                            N_(
                                "the %(what)s is nested more than %(depth)d levels deep; "
                                "use flat `key: value` lines and simple lists"
                            ),
                            what=what,
                            depth=MAX_DEPTH,
                        ),
                    )
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        _report_yaml_error(exc, problems, first_line, what)
        return False
    return True


def _key_lines(node: yaml.MappingNode, problems: Problems, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for key_node, _value in node.value:
        key = str(key_node.value)
        line = first_line + key_node.start_mark.line
        if key in lines:
            problems.error(
                line,
                Message(
                    N_("`%(key)s` is given twice (first on line %(first)d); keep one"),
                    key=key,
                    first=lines[key],
                ),
            )
        else:
            lines[key] = line
    return lines


def _report_yaml_error(exc: yaml.YAMLError, problems: Problems, first_line: int, what: Message) -> None:
    """PyYAML's own words (English) with a hint for the two mistakes trainers make most."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    problem = getattr(exc, "problem", None) or str(exc)
    hint: Message | str = ""
    if "\t" in problem or "\\t" in problem:
        hint = Message(N_(" (indent with spaces, not tabs)"))
    elif "mapping values" in problem:
        hint = Message(N_(' (a value containing `: ` must be quoted, e.g. title: "A: B")'))
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    where: Message | str = ""
    if context and context_mark is not None and first_line + context_mark.line != line:
        where = Message(
            N_(" (%(context)s on line %(line)d)"), context=context, line=first_line + context_mark.line
        )
    problems.error(
        line,
        Message(
            N_("bad YAML in the %(what)s: %(problem)s%(hint)s%(context)s"),
            what=what,
            problem=problem,
            hint=hint,
            context=where,
        ),
    )
