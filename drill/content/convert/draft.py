"""What every converter shares: a question on its way into (or out of) a pack, the problems found on the
way, and the comparable form of a question used to prove that a conversion kept it.

A `Draft` holds one question in plain data: the type's fields are texts (options, items, pairs), never
the hashed ids the parser adds. `from_parsed` turns a parsed question into a draft (for the exporters);
`essence` is what two questions must share to count as the same question (for the round trips and for
the check every importer runs on its own output).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from drill.content.rules.questions.base import ParsedQuestion

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Issue:
    """A problem with its place: a GIFT line or a worksheet row (0: the whole file or the front matter),
    and for a worksheet the column's header. Messages are Chinese first, then English."""

    line: int
    zh: str
    en: str
    severity: str = ERROR
    column: str | None = None

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"

    def located(self) -> str:
        """The message with its place, for a reader who does not see the file name."""
        if self.column and self.line:
            where_zh, where_en = (
                f"第 {self.line} 行 {self.column} 列",
                f"row {self.line}, column {self.column}",
            )
        elif self.line:
            where_zh, where_en = f"第 {self.line} 行", f"line {self.line}"
        else:
            return self.message
        return f"{where_zh}：{self.zh} / {where_en}: {self.en}"


@dataclass
class Issues:
    items: list[Issue] = field(default_factory=list)

    def error(self, line: int, zh: str, en: str, column: str | None = None) -> None:
        self.items.append(Issue(line, zh, en, ERROR, column))

    def warning(self, line: int, zh: str, en: str, column: str | None = None) -> None:
        self.items.append(Issue(line, zh, en, WARNING, column))

    @property
    def has_errors(self) -> bool:
        return any(i.severity == ERROR for i in self.items)


@dataclass
class Draft:
    """One question in plain data. `fields` by type:

    single/multiple: options [{"text", "correct", "weight" (a percentage, only when weighted)}], shuffle
    (bool); multiple also scoring (`weighted` when its options carry weights)
    truefalse: answer (bool) · blank: scoring (the blanks are `{{…}}` in the stem)
    numeric: answer, tolerance (decimal strings), relative (bool), unit
    ordering: items [text] in the right order, scoring
    matching: pairs [(left, right)], distractors [right], scoring, shuffle
    open: reference, rubric (dict or None), rubric_id (str or None)
    """

    id: str
    type: str
    stem: str
    source: int = 0  # the GIFT line or worksheet row it came from
    points: float = 1.0
    difficulty: int = 3
    level: str | None = None
    competencies: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    explanation: str = ""
    fields: dict = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # meta keys the converters do not model, as written


# Meta-line keys a draft models in its own fields; any other key (a new one too) travels in `extra`.
MODELLED = {
    "type", "points", "difficulty", "competencies", "tags", "level", "scoring", "shuffle", "tolerance",
    "unit", "rubric",
}  # fmt: skip


DEFAULT_SCORING = {"multiple": "partial", "blank": "partial", "ordering": "position", "matching": "partial"}


def from_parsed(question: ParsedQuestion) -> Draft:
    """A parsed question as a draft (what the exporters write out)."""
    spec = question.spec
    fields: dict = {}
    if question.type in ("single", "multiple"):
        fields["options"] = [
            {"text": o["text"], "correct": o["correct"], **({"weight": o["weight"]} if "weight" in o else {})}
            for o in spec["options"]
        ]
        fields["shuffle"] = spec.get("shuffle", True)
    elif question.type == "truefalse":
        fields["answer"] = spec["answer"]
    elif question.type == "numeric":
        fields.update({k: spec[k] for k in ("answer", "tolerance", "relative", "unit")})
    elif question.type == "ordering":
        fields["items"] = [i["text"] for i in spec["items"]]
    elif question.type == "matching":
        rights = {r["id"]: r["text"] for r in spec["rights"]}
        used = {p["right"] for p in spec["pairs"]}
        fields["pairs"] = [(p["text"], rights[p["right"]]) for p in spec["pairs"]]
        fields["distractors"] = [r["text"] for r in spec["rights"] if r["id"] not in used]
        fields["shuffle"] = spec.get("shuffle", True)
    elif question.type == "open":
        fields.update(reference=spec.get("reference", ""), rubric=spec.get("rubric"))
        fields["rubric_id"] = spec.get("rubric_id")
    if "scoring" in spec:
        fields["scoring"] = spec["scoring"]
    return Draft(
        id=question.id,
        type=question.type,
        stem=spec["stem"],
        source=question.line,
        points=question.points,
        difficulty=question.difficulty,
        level=question.level,
        competencies=list(question.competencies),
        tags=list(question.tags),
        explanation=spec.get("explanation", ""),
        fields=fields,
        extra={k: v for k, v in getattr(question, "meta", {}).items() if k not in MODELLED},
    )


def essence(draft: Draft, default_level: str | None = None) -> dict:
    """What makes two questions the same question: everything a manager sees or is scored by."""
    f = draft.fields
    out: dict = {
        "id": draft.id,
        "type": draft.type,
        "points": round(float(draft.points), 2),
        "difficulty": draft.difficulty,
        "level": draft.level or default_level,
        "competencies": list(draft.competencies),
        "tags": list(draft.tags),
        "stem": draft.stem,
        "explanation": draft.explanation,
        "extra": dict(draft.extra),
    }
    if draft.type in DEFAULT_SCORING:
        out["scoring"] = f.get("scoring", DEFAULT_SCORING[draft.type])
    if draft.type in ("single", "multiple"):
        out["options"] = [(o["text"], bool(o["correct"]), o.get("weight")) for o in f["options"]]
    if draft.type in ("single", "multiple", "matching"):
        out["shuffle"] = f.get("shuffle", True)
    if draft.type == "truefalse":
        out["answer"] = bool(f["answer"])
    elif draft.type == "numeric":
        out["answer"], out["tolerance"] = Decimal(f["answer"]), Decimal(f.get("tolerance", "0"))
        out["relative"], out["unit"] = bool(f.get("relative")), f.get("unit", "")
    elif draft.type == "ordering":
        out["items"] = list(f["items"])
    elif draft.type == "matching":
        out["pairs"] = [tuple(p) for p in f["pairs"]]
        out["distractors"] = sorted(f.get("distractors", []))
    elif draft.type == "open":
        out["reference"], out["rubric_id"] = f.get("reference", ""), f.get("rubric_id")
        rubric = f.get("rubric")
        out["rubric"] = rubric and (
            list(rubric["levels"]),
            [(c["id"], c["name"], c["weight"], list(c["descriptors"])) for c in rubric["criteria"]],
        )
    return out


def differences(one: dict, other: dict) -> list[str]:
    """The keys on which two essences differ."""
    return sorted(k for k in one.keys() | other.keys() if one.get(k) != other.get(k))
