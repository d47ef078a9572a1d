"""The pack library: every pack with its kind, version, size, publisher, and what uses it now."""

from datetime import timedelta

from sqlalchemy import select

from drill.content.models import Pack
from drill.content.services import import_paths
from drill.database import utcnow
from drill.drills import services as drills
from drill.drills.models import Assignment
from drill.paths import project_dir
from tests.drills.conftest import PACKS as DRILL_PACKS

TAXONOMY = project_dir("content") / "taxonomy.yaml"


def test_the_library_lists_packs_with_their_publisher_and_usage(db, as_trainer, trainer, make_user):
    assert import_paths([DRILL_PACKS, project_dir("content") / "rubrics"], taxonomy_path=TAXONOMY).ok
    db.session.commit()
    manager = make_user("m1")
    now = utcnow()
    sample = db.session.scalar(select(Pack).where(Pack.slug == "drill-sample"))
    db.session.add(
        Assignment(
            title="练兵",
            created_by=trainer,
            pack_id=sample.id,
            question_count=3,
            time_limit_minutes=10,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
        )
    )
    db.session.add(
        Assignment(
            title="已结束",
            created_by=trainer,
            pack_id=sample.id,
            question_count=3,
            time_limit_minutes=10,
            opens_at=now - timedelta(days=3),
            closes_at=now - timedelta(days=1),
        )
    )
    drills.start(manager, drills.Criteria(pack_slug="drill-sample", count=3), now, title="练习")
    db.session.commit()

    page = as_trainer.get("/authoring/").get_data(as_text=True)
    row = page[page.index('id="pack-drill-sample"') :]
    row = row[: row.index("</tr>")]
    assert "练兵测试题库" in row and "Question bank" in row and "v1" in row
    assert "git / command line" in row
    assert "1 open drill assignments" in row and "1 open attempts" in row
    rubric = page[page.index('id="pack-bank-case-analysis"') :]
    rubric = rubric[: rubric.index("</tr>")]
    assert "Rubric" in rubric and "open" not in rubric


def test_the_library_counts_exams_that_may_draw_from_a_pack(db, as_trainer, trainer):
    from drill.exams.models import Exam

    assert import_paths([DRILL_PACKS], taxonomy_path=TAXONOMY).ok
    now = utcnow()
    cells = [{"part": "theory", "count": 1, "points": 5, "theme": "data-application"}]
    for title, theme in (("数据考评", "data-application"), ("品牌考评", "brand-culture")):
        db.session.add(
            Exam(
                title=title,
                level="junior",
                seed=1,
                blueprint=[{**cells[0], "theme": theme}],
                opens_at=now,
                closes_at=now + timedelta(days=1),
                time_limit_minutes=30,
                pass_rule={},
                eligible={},
                created_by=trainer,
            )
        )
    db.session.commit()
    page = as_trainer.get("/authoring/").get_data(as_text=True)
    row = page[page.index('id="pack-drill-sample"') :]
    row = row[: row.index("</tr>")]
    assert "1 open or upcoming exams that may draw from it" in row  # the data exam, not the brand one
