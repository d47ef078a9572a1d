"""What a round is about, read from the imported content: the case (background, materials, tasks), its
rubric and its scored example answers (the calibration set), or a shared rubric pack."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, select

from drill.competitions.models import Round
from drill.competitions.rules.calibration import Criterion
from drill.content.models import Pack, PackVersion, Question, QuestionVersion
from drill.extensions import db


@dataclass
class CaseContent:
    title: str = ""
    sections: dict = field(default_factory=dict)  # rendered HTML: intro, background, materials, tasks…
    criteria: list[dict] = field(default_factory=list)  # [{"id", "name", "weight", "descriptors"}], on 100
    levels: list[str] = field(default_factory=list)  # the rubric's level names, best first: 优秀, 良好…
    examples: list[dict] = field(default_factory=list)  # [{"id", "scores", "total", "answer_html"…}]

    @property
    def calibration_criteria(self) -> list[Criterion]:
        return [Criterion(c["id"], c["name"], float(c["weight"])) for c in self.criteria]

    @property
    def expert(self) -> dict[str, dict[str, float]]:
        return {e["id"]: {k: float(v) for k, v in e["scores"].items()} for e in self.examples}


def _current(pack_id: int | None) -> PackVersion | None:
    """The pack's current version, by the pack's id (one statement; the round's packs need not be loaded)."""
    if pack_id is None:
        return None
    return db.session.scalar(
        select(PackVersion)
        .join(Pack, and_(Pack.id == PackVersion.pack_id, Pack.current_version == PackVersion.number))
        .where(Pack.id == pack_id)
    )


def of_round(round_: Round) -> CaseContent:
    """The round's case (case rounds; judged rounds built on a case) or shared rubric (judged rounds)."""
    version = _current(round_.case_pack_id) or _current(round_.rubric_pack_id)
    if version is None:
        return CaseContent()
    sections = version.sections or {}
    rubric = sections.get("rubric") or {}
    return CaseContent(
        title=version.meta.get("title", ""),
        sections={k: v for k, v in sections.items() if isinstance(v, str)},
        criteria=[
            {"id": c["id"], "name": c["name"], "weight": c["weight"], "descriptors": c.get("descriptors", [])}
            for c in rubric.get("criteria", [])
        ],
        levels=list(rubric.get("levels") or []),
        examples=list(sections.get("examples") or []) if round_.case_pack_id else [],
    )


def task_versions(pack_id: int) -> list[QuestionVersion]:
    """The case's tasks in order, at their current versions (what a participant answers)."""
    return list(
        db.session.scalars(
            select(QuestionVersion)
            .join(
                Question,
                and_(
                    Question.id == QuestionVersion.question_id,
                    Question.current_version == QuestionVersion.number,
                ),
            )
            .where(Question.pack_id == pack_id, Question.retired_at.is_(None))
            .order_by(Question.position)
        )
    )


def case_packs() -> list[Pack]:
    return list(
        db.session.scalars(
            select(Pack).where(Pack.kind == "case", Pack.retired.is_(False)).order_by(Pack.title)
        )
    )


def rubric_packs() -> list[Pack]:
    return list(
        db.session.scalars(
            select(Pack).where(Pack.kind == "rubric", Pack.retired.is_(False)).order_by(Pack.title)
        )
    )
