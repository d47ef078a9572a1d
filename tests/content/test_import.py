"""Importing packs: idempotent, versioned, retiring instead of deleting, all-or-nothing."""

import shutil

import pytest
from sqlalchemy import func, select

from drill.content.models import Pack, PackAsset, PackVersion, Question, QuestionVersion
from drill.content.services import import_paths
from tests.content.conftest import PACKS, TAXONOMY_PATH


@pytest.fixture
def content(tmp_path):
    """A copy of the golden packs that a test may edit."""
    folder = tmp_path / "content"
    shutil.copytree(PACKS, folder)
    return folder


@pytest.fixture
def run_import(db):
    def run(*paths, **options):
        result = import_paths(list(paths), taxonomy_path=TAXONOMY_PATH, **options)
        db.session.commit()
        return result

    return run


def counts(db) -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Pack, PackVersion, Question, QuestionVersion, PackAsset)
    )


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def quiz_file(content):
    return content / "quizzes" / "golden-quiz" / "index.md"


def test_first_import_adds_every_pack_and_question(db, content, run_import):
    result = run_import(content)
    assert result.ok
    assert {(p.slug, p.status, p.version, len(p.added)) for p in result.packs} == {
        ("golden-case", "added", 1, 2),
        ("golden-quiz", "added", 1, 8),
        ("golden-rubric", "added", 1, 0),
    }
    assert counts(db) == (3, 3, 10, 10, 2)
    version = db.session.scalar(
        select(QuestionVersion).join(Question).where(Question.key == "golden-case/task-2")
    )
    assert version.type == "single" and version.points == 20 and version.level == "intermediate"
    assert version.spec["options"][0]["correct"] is True


def test_a_second_import_of_unchanged_packs_changes_nothing(db, content, run_import):
    run_import(content)
    before = counts(db)
    result = run_import(content)
    assert [p.status for p in result.packs] == ["unchanged"] * 3
    assert counts(db) == before


def test_a_changed_question_gets_a_new_version_and_the_old_one_stays(db, content, run_import):
    run_import(content)
    edit(quiz_file(content), "- [ ] 借款人亲属的收入", "- [ ] 借款人配偶的收入")
    result = run_import(content)
    quiz = next(p for p in result.packs if p.slug == "golden-quiz")
    assert (quiz.status, quiz.version, quiz.changed, len(quiz.unchanged)) == ("changed", 2, ["credit-001"], 7)
    question = db.session.scalar(select(Question).where(Question.key == "credit-001"))
    old, new = question.versions
    assert (old.number, new.number, question.current_version) == (1, 2, 2)
    assert "借款人亲属的收入" in [o["text"] for o in old.spec["options"]]
    assert "借款人配偶的收入" in [o["text"] for o in new.spec["options"]]
    assert counts(db) == (3, 4, 10, 11, 2)


def test_a_removed_question_is_retired_and_stays_readable(db, content, run_import):
    run_import(content)
    text = quiz_file(content).read_text(encoding="utf-8")
    start, end = text.index("## credit-007"), text.index("## credit-008")
    quiz_file(content).write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_import(content)
    assert next(p for p in result.packs if p.slug == "golden-quiz").retired == ["credit-007"]
    question = db.session.scalar(select(Question).where(Question.key == "credit-007"))
    assert question.retired_at is not None
    assert question.versions[0].spec["pairs"][0]["text"] == "抵押物价值下跌"  # what old attempts were asked
    quiz_file(content).write_text(text, encoding="utf-8")
    result = run_import(content)
    assert next(p for p in result.packs if p.slug == "golden-quiz").restored == ["credit-007"]
    db.session.refresh(question)
    assert question.retired_at is None and question.current_version == 1


def test_a_failed_import_leaves_the_database_as_it_was(db, content, run_import):
    run_import(content)
    before = counts(db)
    edit(quiz_file(content), "- [ ] 借款人亲属的收入", "- [ ] 借款人配偶的收入")  # a good change...
    edit(content / "cases" / "golden-case.md", "权重 |", "权重 |")
    edit(content / "cases" / "golden-case.md", "| 40 |", "| 45 |")  # ...and a broken rubric
    result = run_import(content)
    assert not result.ok and result.packs == []
    assert any("add up to 105" in p.message for p in result.report.errors)
    assert counts(db) == before
    question = db.session.scalar(select(Question).where(Question.key == "credit-001"))
    assert question.current_version == 1


def test_a_failed_first_import_writes_nothing(db, content, run_import):
    edit(quiz_file(content), "答案: 255", "答案: 很多")
    assert not run_import(content).ok
    assert counts(db) == (0, 0, 0, 0, 0)


def test_a_changed_image_makes_a_new_version_and_keeps_the_old_image(db, content, run_import):
    run_import(content)
    image = content / "quizzes" / "golden-quiz" / "images" / "sales.png"
    old_url = db.session.scalar(select(Question).where(Question.key == "credit-005")).latest.stem_html
    image.write_bytes(image.read_bytes() + b"\0")
    result = run_import(content)
    assert next(p for p in result.packs if p.slug == "golden-quiz").changed == ["credit-005"]
    question = db.session.scalar(select(Question).where(Question.key == "credit-005"))
    assert question.versions[0].stem_html == old_url != question.versions[1].stem_html
    assert db.session.scalar(select(func.count()).select_from(PackAsset)) == 3


def test_retire_missing_retires_packs_no_longer_in_the_content(db, content, run_import):
    run_import(content)
    result = run_import(content / "quizzes", content / "rubrics", retire_missing=True)
    assert result.retired_packs == ["golden-case"]
    case = db.session.scalar(select(Pack).where(Pack.slug == "golden-case"))
    assert case.retired and all(q.retired_at is not None for q in case.questions)


def test_a_question_moved_to_another_pack_moves_with_its_history(db, content, run_import):
    run_import(content)
    text = quiz_file(content).read_text(encoding="utf-8")
    start, end = text.index("## credit-003"), text.index("## credit-004")
    quiz_file(content).write_text(text[:start] + text[end:], encoding="utf-8")
    other = content / "quizzes" / "other.md"
    other.write_text(
        text[: text.index("# 信贷")].replace("id: golden-quiz", "id: other-quiz") + text[start:end],
        encoding="utf-8",
    )
    run_import(content)
    question = db.session.scalar(select(Question).where(Question.key == "credit-003"))
    assert (
        question.pack.slug == "other-quiz" and question.retired_at is None and question.current_version == 1
    )


def test_two_imports_at_once_run_one_after_the_other(app, db, content):
    """A `drill import` and a publish racing: the second waits for the first and finds its packs, instead
    of adding the same pack again and failing on its slug."""
    from tests.drills.test_concurrency import run_together

    failures = []

    def one_import():
        with app.app_context():
            try:
                result = import_paths([content], taxonomy_path=TAXONOMY_PATH)
                db.session.commit()
                return result
            except Exception as error:  # the assertion below names it
                failures.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    first, second = run_together(one_import, one_import)
    assert failures == []
    statuses = sorted({p.status for p in first.packs} | {p.status for p in second.packs})
    assert statuses == ["added", "unchanged"]  # one added everything; the other found it all there
    assert db.session.scalar(select(func.count()).select_from(PackVersion)) == len(first.packs)
