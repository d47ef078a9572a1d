"""The temporary content folder a draft is checked in, skeletons, the listing and the diff: no Flask."""

from pathlib import Path

import pytest

from drill.authoring.checking import listing, present, text_diff
from drill.authoring.skeletons import skeleton
from drill.authoring.workspace import safe_join, workspace
from drill.content.discover import TAXONOMY
from drill.content.rules.check import check_paths
from drill.paths import project_dir
from tests.authoring.conftest import BAD_LINE, BROKEN, PACK

CONTENT = project_dir("content")


def check(kind: str, name: str, text: str, files=None, rubrics=None):
    with workspace(kind, name, text, files or {}, CONTENT, rubrics) as ws:
        report = check_paths([ws.file], taxonomy_path=ws.root / TAXONOMY)
        root = ws.root
        return present(report, ws.label_of, ws.label), report, root


@pytest.mark.parametrize("kind", ["quiz", "case", "rubric"])
def test_every_skeleton_passes_check_as_written(kind):
    shown, report, _root = check(kind, "my-pack", skeleton(kind, "my-pack"))
    assert shown.ok and not shown.warnings, [str(p) for p in shown.problems]
    assert report.packs[0].pack.id == "my-pack"


def test_the_workspace_is_a_content_folder_that_is_removed_afterwards():
    shown, _report, root = check("quiz", "auth-demo", BROKEN, {"images/a.png": b"png"})
    assert shown.label == "quizzes/auth-demo/index.md"
    assert [(p.file, p.line, p.here) for p in shown.errors] == [
        ("quizzes/auth-demo/index.md", BAD_LINE, True)
    ]
    assert str(shown.errors[0]).startswith(f"quizzes/auth-demo/index.md:{BAD_LINE}: ")
    assert not root.exists()


def test_a_case_finds_the_rubrics_published_in_the_browser():
    case = skeleton("case", "my-case")
    start, end = case.index("## 评分标准"), case.index("## 参考答案")
    shared = case[:start].replace("time_limit: 45", "time_limit: 45\nrubric: browser-rubric") + case[end:]
    unknown = check("case", "my-case", shared)[0]
    assert "unknown rubric `browser-rubric`" in " ".join(p.message for p in unknown.errors)
    found = check(
        "case", "my-case", shared, rubrics={"browser-rubric": skeleton("rubric", "browser-rubric")}
    )[0]
    assert found.ok, [str(p) for p in found.problems]


def test_paths_are_joined_only_inside_the_folder(tmp_path):
    assert safe_join(tmp_path, "images/a.png") == tmp_path / "images" / "a.png"
    for hostile in ("../x", "/etc/passwd", "a/../../x", "C:/x", "a\\..\\x"):
        with pytest.raises(ValueError):
            safe_join(tmp_path, hostile)
    (tmp_path / "out").symlink_to("/tmp")
    with pytest.raises(ValueError):
        safe_join(tmp_path, "out/x.png")


def test_the_listing_numbers_lines_as_drill_check_does():
    shown, _report, _root = check("quiz", "auth-demo", BROKEN)
    lines = listing(BROKEN, shown)
    assert len(lines) == len(BROKEN.splitlines())
    no, text, problems = lines[BAD_LINE - 1]
    assert (
        no == BAD_LINE
        and "分直" in text
        and problems
        and problems[0].message.startswith("question `auth-002`")
    )


def test_the_markdown_diff_keeps_front_matter_fences():
    diff = text_diff(PACK, PACK.replace("---\nid", "---\nid", 1)[4:], "v1", "draft")
    assert ("del", "----") in diff
    assert text_diff(PACK, PACK, "v1", "draft") == []


def test_a_missing_content_folder_is_reported_not_crashed(tmp_path: Path):
    with workspace("quiz", "auth-demo", PACK, {}, tmp_path / "nowhere") as ws:
        report = check_paths([ws.file], taxonomy_path=ws.root / TAXONOMY)
    assert any("taxonomy.yaml" in p.message for p in report.errors)
