"""The questions in use: what drills, exams and competitions draw papers from."""

from sqlalchemy import and_, select

from drill.content.models import Pack, Question, QuestionVersion


def current_versions():
    """Current versions of questions still in use, in quiz packs still in use."""
    return (
        select(QuestionVersion, Question.key)
        .join(
            Question,
            and_(
                Question.id == QuestionVersion.question_id, Question.current_version == QuestionVersion.number
            ),
        )
        .join(Pack, Pack.id == Question.pack_id)
        .where(Question.retired_at.is_(None), Pack.retired.is_(False), Pack.kind == "quiz")
    )
