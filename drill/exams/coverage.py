"""Assessment points (考点) for exam blueprints that cover every point of a standard.

The points are read from the content folder's `standards/*.yaml` (CONTENT_DIR), as the taxonomy is
(`drill.content.catalog`), and kept until a file there changes; the questions name their points in their
imported versions (`spec["standards"]`). So nothing is copied into a table of its own, and the points an
exam asks for are those the content folder holds now.

A paper draws quiz questions only: points that only case tasks name (`content/cases/`, assessed in case
rounds, not on a paper) are left out of a per-point row and counted apart (`case_only`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, select

from drill.content import catalog
from drill.content.models import Pack, Question, QuestionVersion
from drill.content.standards import FOLDER, Standards, load_standards
from drill.exams.rules.assembly import Cell, Point, row_points
from drill.extensions import db


@lru_cache(maxsize=4)
def _load(root: str, _stamp: tuple) -> Standards:
    standards, _problems = load_standards(Path(root), catalog.taxonomy(), str)
    return standards


def standards() -> Standards:
    """Every point of the content folder (problems in the files are `drill check`'s to report)."""
    root = Path(current_app.config["CONTENT_DIR"])
    folder = root / FOLDER
    try:
        stamp = tuple(sorted((p.name, p.stat().st_mtime) for p in folder.glob("*.y*ml")))
        stamp += ((root / "taxonomy.yaml").stat().st_mtime,)
    except OSError:
        return Standards()
    return _load(str(root), stamp)


def _named(kind: str) -> set[str]:
    """The points named by the current questions of the packs of `kind` in use."""
    query = (
        select(QuestionVersion.spec["standards"])
        .join(
            Question,
            and_(
                Question.id == QuestionVersion.question_id, Question.current_version == QuestionVersion.number
            ),
        )
        .join(Pack, Pack.id == Question.pack_id)
        .where(Question.retired_at.is_(None), Pack.retired.is_(False), Pack.kind == kind)
    )
    return {pid for named in db.session.scalars(query) for pid in named or ()}


def case_only(quiz_named: set[str] | None = None) -> set[str]:
    """Points that case tasks name and no quiz question does (`quiz_named`: the points the quiz questions
    name, when the caller has the bank already)."""
    return _named("case") - (_named("quiz") if quiz_named is None else quiz_named)


def paper_points(quiz_named: set[str] | None = None) -> list[Point]:
    """The points a per-point row may ask for: every point but those only case tasks assess."""
    left_out = case_only(quiz_named)
    return [
        Point(p.id, p.theme, p.level, p.audience) for p in standards().points.values() if p.id not in left_out
    ]


def titles() -> dict[str, str]:
    return {pid: p.title for pid, p in standards().points.items()}


def points_of(theme: str | None, level: str | None, audience: str | None) -> list[Point]:
    """The points a per-point row of this theme, level and audience covers."""
    row = Cell(part="", count=0, points=0, theme=theme, level=level, audience=audience, per_point=True)
    return row_points(row, paper_points())
