"""The blueprint table shared by the exam form and the written-round form: one row (`CellForm`) per cell of
part × questions × points each × theme × competency × type × difficulty × level, rendered by the macro
in `templates/_blueprint.html`. An empty row (no count) is ignored.

A stored blueprint is a list of cells, `{"part", "count", "points", "theme", "competency", "type",
"difficulty": [from, to] or None, "level"}`, what `exams.assembly` draws papers from.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, FieldList, Form, IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import Length, NumberRange, Optional

from drill.accounts.roles import LEVELS
from drill.content import catalog
from drill.content.questions import REGISTRY
from drill.forms import options


class CellForm(Form):
    """One blueprint row. An empty row (no count) is ignored."""

    part = StringField(_l("Part"), validators=[Optional(), Length(max=32)], default="theory")
    count = IntegerField(_l("Questions"), validators=[Optional(), NumberRange(0, 200)])
    points = DecimalField(_l("Points each"), places=2, validators=[Optional(), NumberRange(0, 100)])
    theme = SelectField(_l("Theme"))
    competency = SelectField(_l("Competency"))
    type = SelectField(_l("Type"))
    difficulty_min = IntegerField(_l("Difficulty from"), validators=[Optional(), NumberRange(1, 5)])
    difficulty_max = IntegerField(_l("to"), validators=[Optional(), NumberRange(1, 5)])
    level = SelectField(_l("Level"))

    def validate_points(self, field) -> None:
        if self.count.data and not field.data:
            raise ValidationError(_l("Give the points of each question."))

    def validate_part(self, field) -> None:
        if self.count.data and not (field.data or "").strip():
            raise ValidationError(_l("Name the part (e.g. theory)."))


def fill(cells: FieldList, *, exclude: Iterable[str] = ()) -> None:
    """Give every row its choices: themes, competencies, question types (less `exclude`), levels."""
    anything = [("", _("Any"))]
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


def blueprint(cells: FieldList) -> list[dict]:
    """The blueprint the rows give, empty rows left out."""
    return [
        {
            "part": c.part.data.strip(),
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
        c.part.data, c.count.data, c.points.data = cell["part"], cell["count"], cell["points"]
        c.theme.data, c.competency.data = cell.get("theme") or "", cell.get("competency") or ""
        c.type.data, c.level.data = cell.get("type") or "", cell.get("level") or ""
        if cell.get("difficulty"):
            c.difficulty_min.data, c.difficulty_max.data = cell["difficulty"]
