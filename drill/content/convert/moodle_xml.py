"""Moodle XML (what Moodle users export their question banks in) → a drill question bank. Pure: text in,
`Conversion` out.

Each `<question>` is rewritten as the GIFT question that means the same (every text escaped, its format
kept: `html`, `moodle_auto_format`, `plain_text`, `markdown`) and the GIFT importer (gift.py) does the
rest, so both formats give the same guarantees: weights and feedback kept, text escaped into Markdown,
the pack read back and compared. Every problem is reported at the line of the XML element it concerns.

Mapping: multichoice (single or several answers, with their fractions), truefalse, shortanswer,
numerical (answers with tolerances; a unit with multiplier 1 becomes the question's unit), matching
(subquestions; an empty one is a distractor), essay (the grader information is the reference answer,
the general feedback its explanation), description (the pack's introduction), category (a tag).
`<name>` → the id, `<tags>` → tags, `<defaultgrade>` → points, `<shuffleanswers>0` → `乱序: 否`.
Other question types (cloze, calculated, drag and drop...) have no drill form: each is left out and
reported at its line; files embedded as base64 (`<file>`) are not kept (their links are reported).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

from drill.content.convert.assemble import Conversion
from drill.content.convert.draft import Issues
from drill.content.convert.gift import gift_to_pack
from drill.content.convert.gift_emit import escape
from drill.content.convert.markdown_writer import PackInfo
from drill.content.convert.values import plain
from drill.content.taxonomy import Taxonomy

FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "description"}


@dataclass
class Node:
    tag: str
    attrs: dict
    line: int
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str, default: str = "") -> str:
        """The text of `<tag><text>…</text></tag>` or of `<tag>…</tag>`."""
        node = self.find(tag)
        if node is None:
            return default
        inner = node.find("text")
        return (inner.text if inner is not None else node.text).strip()


def parse_xml(text: str) -> Node:
    """The document as a tree of nodes that know their line (ElementTree does not)."""
    parser = expat.ParserCreate()
    root = Node("#root", {}, 1)
    stack = [root]

    def start(tag: str, attrs: dict) -> None:
        node = Node(tag, attrs, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def data(chunk: str) -> None:
        stack[-1].text += chunk

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    parser.Parse(text.removeprefix("\ufeff").encode("utf-8"), True)
    return root


class _Writer:
    """GIFT lines, each remembering the XML line it stands for."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origin: dict[int, int] = {}

    def add(self, text: str, line: int) -> None:
        self.lines.append(text)
        self.origin[len(self.lines)] = line


def _text(node: Node | None, default_format: str = "moodle_auto_format") -> str:
    """`[format]escaped text` of an element holding `<text>` (and a `format` attribute)."""
    if node is None:
        return ""
    inner = node.find("text")
    body = (inner.text if inner is not None else node.text).strip()
    fmt = FORMATS.get(node.attrs.get("format", default_format), "moodle")
    return f"[{fmt}]{escape(body)}" if body else ""


def _fraction(node: Node, issues: Issues) -> float | None:
    try:
        value = Decimal(node.attrs.get("fraction", "0"))
    except InvalidOperation:
        issues.error(
            node.line,
            f"答案的 fraction「{node.attrs.get('fraction')}」不是数",
            "an answer's fraction is not a number",
        )
        return None
    return float(value)


def _percent(fraction: float) -> str:
    return f"{fraction:.5f}".rstrip("0").rstrip(".")


def _feedback(answer: Node) -> str:
    feedback = _text(answer.find("feedback"), "html")
    return f"#{feedback}" if feedback else ""


def moodle_xml_to_pack(text: str, info: PackInfo, taxonomy: Taxonomy, source_name: str = "") -> Conversion:
    issues = Issues()
    try:
        root = parse_xml(text)
    except expat.ExpatError as exc:
        issues.error(exc.lineno, f"XML 无法解析：{exc}", f"the XML cannot be read: {exc}")
        return Conversion(None, issues.items)
    quiz = root.find("quiz")
    if quiz is None:
        issues.error(1, "不是 Moodle XML 题库（缺少 <quiz>）", "not a Moodle XML question bank (no <quiz>)")
        return Conversion(None, issues.items)
    out = _Writer()
    for question in quiz.all("question"):
        _question(question, out, issues)
    result = gift_to_pack("\n".join(out.lines) + "\n", info, taxonomy, source_name)
    refused = issues.has_errors  # an XML element that could not be read: nothing is converted
    issues.items += [replace(i, line=out.origin.get(i.line, i.line)) for i in result.issues]
    if refused:
        return Conversion(None, sorted(issues.items, key=lambda i: i.line), result.questions)
    return Conversion(result.markdown, sorted(issues.items, key=lambda i: i.line), result.questions)


def _question(question: Node, out: _Writer, issues: Issues) -> None:
    qtype, line = question.attrs.get("type", ""), question.line
    if qtype == "category":
        path = question.value("category")
        if path:
            out.add("", line)
            out.add(f"$CATEGORY: {path}", line)
        return
    if qtype not in SUPPORTED:
        issues.warning(
            line,
            f"Moodle 的「{qtype}」题型在 drill 中没有对应题型，这道题未导入",
            f"Moodle's `{qtype}` question type has no drill equivalent: this question was left out",
        )
        return
    out.add("", line)
    tags = [t.value("text") for t in (question.find("tags") or Node("", {}, 0)).all("tag")]
    tags = [t for t in tags if t and "]" not in t]
    if tags:
        out.add("// " + " ".join(f"[tag:{t}]" for t in tags), line)
    drill = []
    grade = question.value("defaultgrade")
    if grade and qtype != "description":
        try:
            points = Decimal(grade)
        except InvalidOperation:
            points = Decimal(1)
        if points != 1 and points > 0:
            drill.append(f"分值: {plain(points.normalize())}")
    if question.value("shuffleanswers") in ("0", "false") and qtype in ("multichoice", "matching"):
        drill.append("乱序: 否")
    unit = _unit(question, issues) if qtype == "numerical" else ""
    if unit:
        drill.append(f"单位: {unit}")
    if drill:
        out.add("// drill: " + " | ".join(drill), line)
    name = escape(question.value("name"))
    head = f"::{name}::" if name else ""
    stem = _text(question.find("questiontext"))
    general = _text(question.find("generalfeedback"), "html")
    if qtype == "description":
        out.add(f"{head}{stem}", line)
        return
    handler = {
        "multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
        "numerical": _numerical, "matching": _matching, "essay": _essay,
    }[qtype]  # fmt: skip
    handler(question, out, issues, f"{head}{stem}", general)


def _answers_block(
    out: _Writer, first: str, answers: list[tuple[str, int]], general: str, line: int, opening: str = "{"
) -> None:
    out.add(first + opening, line)
    for text, at in answers:
        out.add(text, at)
    if general:
        out.add(f"####{general}", line)
    out.add("}", line)


def _multichoice(question: Node, out: _Writer, issues: Issues, first: str, general: str) -> None:
    single = question.value("single", "true").lower() in ("true", "1")
    answers = []
    for answer in question.all("answer"):
        fraction = _fraction(answer, issues)
        if fraction is None:
            return
        if fraction == 0:
            mark = "~"
        elif single and fraction == 100:
            mark = "="
        else:
            mark = f"~%{_percent(fraction)}%"
        answers.append((f"{mark}{_text(answer)}{_feedback(answer)}", answer.line))
    _answers_block(out, first, answers, general, question.line)


def _truefalse(question: Node, out: _Writer, issues: Issues, first: str, general: str) -> None:
    answers = {a.value("text").lower(): a for a in question.all("answer")}
    true, false = answers.get("true"), answers.get("false")
    if true is None or false is None:
        issues.error(
            question.line, "判断题要有 true 和 false 两个答案", "a true/false question needs both answers"
        )
        return
    right_is_true = (_fraction(true, issues) or 0) >= (_fraction(false, issues) or 0)
    right, wrong = (true, false) if right_is_true else (false, true)
    # GIFT: {TRUE#feedback when answered wrongly#feedback when answered rightly}
    word = "TRUE" if right_is_true else "FALSE"
    on_wrong, on_right = _feedback(wrong), _feedback(right)
    body = f"{word}{on_wrong or '#'}{on_right}" if on_right else f"{word}{on_wrong}"
    _answers_block(out, first, [(body, question.line)], general, question.line)


def _shortanswer(question: Node, out: _Writer, issues: Issues, first: str, general: str) -> None:
    if question.value("usecase") == "1":
        issues.warning(
            question.line,
            "Moodle 区分大小写的答案：drill 比较时不区分大小写",
            "Moodle compares these answers case-sensitively; drill ignores case",
        )
    answers = []
    for answer in question.all("answer"):
        fraction = _fraction(answer, issues)
        if fraction is None:
            return
        mark = "=" if fraction == 100 else f"=%{_percent(fraction)}%"
        answers.append((f"{mark}{_text(answer, 'plain_text')}{_feedback(answer)}", answer.line))
    _answers_block(out, first, answers, general, question.line)


def _numerical(question: Node, out: _Writer, issues: Issues, first: str, general: str) -> None:
    answers, other = [], []
    for answer in question.all("answer"):
        fraction = _fraction(answer, issues)
        if fraction is None:
            return
        value, tolerance = answer.value("text"), answer.value("tolerance", "0") or "0"
        if value == "*":  # any other answer: its feedback
            other.append((f"~{_feedback(answer)}", answer.line))
            continue
        mark = "=" if fraction == 100 else f"=%{_percent(fraction)}%"
        answers.append((f"{mark}{escape(value)}:{escape(tolerance)}{_feedback(answer)}", answer.line))
    _answers_block(out, first, answers + other, general, question.line, opening="{#")


def _unit(question: Node, issues: Issues) -> str:
    units = question.find("units")
    if units is None:
        return ""
    names = [(u.value("unit_name"), u.value("multiplier", "1")) for u in units.all("unit")]
    base = [name for name, multiplier in names if name and Decimal(multiplier or "1") == 1]
    if len(names) > len(base):
        issues.warning(
            units.line,
            "只保留倍数为 1 的单位，其他单位（换算）已删去",
            "only the unit with multiplier 1 is kept; the other units (conversions) are left out",
        )
    return base[0] if base else ""


def _matching(question: Node, out: _Writer, issues: Issues, first: str, general: str) -> None:
    pairs = []
    for sub in question.all("subquestion"):
        left = _text(sub)
        right = escape(sub.value("answer"))
        pairs.append((f"={left} -> {right}", sub.line))
    _answers_block(out, first, pairs, general, question.line)


def _essay(question: Node, out: _Writer, issues: Issues, first: str, general: str) -> None:
    """GIFT's essay feedback is the reference answer, a `解析:` paragraph in it the explanation."""
    reference = _text(question.find("graderinfo"), "html")
    fmt, _, body = general[1:].partition("]") if general else ("", "", "")
    if reference and body:
        ref_fmt = reference[1:].split("]", 1)[0]
        label = "<p>解析: " + body + "</p>" if ref_fmt == "html" else "\\n\\n解析: " + body
        feedback = reference + label
    elif body:
        feedback = f"[{fmt}]" + ("<p>解析: " + body + "</p>" if fmt == "html" else "解析: " + body)
    else:
        feedback = reference
    out.add(f"{first}{{{'####' + feedback if feedback else ''}}}", question.line)
