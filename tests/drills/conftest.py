from pathlib import Path

import pytest
from sqlalchemy import select

from drill.attempts.models import Attempt
from drill.content.services import import_paths
from drill.paths import project_dir

PACKS = Path(__file__).parent / "packs"


@pytest.fixture
def sample_pack(db):
    """The eight-question pack of every type, imported."""
    result = import_paths([PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml")
    assert result.ok, [str(p) for p in result.report.errors]
    db.session.commit()
    return result


@pytest.fixture
def start_drill(client, db, sample_pack):
    """start_drill(count=8, minutes=10) → the new attempt, started through the start form."""

    def start(count=8, minutes=10, target=client, **choices):
        data = {
            "theme": "",
            "level": "",
            "competency": "",
            "pack": "drill-sample",
            "count": count,
            "minutes": minutes,
        }
        response = target.post("/drills/", data={**data, **choices})
        assert response.status_code == 302, response.get_data(as_text=True)[-500:]
        attempt_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        db.session.expire_all()
        return db.session.get(Attempt, attempt_id)

    return start


def positions_by_key(db, attempt):
    """{question key: position} for an attempt's paper."""
    from drill.attempts.models import AttemptItem
    from drill.content.models import Question, QuestionVersion

    rows = db.session.execute(
        select(Question.key, AttemptItem.position)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
        .where(AttemptItem.attempt_id == attempt.id)
    ).all()
    return dict(rows)


def option_ids(db, key):
    """{option text: option id} of a question's current version."""
    from drill.content.models import Question, QuestionVersion

    version = db.session.scalars(select(QuestionVersion).join(Question).where(Question.key == key)).first()
    spec = version.spec
    entries = spec.get("options") or spec.get("items") or spec.get("pairs", []) + spec.get("rights", [])
    return {entry["text"]: entry["id"] for entry in entries}


def types_by_position(db, attempt):
    """{position: question type} for an attempt's paper."""
    from drill.attempts.models import AttemptItem
    from drill.content.models import QuestionVersion

    rows = db.session.execute(
        select(AttemptItem.position, QuestionVersion.type)
        .join(QuestionVersion, AttemptItem.question_version_id == QuestionVersion.id)
        .where(AttemptItem.attempt_id == attempt.id)
    ).all()
    return dict(rows)


def shaped(question_type, text):
    """`text` as a response of the shape `question_type` takes (the save API refuses any other shape)."""
    if question_type in ("multiple", "blank", "ordering"):
        return [text]
    if question_type == "truefalse":
        return True
    if question_type == "matching":
        return {"x": text}
    return text
