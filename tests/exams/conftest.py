from datetime import timedelta

import pytest

from drill.database import utcnow
from drill.exams.models import Exam
from tests.drills.conftest import sample_pack  # noqa: F401  (the eight-question pack of every type)

BLUEPRINT = [
    {"part": "theory", "count": 1, "points": 10, "type": "single"},
    {"part": "theory", "count": 1, "points": 10, "type": "truefalse"},
    {"part": "theory", "count": 1, "points": 10, "type": "numeric"},
    {"part": "theory", "count": 1, "points": 10, "type": "multiple"},
    {"part": "practical", "count": 1, "points": 40, "type": "open"},
]


@pytest.fixture
def make_exam(db, org, make_user):
    """make_exam(**overrides) → an open exam for the east branch over the sample pack."""

    def make(**overrides):
        author = overrides.pop("created_by", None) or make_user(roles={"trainer"}, branch="head")
        now = utcnow()
        exam = Exam(
            title="中级客户经理技能考评",
            level="intermediate",
            category="personal",
            seed=12345,
            blueprint=BLUEPRINT,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(hours=1),
            time_limit_minutes=30,
            attempts_allowed=1,
            pass_rule={"total_min": 60, "part_mins": {"practical": 60}},
            eligible={"branches": [org["east"].id], "categories": [], "levels": []},
            double_marking=True,
            marking_threshold=4,
            created_by=author,
        )
        for key, value in overrides.items():
            setattr(exam, key, value)
        db.session.add(exam)
        db.session.commit()
        return exam

    return make
