"""Import by source digest (#14): an unchanged pack is skipped unread, a changed one is written in bulk,
and every change that matters to what a pack imports to (its text, its files, a shared rubric) is seen."""

import pytest
from sqlalchemy import func, select, update

from bench.pack_gen import PNG, write_packs
from drill.content import services
from drill.content.models import Pack, PackAsset, PackVersion, Question, QuestionVersion
from drill.content.services import import_paths
from tests.querycount import counted


@pytest.fixture
def run_import(db):
    def run(root, **options):
        result = import_paths([root], taxonomy_path=root / "taxonomy.yaml", **options)
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


def never_parse(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("an unchanged import parsed the packs")

    monkeypatch.setattr(services, "check_paths", refuse)


@pytest.mark.parametrize("packs", [2, 6])
def test_an_unchanged_reimport_parses_nothing_writes_nothing_and_runs_two_statements(
    db, tmp_path, run_import, monkeypatch, packs
):
    root = write_packs(tmp_path / "content", packs=packs, per_pack=16)
    first = run_import(root)
    assert first.ok and {p.status for p in first.packs} == {"added"}
    before = counts(db)
    never_parse(monkeypatch)
    with counted(db) as statements:
        again = run_import(root)
    assert again.ok
    assert [(p.slug, p.status, len(p.unchanged)) for p in again.packs] == [
        (p.slug, "unchanged", len(p.added)) for p in first.packs
    ]
    assert [p.unchanged for p in again.packs] == [p.added for p in first.packs]  # keys in pack order
    assert counts(db) == before
    # The current versions by digest, their live question keys: the same two whatever the pack count.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2, statements


def test_a_one_question_edit_in_one_pack_of_many_makes_exactly_one_new_version(db, tmp_path, run_import):
    root = write_packs(tmp_path / "content", packs=5, per_pack=16)
    run_import(root)
    packs, versions, questions, question_versions, assets = counts(db)
    edit(root / "quizzes" / "gen-02.md", "第1题：", "第1题（改）：")
    result = run_import(root)
    assert result.ok
    changed = [p for p in result.packs if p.status != "unchanged"]
    assert [(p.slug, p.status, p.version, p.changed, len(p.unchanged)) for p in changed] == [
        ("gen-02", "changed", 2, ["g02-0001"], 15)
    ]
    assert counts(db) == (packs, versions + 1, questions, question_versions + 1, assets)
    question = db.session.scalar(select(Question).where(Question.key == "g02-0001"))
    assert question.current_version == 2
    untouched = db.session.scalar(select(Question).where(Question.key == "g02-0004"))
    assert untouched.current_version == 1


def test_a_changed_image_in_a_pack_folder_reimports_that_pack(db, tmp_path, run_import):
    root = write_packs(tmp_path / "content", packs=5, per_pack=16)  # gen-04 is a folder with an image
    run_import(root)
    (root / "quizzes" / "gen-04" / "images" / "chart.png").write_bytes(PNG + b"\0")
    result = run_import(root)
    assert {p.slug: p.status for p in result.packs if p.status != "unchanged"} == {"gen-04": "changed"}
    pack = result.packs[4]
    assert pack.changed == ["g04-0004", "g04-0012"]  # the numeric questions show the image, by checksum
    assert db.session.scalar(select(func.count()).select_from(PackAsset)) == 3


def test_a_changed_file_linked_from_a_single_file_pack_reimports_it(db, tmp_path, run_import):
    root = write_packs(tmp_path / "content", packs=2, per_pack=8)
    (root / "quizzes" / "logo.png").write_bytes(PNG)  # beside the pack, among the other packs' files
    edit(root / "quizzes" / "gen-01.md", "第0题：", "![标志](logo.png) 第0题：")
    first = run_import(root)
    assert first.ok, [e.as_dict() for e in first.report.errors]
    (root / "quizzes" / "logo.png").write_bytes(PNG + b"\0")
    result = run_import(root)
    assert [(p.slug, p.status, p.changed) for p in result.packs] == [
        ("gen-00", "unchanged", []),
        ("gen-01", "changed", ["g01-0000"]),
        ("gen-rubric", "unchanged", []),
    ]


def test_a_changed_shared_rubric_reimports_the_packs_that_embed_it(db, tmp_path, run_import):
    root = write_packs(tmp_path / "content", packs=2, per_pack=8)  # question 7 of each is graded by it
    run_import(root)
    edit(root / "rubrics" / "gen-rubric.md", "要点齐全", "要点齐全且准确")
    result = run_import(root)
    assert [(p.slug, p.status, p.changed) for p in result.packs] == [
        ("gen-00", "changed", ["g00-0007"]),
        ("gen-01", "changed", ["g01-0007"]),
        ("gen-rubric", "changed", []),
    ]


def test_a_copy_of_an_unchanged_pack_is_still_refused_for_its_duplicate_ids(db, tmp_path, run_import):
    root = write_packs(tmp_path / "content", packs=2, per_pack=8)
    run_import(root)
    before = counts(db)
    (root / "quizzes" / "copy.md").write_bytes((root / "quizzes" / "gen-00.md").read_bytes())
    result = run_import(root)
    assert not result.ok
    assert any("gen-00" in str(problem.as_dict()) for problem in result.report.errors)
    assert counts(db) == before


def test_a_version_imported_before_digests_is_recognised_once_then_skipped_unread(
    db, tmp_path, run_import, monkeypatch
):
    root = write_packs(tmp_path / "content", packs=2, per_pack=8)
    run_import(root)
    db.session.execute(update(PackVersion).values(content_digest=None))
    db.session.commit()
    before = counts(db)
    assert {p.status for p in run_import(root).packs} == {"unchanged"}  # parsed, compared, remembered
    never_parse(monkeypatch)
    assert {p.status for p in run_import(root).packs} == {"unchanged"}
    assert counts(db) == before


def test_a_pack_left_out_is_retired_by_an_otherwise_unchanged_import(db, tmp_path, run_import, monkeypatch):
    root = write_packs(tmp_path / "content", packs=3, per_pack=8)
    run_import(root)
    (root / "quizzes" / "gen-01.md").unlink()
    never_parse(monkeypatch)
    result = run_import(root, retire_missing=True)
    assert result.retired_packs == ["gen-01"]
    gone = db.session.scalars(select(Question.retired_at).join(Pack).where(Pack.slug == "gen-01")).all()
    assert len(gone) == 8 and all(gone)
