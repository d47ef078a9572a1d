"""The blueprint table shared by the exam form and the written-round form: one row (`CellForm`) per cell of
part × questions × points each × theme × competency × type × difficulty × level × audience, rendered by the
macro in `templates/_blueprint.html`. An empty row (no count) is ignored.

On the exam form a row may instead ask for one question per assessment point (考点) of its theme, level and
audience (`cover` = "points"): its count is then the number of those points, filled in when the row is
checked, and `check_points` refuses the blueprint, row by row, while a point has no question to draw.

A stored blueprint is a list of cells, `{"part", "count", "points", "theme", "competency", "type",
"difficulty": [from, to] or None, "level", "audience", "cover"}`, what `exams.assembly` draws papers from.
Parts are stored by key (`theory`, `practical`) and shown, and typed, by their label (理论, 实操); a part a
trainer names himself is kept as typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, FieldList, Form, IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import Length, NumberRange, Optional

from drill.accounts.roles import LEVELS
from drill.content import catalog
from drill.content.rules.questions import REGISTRY
from drill.forms import options
from drill.labels import AUDIENCES, EXAM_PARTS

POINTS = "points"  # `cover`: one question per assessment point


def part_label(key: str | None) -> str:
    """A stored part as the trainer reads it: 理论 for `theory`; a part of his own as typed."""
    return str(EXAM_PARTS[key]) if key in EXAM_PARTS else (key or "")


def part_key(text: str | None) -> str:
    """What the trainer typed, as stored: `theory` for 理论 (or Theory, or theory); other text as typed."""
    text = (text or "").strip()
    for key, name in EXAM_PARTS.items():
        if text.lower() in (key, str(name).lower()):
            return key
    return text


class CellForm(Form):
    """One blueprint row. An empty row (no count) is ignored."""

    # First, so that a per-point row has its count before the other fields are checked.
    cover = SelectField(_l("Draw"), default="")
    part = StringField(
        _l("Part"), validators=[Optional(), Length(max=32)], default=lambda: part_label("theory")
    )
    count = IntegerField(_l("Questions"), validators=[Optional(), NumberRange(0, 200)])
    points = DecimalField(_l("Points each"), places=2, validators=[Optional(), NumberRange(0, 100)])
    theme = SelectField(_l("Theme"))
    competency = SelectField(_l("Competency"))
    type = SelectField(_l("Type"))
    difficulty_min = IntegerField(_l("Difficulty from"), validators=[Optional(), NumberRange(1, 5)])
    difficulty_max = IntegerField(_l("Difficulty to"), validators=[Optional(), NumberRange(1, 5)])
    level = SelectField(_l("Level"))
    audience = SelectField(_l("Audience"), default="")

    def part_labels(self) -> list[str]:
        """The parts offered as the trainer types one (理论, 实操)."""
        return [part_label(key) for key in EXAM_PARTS]

    def validate_cover(self, field) -> None:
        if field.data != POINTS:
            return
        if not (self.theme.data and self.level.data):
            raise ValidationError(_l("One question per assessment point needs a theme and a level."))
        from drill.exams import coverage  # the database and the content folder: only when asked

        found = coverage.points_of(self.theme.data, self.level.data, self.audience.data or None)
        if not found:
            raise ValidationError(
                _l("The standards list no assessment point for this theme, level and audience.")
            )
        self.count.data = len(found)

    def validate_points(self, field) -> None:
        if self.count.data and not field.data:
            raise ValidationError(_l("Give the points of each question."))

    def validate_part(self, field) -> None:
        if self.count.data and not (field.data or "").strip():
            raise ValidationError(_l("Name the part, e.g. Theory."))


def fill(cells: FieldList, *, exclude: Iterable[str] = ()) -> None:
    """Give every row its choices: how it draws, themes, competencies, question types (less `exclude`),
    levels, audiences."""
    anything = [("", _("Any"))]
    covers = [("", _("The number of questions given")), (POINTS, _("One question per assessment point"))]
    audiences = anything + list(AUDIENCES.items())
    types = sorted((t for t in REGISTRY.values() if t.name not in set(exclude)), key=lambda t: t.rank)
    themes = anything + catalog.theme_choices()
    competencies = anything + catalog.competency_choices()
    kinds = anything + [(t.name, t.names[0]) for t in types]
    levels = anything + list(LEVELS.items())
    for entry in cells.entries:
        cell = entry.form
        cell.theme.choices = options(themes)
        cell.competency.choices = options(competencies)
        cell.type.choices = options(kinds)
        cell.level.choices = options(levels)
        cell.cover.choices = options(covers)
        cell.audience.choices = options(audiences)


def blueprint(cells: FieldList) -> list[dict]:
    """The blueprint the rows give, empty rows left out."""
    return [
        {
            "part": part_key(c.part.data),
            "count": c.count.data,
            "points": float(c.points.data),
            "theme": c.theme.data or None,
            "competency": c.competency.data or None,
            "type": c.type.data or None,
            "difficulty": [c.difficulty_min.data or 1, c.difficulty_max.data or 5]
            if c.difficulty_min.data or c.difficulty_max.data
            else None,
            "level": c.level.data or None,
        }
        # Set only when given, so that a blueprint of plain rows is stored as before.
        | ({"audience": c.audience.data} if c.audience.data else {})
        | ({"cover": c.cover.data} if c.cover.data else {})
        for c in (entry.form for entry in cells.entries)
        if c.count.data
    ]


def load(cells: FieldList, stored: list[dict] | None) -> None:
    """Show a stored blueprint in the rows, adding rows when it has more cells than the form shows.
    Call before `fill`, so added rows get their choices too."""
    stored = stored or []
    while len(cells.entries) < len(stored):
        cells.append_entry()
    for entry, cell in zip(cells.entries, stored, strict=False):
        c = entry.form
        c.part.data, c.count.data, c.points.data = part_label(cell["part"]), cell["count"], cell["points"]
        c.cover.data, c.audience.data = cell.get("cover") or "", cell.get("audience") or ""
        c.theme.data, c.competency.data = cell.get("theme") or "", cell.get("competency") or ""
        c.type.data, c.level.data = cell.get("type") or "", cell.get("level") or ""
        if cell.get("difficulty"):
            c.difficulty_min.data, c.difficulty_max.data = cell["difficulty"]


def check_points(cells: FieldList) -> None:
    """Refuse a blueprint whose per-point rows the bank cannot fill, or that asks for a point twice: each
    such row is told, beside it, which points lack a question; ValidationError sums it up."""
    from drill.exams import coverage, services  # the database and the content folder

    stored = blueprint(cells)
    if not any(cell.get("cover") == POINTS for cell in stored):
        return
    # The blueprint leaves empty rows out: the form row (and its number on screen) of each stored row.
    rows = [(n, entry.form) for n, entry in enumerate(cells.entries, start=1) if entry.form.count.data]
    titles = coverage.titles()

    def named(ids) -> str:
        return "；".join(f"{pid} {titles.get(pid, '')}".strip() for pid in ids)

    wrong = False
    for r, ids in services.repeated_points(stored).items():
        n, form = rows[r]
        form.cover.errors.append(
            _(
                "Row %(row)d asks again for points an earlier row covers: %(points)s",
                row=n,
                points=named(ids),
            )
        )
        wrong = True
    for short in services.row_shortfalls(stored):
        if stored[short.cell].get("cover") != POINTS or not short.points:
            continue  # a row of a given number of questions: the overview tells it, as before
        n, form = rows[short.cell]
        form.cover.errors.append(
            _(
                "Row %(row)d: no question left to draw for %(n)d of its %(wanted)d assessment points: "
                "%(points)s. Add questions that name them (考点), or widen the row's audience or filters.",
                row=n,
                n=len(short.points),
                wanted=short.wanted,
                points=named(short.points),
            )
        )
        wrong = True
    if wrong:
        raise ValidationError(
            _("The blueprint cannot cover every assessment point; see the rows marked below.")
        )
