"""`drill new quiz|case NAME`: skeletons that pass `drill check --strict` as written."""

import shutil

import pytest

from drill.content.convert import SkeletonError, create_pack, skeleton
from drill.content.rules.check import check_paths
from tests.content.conftest import TAXONOMY_PATH
from tests.content.convert.conftest import TAXONOMY


@pytest.fixture
def content(tmp_path):
    shutil.copy(TAXONOMY_PATH, tmp_path / "taxonomy.yaml")
    return tmp_path


def test_a_quiz_skeleton_has_every_question_type_and_passes_check_strict(content):
    path = create_pack(content, "quiz", "credit-new", TAXONOMY)
    assert path == content / "quizzes" / "credit-new.md"
    report = check_paths([path], strict=True)
    assert report.ok, report.errors
    pack = report.packs[0].pack
    assert pack.id == "credit-new"
    assert sorted(q.type for q in pack.questions) == sorted(
        ["single", "multiple", "truefalse", "blank", "numeric", "ordering", "matching", "open"]
    )
    assert all(q.id.startswith("credit-new-") for q in pack.questions)


def test_a_case_skeleton_has_every_section_and_three_scored_examples(content):
    path = create_pack(content, "case", "farm-new", TAXONOMY)
    report = check_paths([path], strict=True)
    assert report.ok, report.errors
    checked = report.packs[0]
    assert checked.pack.kind == "case" and checked.pack.rubric["criteria"]
    assert {"background", "materials", "tasks", "reference"} <= set(checked.pack.sections)
    assert len(checked.examples) == 3
    assert sum(q.points for q in checked.pack.questions) == 100


def test_an_existing_pack_is_never_overwritten(content):
    path = create_pack(content, "quiz", "twice", TAXONOMY)
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(SkeletonError, match="exists"):
        create_pack(content, "quiz", "twice", TAXONOMY)
    assert path.read_text(encoding="utf-8") == "mine"
    (content / "cases" / "folder-pack").mkdir(parents=True)
    with pytest.raises(SkeletonError, match="exists"):
        create_pack(content, "case", "folder-pack", TAXONOMY)


@pytest.mark.parametrize("name", ["Bad Name", "中文", "-x", "a/b", "../up", ""])
def test_the_name_must_be_a_slug(name):
    with pytest.raises(SkeletonError, match="lowercase"):
        skeleton("quiz", name, TAXONOMY)


def test_the_skeleton_uses_a_theme_of_the_taxonomy():
    assert f"theme: {TAXONOMY.themes.terms[0].key}" in skeleton("quiz", "x", TAXONOMY)
