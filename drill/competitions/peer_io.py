"""A round's peer scores as JSON in and out: what `drill peer-scores` reads and writes, and what the app
builds from a round (`scoring.round_input`), so both run the very same `score`.

Input (totals):

    {"max_score": 100,
     "examples": [{"id": "x0", "expert": 35}],
     "calibration": [{"reviewer": "r0", "example": "x0", "score": 37.5}],
     "reviews": [{"reviewer": "r1", "entry": "e0", "score": 71}]}

Optional: "criteria": [{"id": "idea", "max_score": 60}, …] to score criterion by criterion (then
"expert" and "scores" are objects {criterion id: points} instead of "expert" and "score" numbers);
"entries" and "reviewers" (lists of ids: records naming others are refused; entries without reviews are
listed in the output); "judge_budget" (percent of the entries, default 10); "min_reviews" (default 2).

Output:

    {"entries": [{"entry": "e0", "score": 70.12, "needs_judge": false, "why": "...", "uncertainty": 3.1}],
     "reviewers": [{"reviewer": "r1", "bias": -1.8, "reliability": 0.93}]}
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from drill.competitions.rules.peer_model import (
    Criterion,
    Mark,
    PeerInputError,
    Result,
    Round,
    check,
    estimate,
)


def _id(record: Mapping, key: str, where: str, problems: list[str]) -> str:
    value = record.get(key) if isinstance(record, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        problems.append(f"{where}: no {key!r} (a text or a number)")
        return ""
    return str(value)


def _number(value, where: str, problems: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{where}: {value!r} is not a number")
        return 0.0
    return float(value)


def _scores(record, single: str, criteria: list[Criterion] | None, where: str, problems) -> tuple[float, ...]:
    if criteria is None:
        return (_number(record.get(single) if isinstance(record, Mapping) else None, where, problems),)
    given = record.get("scores" if single == "score" else single) if isinstance(record, Mapping) else None
    if not isinstance(given, Mapping):
        problems.append(f"{where}: no scores by criterion")
        return tuple(0.0 for _ in criteria)
    extra = sorted(set(given) - {c.id for c in criteria})
    if extra:
        problems.append(f"{where}: unknown criteria {', '.join(extra)}")
    out = []
    for c in criteria:
        if c.id not in given:
            problems.append(f"{where}: no score for {c.id}")
        out.append(_number(given.get(c.id, 0), where, problems))
    return tuple(out)


def parse(data) -> tuple[Round, list[str] | None]:
    """The round and its listed reviewers (None: whoever appears); PeerInputError names every bad record."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise PeerInputError("the input is not a JSON object")
    top = _number(data.get("max_score"), "max_score", problems)
    if top <= 0:
        problems.append("max_score: must be above 0")
    criteria = None
    if data.get("criteria") is not None:
        criteria = []
        for i, c in enumerate(data["criteria"] if isinstance(data["criteria"], list) else [None]):
            where = f"criteria[{i}]"
            cid = _id(c, "id", where, problems)
            mark = _number(c.get("max_score") if isinstance(c, Mapping) else None, where, problems)
            if any(x.id == cid for x in criteria):
                problems.append(f"{where}: criterion {cid} given twice")
            criteria.append(Criterion(cid, mark))
        if not problems and abs(sum(c.max_score for c in criteria) - top) > 1e-9:
            problems.append(
                f"criteria: their max_score add up to {sum(c.max_score for c in criteria):g}, not {top:g}"
            )
    lists = {}
    for key in ("examples", "calibration", "reviews"):
        value = data.get(key, [])
        if not isinstance(value, list):
            problems.append(f"{key}: not a list")
            value = []
        lists[key] = value
    examples = {}
    for i, x in enumerate(lists["examples"]):
        where = f"examples[{i}]"
        xid = _id(x, "id", where, problems)
        if xid in examples:
            problems.append(f"{where}: example {xid} given twice")
        examples[xid] = _scores(x, "expert", criteria, where, problems)
    marks = {}
    for key, target in (("calibration", "example"), ("reviews", "entry")):
        found = []
        for i, m in enumerate(lists[key]):
            where = f"{key}[{i}]"
            found.append(
                Mark(
                    _id(m, "reviewer", where, problems),
                    _id(m, target, where, problems),
                    _scores(m, "score", criteria, where, problems),
                )
            )
        marks[key] = tuple(found)
    listed = {}
    for key in ("entries", "reviewers"):
        value = data.get(key)
        if value is not None and (not isinstance(value, list) or len(set(map(str, value))) != len(value)):
            problems.append(f"{key}: not a list of distinct ids")
            value = None
        listed[key] = None if value is None else [str(v) for v in value]
    budget = _number(data.get("judge_budget", 10), "judge_budget", problems)
    if not 0 <= budget <= 100:
        problems.append(f"judge_budget: {budget:g} is outside 0–100")
    least = data.get("min_reviews", 2)
    if isinstance(least, bool) or not isinstance(least, int) or least < 1:
        problems.append("min_reviews: must be a whole number from 1")
        least = 2
    if problems:
        raise PeerInputError("\n".join(problems))
    round_ = Round(
        criteria=tuple(criteria) if criteria is not None else (Criterion("total", top),),
        examples=examples,
        calibration=marks["calibration"],
        reviews=marks["reviews"],
        entries=tuple(listed["entries"] or ()),
        judge_budget=budget,
        min_reviews=least,
    )
    check(round_, listed["reviewers"])
    return round_, listed["reviewers"]


def score(data) -> Result:
    """Check the input and score the round: the one function the app and `drill peer-scores` call."""
    round_, _reviewers = parse(data)
    return estimate(round_)


def output(result: Result) -> dict:
    return {
        "entries": [
            {
                "entry": e.entry,
                "score": None if e.score is None else float(e.score),
                "needs_judge": e.needs_judge,
                "why": str(e.why),
                "uncertainty": None if math.isinf(e.uncertainty) else round(e.uncertainty, 2),
            }
            for e in result.entries.values()
        ],
        "reviewers": [
            {"reviewer": r.reviewer, "bias": float(r.shown_bias), "reliability": round(r.reliability, 2)}
            for r in result.reviewers.values()
        ],
    }
