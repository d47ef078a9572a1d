"""Level rules (`content/appraisal/level-rules.yaml`, `kind: level-rules`) and the proposals they make. Pure.

The file: `grades` (the schemes' band keys, highest first) and `rules`, each for some `categories` with
their `ladder` of levels (lowest first), `up` steps and a `down` rule:

- up one level to `to` when the manager's last `consecutive` records of the `period` kind follow each other
  without a gap, are all graded `grade_at_least` or better and none is vetoed; optionally the latest annual
  grade is `annual_at_least` or better; and, with `certificate: true`, the manager holds a certificate for
  the target level (of their category, or of none) valid on the day of the proposal;
- down one level after an annual grade of `annual_grade_at_most` or worse, or (`veto: true`) any veto.

Only periods that began on or after the day the current level took effect count, so one run of good
quarters or one veto moves a manager once; a period that has not begun by `today` never counts. Down is
looked at before up. A proposal is only a proposal: an admin approves it with an effective date. An admin
may also propose a change by hand, with a reason (level_review.propose_by_hand); it is approved the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from drill.appraisal.rules.records import Period
from drill.appraisal.rules.scheme import PERIOD_KINDS
from drill.appraisal.yamldoc import Fields
from drill.content.rules.problems import did_you_mean
from drill.messages import N_, Message

KIND = "level-rules"
# The stored keys of drill.accounts.roles (kept in step by a test; that module imports Flask-Babel).
CATEGORIES = ("personal", "corporate", "comprehensive", "tobacco")
LEVELS = ("junior", "intermediate", "senior")


@dataclass(frozen=True)
class Step:
    to: str
    period: str
    consecutive: int
    grade_at_least: str
    certificate: bool = True
    annual_at_least: str | None = None


@dataclass(frozen=True)
class CategoryRules:
    category: str
    ladder: tuple[str, ...]  # lowest first
    up: tuple[Step, ...]
    down_annual_at_most: str | None = None
    down_on_veto: bool = False


@dataclass(frozen=True)
class LevelRules:
    id: str
    version: int
    grades: tuple[str, ...]  # highest first
    categories: dict[str, CategoryRules]
    file: str = ""
    grades_line: int = 1

    def at_least(self, band: str, grade: str) -> bool:
        return band in self.grades and self.grades.index(band) <= self.grades.index(grade)


@dataclass(frozen=True)
class Graded:
    """One computed (published) record of the manager: its period, grade and whether a veto hit it."""

    period: Period
    band: str
    vetoed: bool = False


@dataclass(frozen=True)
class Held:
    """A certificate the manager holds (drill.exams Certificate: level, category, issued_on, valid_until)."""

    level: str
    category: str | None
    issued_on: date
    valid_until: date
    number: str = ""


@dataclass(frozen=True)
class Proposal:
    category: str
    from_level: str
    to_level: str
    direction: str  # up / down
    reasons: tuple[Message, ...]
    periods: tuple[str, ...]  # the labels of the periods it rests on
    certificate: str | None
    proposed_on: date

    @property
    def reason(self) -> str:
        return "; ".join(map(str, self.reasons))


def propose(
    rules: LevelRules,
    history: list[Graded],
    certificates: list[Held],
    current_level: str,
    category: str,
    today: date,
    since: date | None = None,
) -> Proposal | None:
    """The level change the rules propose for a manager today, or None. `today` is the local day (the
    caller turns an instant into it with drill.i18n.local_day: a UTC instant's `.date()` is a day early
    before 08:00 in Beijing). `since`: when the current level took effect (periods that began earlier do
    not count)."""
    return assess(rules, history, certificates, current_level, category, today, since)[0]


def assess(
    rules: LevelRules,
    history: list[Graded],
    certificates: list[Held],
    current_level: str,
    category: str,
    today: date,
    since: date | None = None,
) -> tuple[Proposal | None, list[Message]]:
    """`propose`, with why not when there is no proposal: the first condition of the up step that fails
    (and, below the top, that no down rule applies)."""
    if isinstance(today, datetime):
        raise TypeError("propose takes the local day, not an instant")
    rule = rules.categories.get(category)
    if rule is None:
        return None, [Message(N_("no level rule covers the category %(category)s"), category=category)]
    if current_level not in rule.ladder:
        return None, [
            Message(N_("the level %(level)s is not on this category's ladder"), level=current_level)
        ]
    index = rule.ladder.index(current_level)
    recent = sorted(
        (g for g in history if (since is None or g.period.start >= since) and g.period.start <= today),
        key=lambda g: g.period.end,
    )

    def move(to: str, direction: str, reasons: list[Message], periods: list[Graded], cert=None):
        labels = tuple(g.period.label for g in periods)
        return Proposal(category, current_level, to, direction, tuple(reasons), labels, cert, today), []

    if index > 0:
        vetoed = [g for g in recent if g.vetoed]
        if rule.down_on_veto and vetoed:
            reason = Message(N_("vetoed in %(period)s"), period=vetoed[-1].period.label)
            return move(rule.ladder[index - 1], "down", [reason], vetoed[-1:])
        annual = [g for g in recent if g.period.kind == "annual"]
        worst = rule.down_annual_at_most
        if worst and annual and rules.at_least(worst, annual[-1].band):
            reason = Message(
                N_("annual grade %(grade)s in %(period)s (down at %(worst)s or below)"),
                grade=annual[-1].band,
                period=annual[-1].period.label,
                worst=worst,
            )
            return move(rule.ladder[index - 1], "down", [reason], annual[-1:])
    if index == len(rule.ladder) - 1:
        return None, [
            Message(N_("already at the top level %(level)s, and no rule moves it down"), level=current_level)
        ]
    target = rule.ladder[index + 1]
    step = next((s for s in rule.up if s.to == target), None)
    if step is None:
        return None, [Message(N_("no rule moves up to %(level)s"), level=target)]
    run = [g for g in recent if g.period.kind == step.period][-step.consecutive :]
    if len(run) < step.consecutive:
        return None, [
            Message(
                N_("%(have)d of the %(count)d %(kind)s periods %(level)s needs since the level took effect"),
                have=len(run),
                count=step.consecutive,
                kind=step.period,
                level=target,
            )
        ]
    if any(b.period.start != a.period.end + timedelta(days=1) for a, b in pairwise(run)):
        shown = ", ".join(g.period.label for g in run)
        return None, [
            Message(
                N_("the %(kind)s periods %(periods)s do not follow each other"),
                kind=step.period,
                periods=shown,
            )
        ]
    short = [g for g in run if g.vetoed or not rules.at_least(g.band, step.grade_at_least)]
    if short:
        return None, [
            Message(
                N_("%(period)s graded %(grade)s: %(level)s needs %(need)s or better with no veto"),
                period=short[-1].period.label,
                grade=short[-1].band,
                level=target,
                need=step.grade_at_least,
            )
        ]
    reasons = [
        Message(
            N_("graded %(grade)s or better in %(count)d consecutive %(kind)s periods (%(periods)s)"),
            grade=step.grade_at_least,
            count=step.consecutive,
            kind=step.period,
            periods=", ".join(g.period.label for g in run),
        )
    ]
    if step.annual_at_least:
        annual = sorted(
            (g for g in history if g.period.kind == "annual" and g.period.start <= today),
            key=lambda g: g.period.end,
        )
        if not annual or annual[-1].vetoed or not rules.at_least(annual[-1].band, step.annual_at_least):
            return None, [
                Message(
                    N_("%(level)s needs an annual grade of %(need)s or better"),
                    level=target,
                    need=step.annual_at_least,
                )
            ]
        reasons.append(
            Message(
                N_("annual grade %(grade)s in %(period)s"),
                grade=annual[-1].band,
                period=annual[-1].period.label,
            )
        )
    held = None
    if step.certificate:
        valid = [
            c
            for c in certificates
            if c.level == target and c.category in (None, category) and c.issued_on <= today <= c.valid_until
        ]
        if not valid:
            return None, [Message(N_("no valid certificate for %(level)s"), level=target)]
        held = max(valid, key=lambda c: c.valid_until)
        reasons.append(
            Message(
                N_("holds certificate %(number)s for %(level)s, valid until %(until)s"),
                number=held.number,
                level=target,
                until=held.valid_until.isoformat(),
            )
        )
    return move(target, "up", reasons, run, held.number if held else None)


def parse_level_rules(fields: Fields) -> LevelRules | None:
    """Check a loaded level-rules file; None when anything is wrong (the problems are in `fields`)."""
    data, before = fields.data, len(fields.problems.items)
    fields.only(data, (), ("kind", "id", "title", "version", "grades", "rules"))
    rules_id, version = fields.slug(data, ()), fields.number(data, (), "version", minimum=1)
    grades = data.get("grades")
    if not (
        isinstance(grades, list)
        and len(grades) >= 2
        and all(isinstance(g, str) for g in grades)
        and len(set(grades)) == len(grades)
    ):
        fields.error(
            ("grades",),
            Message(
                N_(
                    "`grades` lists the schemes' band keys from the highest down, each once, "
                    "e.g. `grades: [excellent, good, pass, fail]`"
                )
            ),
        )
        grades = []
    categories: dict[str, CategoryRules] = {}
    example = "`- {categories: [personal], ladder: [junior, intermediate, senior], up: [...], down: {...}}`"
    for index, entry in enumerate(fields.items(data.get("rules"), ("rules",), example)):
        at = ("rules", index)
        if fields.mapping(entry, at, example) is None:
            continue
        fields.only(entry, at, ("categories", "ladder", "up", "down", "note"))
        names = _names(fields, entry, at, "categories", CATEGORIES, Message(N_("category")))
        ladder = _names(fields, entry, at, "ladder", LEVELS, Message(N_("level")))
        steps = _steps(fields, entry.get("up"), (*at, "up"), ladder, tuple(grades))
        down = fields.mapping(
            entry.get("down", {}), (*at, "down"), "`down: {annual_grade_at_most: fail, veto: true}`"
        )
        fields.only(down or {}, (*at, "down"), ("annual_grade_at_most", "veto"))
        worst = _grade(
            fields, down or {}, (*at, "down"), "annual_grade_at_most", tuple(grades), required=False
        )
        veto = (down or {}).get("veto", False)
        if not isinstance(veto, bool):
            fields.error((*at, "down", "veto"), Message(N_("`veto` is `true` or `false`")))
        for name in names:
            if name in categories:
                fields.error(
                    (*at, "categories"),
                    Message(N_("category `%(name)s` already has rules above; give it one set"), name=name),
                )
            categories[name] = CategoryRules(name, tuple(ladder), steps, worst, veto is True)
    if len(fields.problems.items) > before or rules_id is None or version is None:
        return None
    return LevelRules(
        rules_id, int(version), tuple(grades), categories, fields.problems.file, fields.line(("grades",))
    )


def _names(
    fields: Fields, entry: dict, at: tuple, key: str, known: tuple[str, ...], what: Message
) -> list[str]:
    value = entry.get(key)
    if not isinstance(value, list) or not value:
        fields.error(
            (*at, key),
            Message(
                N_("`%(key)s` is a list, e.g. `%(key)s: [%(examples)s]`"),
                key=key,
                examples=", ".join(known[:2]),
            ),
        )
        return []
    names = []
    for position, name in enumerate(value):
        if name not in known:
            hint = did_you_mean(str(name), known) or Message(N_(" Known: %(known)s."), known=", ".join(known))
            fields.error(
                (*at, key, position),
                Message(N_("unknown %(what)s `%(name)s`.%(hint)s"), what=what, name=name, hint=hint),
            )
        elif name in names:
            fields.error(
                (*at, key, position), Message(N_("%(what)s `%(name)s` is listed twice"), what=what, name=name)
            )
        else:
            names.append(name)
    return names


def _grade(
    fields: Fields, entry: dict, at: tuple, key: str, grades: tuple, required: bool = True
) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if grades and value not in grades:
        listed = ", ".join(grades)
        fields.error(
            (*at, key),
            Message(
                N_("`%(key)s: %(value)s` is not one of the grades (%(grades)s)"),
                key=key,
                value=value,
                grades=listed,
            )
            if value is not None
            else Message(N_("`%(key)s:` is needed, one of the grades (%(grades)s)"), key=key, grades=listed),
        )
        return None
    return value


def _steps(fields: Fields, value: object, path: tuple, ladder: list[str], grades: tuple) -> tuple[Step, ...]:
    example = (
        "`- {to: intermediate, period: quarterly, consecutive: 4, grade_at_least: good, certificate: true}`"
    )
    steps: list[Step] = []
    for index, entry in enumerate(fields.items(value, path, example, required=False)):
        at = (*path, index)
        if fields.mapping(entry, at, example) is None:
            continue
        fields.only(
            entry, at, ("to", "period", "consecutive", "grade_at_least", "annual_at_least", "certificate")
        )
        to = fields.text(entry, at, "to")
        if to is not None and ladder and to not in ladder[1:]:
            fields.error(
                (*at, "to"),
                Message(
                    N_("unknown level `%(to)s` to move up to: one of %(levels)s.%(hint)s"),
                    to=to,
                    levels=", ".join(ladder[1:]),
                    hint=did_you_mean(to, ladder),
                ),
            )
            to = None
        elif to is not None and any(s.to == to for s in steps):
            fields.error((*at, "to"), Message(N_("there is already a step up to `%(to)s`"), to=to))
            to = None
        period = fields.choice(entry, at, "period", PERIOD_KINDS)
        count = fields.number(entry, at, "consecutive", minimum=1, maximum=24)
        if count is not None and count != int(count):
            fields.error((*at, "consecutive"), Message(N_("`consecutive` is a whole number of periods")))
        grade = _grade(fields, entry, at, "grade_at_least", grades)
        annual = _grade(fields, entry, at, "annual_at_least", grades, required=False)
        certificate = entry.get("certificate", True)
        if not isinstance(certificate, bool):
            fields.error((*at, "certificate"), Message(N_("`certificate` is `true` or `false`")))
        if None not in (to, period, count, grade) and isinstance(certificate, bool):
            steps.append(Step(to, period, int(count), grade, certificate, annual))
    return tuple(steps)
