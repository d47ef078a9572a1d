"""Assessment points (考点): the knowledge and skill points a manager must show, per theme, audience and
level, in `content/standards/<theme>.yaml`; questions name the points they test with `考点:` in their
meta line. The check joins the two: a question that names an unknown point is an error; a point no
question tests, and a question of a mapped theme that names no point, are warnings (errors under
`--strict`). Plain data in, problems out: no database, no Flask.

    theme: brand-cultivation
    points:
      - id: bc-t1-01
        audience: tobacco        # bank | tobacco | both
        level: junior            # junior | intermediate | senior
        kind: knowledge          # knowledge 知识点 | skill 能力点
        title: 品牌生命周期各阶段的特征与判断
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from drill.content.rules.problems import WARNING, Problem, Problems
from drill.content.rules.reader import decode, load_yaml
from drill.content.rules.schema import AUDIENCES, LEVELS, SLUG_RE, resolve_choice
from drill.content.taxonomy import Taxonomy
from drill.messages import N_, Message

FOLDER = "standards"
KINDS = {"knowledge": ("knowledge", "知识点"), "skill": ("skill", "能力点")}
_FIELDS = ("id", "audience", "level", "kind", "title")


@dataclass(frozen=True)
class Point:
    id: str
    theme: str
    audience: str
    level: str
    kind: str
    title: str
    file: str
    line: int


@dataclass
class Standards:
    points: dict[str, Point] = field(default_factory=dict)
    themes: set[str] = field(default_factory=set)  # themes that have a standards file

    def __bool__(self) -> bool:
        return bool(self.points)


def load_standards(root: Path | None, taxonomy: Taxonomy | None, shown) -> tuple[Standards, list[Problem]]:
    """Every `<root>/standards/*.yaml`; `shown(path)` is how a report names a file."""
    standards, problems = Standards(), []
    folder = root / FOLDER if root is not None else None
    if folder is None or not folder.is_dir():
        return standards, problems
    for path in sorted(folder.glob("*.y*ml")):
        collector = Problems(shown(path))
        text = decode(path.read_bytes(), collector)
        if text is not None:
            collector.line_count = text.count("\n") + 1
            _read(text, collector, taxonomy, standards)
        problems += collector.items
    return standards, problems


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[dict, dict, list[int], tuple[Problem, ...]]:
    """A standards file's YAML, its key lines, its points' lines and the YAML problems (file left blank).
    Parsing is most of the time of checking one draft (the editor checks as the author types, each time in
    a fresh folder), and the same text always parses the same: it is parsed once per text."""
    found = Problems("")
    found.line_count = text.count("\n") + 1
    data, lines = load_yaml(text, found)
    return data, lines, _item_lines(text) if data else [], tuple(found.items)


def _read(text: str, problems: Problems, taxonomy: Taxonomy | None, standards: Standards) -> None:
    data, lines, item_lines, found = _parsed(text)
    data = copy.deepcopy(data)
    problems.items.extend(replace(problem, file=problems.file) for problem in found)
    if not data:
        if not problems.has_errors:
            problems.error(1, Message(N_("a standards file needs `theme:` and a list of `points:`")))
        return
    theme = taxonomy.themes.resolve(data.get("theme")) if taxonomy else data.get("theme")
    if not theme:
        problems.error(
            lines.get("theme", 1),
            Message(
                N_("unknown theme `%(value)s`; use a theme key from taxonomy.yaml"), value=data.get("theme")
            ),
        )
        return
    standards.themes.add(theme)
    items = data.get("points")
    if not isinstance(items, list) or not items:
        problems.error(lines.get("points", 1), Message(N_("`points:` must be a list of points")))
        return
    for item, line in zip(items, item_lines, strict=False):
        point = _point(item, line, theme, problems)
        if point is None:
            continue
        if point.id in standards.points:
            other = standards.points[point.id]
            problems.error(
                line,
                Message(
                    N_("point id `%(id)s` is also used in %(file)s:%(line)s; every point needs its own id"),
                    id=point.id,
                    file=other.file,
                    line=other.line,
                ),
            )
            continue
        standards.points[point.id] = point


def _item_lines(text: str) -> list[int]:
    """The line of each entry under `points:` (1-based)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value == "points" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _point(item: object, line: int, theme: str, problems: Problems) -> Point | None:
    if not isinstance(item, dict):
        problems.error(line, Message(N_("a point is `id`, `audience`, `level`, `kind` and `title` lines")))
        return None
    missing = [name for name in _FIELDS if not str(item.get(name) or "").strip()]
    if missing:
        problems.error(
            line,
            Message(
                N_("this point has no %(fields)s; every point needs all five"), fields=", ".join(missing)
            ),
        )
        return None
    pid = str(item["id"]).strip()
    audience = resolve_choice(AUDIENCES, item["audience"])
    level = resolve_choice(LEVELS, item["level"])
    kind = resolve_choice(KINDS, item["kind"])
    wrong = [
        (name, value, choices)
        for name, value, choices, found in (
            ("audience", item["audience"], "bank | tobacco | both", audience),
            ("level", item["level"], "junior | intermediate | senior", level),
            ("kind", item["kind"], "knowledge (知识点) | skill (能力点)", kind),
        )
        if found is None
    ]
    if not SLUG_RE.match(pid):
        problems.error(
            line, Message(N_("`%(id)s` is not a valid point id: lowercase letters, digits and '-'"), id=pid)
        )
        return None
    for name, value, choices in wrong:
        problems.error(
            line,
            Message(
                N_("unknown %(what)s `%(value)s`; write one of %(choices)s"),
                what=name,
                value=value,
                choices=choices,
            ),
        )
    if wrong:
        return None
    return Point(pid, theme, audience, level, kind, str(item["title"]).strip(), problems.file, line)


def cross_check(packs, standards: Standards, mapped: set[str] | None = None) -> None:
    """Report, in each pack's own problems, questions naming unknown points and (for the themes in
    `mapped`: those with a standards file, when the library is checked whole) questions naming none."""
    mapped = standards.themes if mapped is None else mapped
    for pack in packs:
        theme = pack.meta.get("theme")
        for question in pack.questions:
            named = question.spec.get("standards") or []
            for pid in named:
                if pid not in standards.points:
                    pack.problems.error(
                        question.line,
                        Message(
                            N_("question `%(qid)s`: unknown assessment point `%(id)s` (content/standards/)"),
                            qid=question.id,
                            id=pid,
                        ),
                    )
            if not named and pack.kind == "quiz" and theme in mapped:
                pack.problems.warning(
                    question.line,
                    Message(
                        N_("question `%(qid)s`: names no assessment point; add e.g. `考点: %(example)s`"),
                        qid=question.id,
                        example=next((p.id for p in standards.points.values() if p.theme == theme), "id"),
                    ),
                )


def uncovered(packs, standards: Standards) -> list[Problem]:
    """A warning at each point that no question names."""
    named = Counter(pid for pack in packs for q in pack.questions for pid in q.spec.get("standards") or [])
    return [
        Problem(
            point.file,
            point.line,
            Message(N_("assessment point `%(id)s` has no question"), id=point.id),
            WARNING,
        )
        for point in standards.points.values()
        if not named[point.id]
    ]


def coverage(packs, standards: Standards) -> dict:
    """What `drill check --format json` reports about the library as a whole: items (quiz questions and
    case tasks), quiz questions by theme and audience, how many name an assessment point, and the points
    no question tests."""
    by_theme: dict[str, Counter] = {}
    items = mapped = 0
    named: Counter = Counter()
    for pack in packs:
        if pack.kind not in ("quiz", "case"):
            continue
        items += len(pack.questions)
        for question in pack.questions:
            points = question.spec.get("standards") or []
            mapped += bool(points)
            named.update(points)
        if pack.kind == "quiz":
            theme = pack.meta.get("theme") or "-"
            by_theme.setdefault(theme, Counter())[pack.meta.get("audience") or "both"] += len(pack.questions)
    totals: Counter = sum(by_theme.values(), Counter())
    return {
        "items": items,
        "quiz_questions": sum(totals.values()),
        "bank_only": totals["bank"],
        "tobacco_only": totals["tobacco"],
        "both": totals["both"],
        "by_theme": {theme: dict(counts) for theme, counts in sorted(by_theme.items())},
        "mapped_items": mapped,
        "points": len(standards.points),
        "uncovered_points": sorted(pid for pid in standards.points if not named[pid]),
    }
