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


def _grow_library(db, trainer, branch_id: int, start: int, count: int) -> None:
    """`count` packs, each with a current version published in the browser by its own user and edited by
    one of the trainer's drafts: everything the library shows per row, added in bulk."""
    from drill.accounts.models import User
    from drill.authoring.models import Draft, PackSource
    from drill.content.models import PackVersion

    for n in range(start, start + count):
        publisher = User(employee_no=f"pub{n:04d}", name=f"发布人{n}", password_hash="-", branch_id=branch_id)
        pack = Pack(slug=f"lib-{n:04d}", kind="quiz", title=f"题库 {n}", current_version=1)
        version = PackVersion(pack=pack, number=1, checksum="x", meta={}, sections={})
        source = PackSource(version=version, name=f"quizzes/lib-{n:04d}.md", text="", published_by=publisher)
        draft = Draft(owner=trainer, pack=pack, base_version=1, kind="quiz", name=f"lib-{n:04d}", text="")
        db.session.add_all([publisher, pack, version, source, draft])
    db.session.commit()


def test_the_library_runs_as_many_statements_for_200_packs_as_for_5(db, as_trainer, trainer):
    from tests.querycount import assert_same_queries, page_queries

    _grow_library(db, trainer, trainer.branch_id, 0, 5)
    small = page_queries(db, as_trainer, "/authoring/")
    _grow_library(db, trainer, trainer.branch_id, 5, 195)
    large = page_queries(db, as_trainer, "/authoring/")
    assert_same_queries(small, large)
    page = as_trainer.get("/authoring/").get_data(as_text=True)
    assert "发布人199" in page and "lib-0199" in page
