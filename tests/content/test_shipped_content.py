"""The content drill ships checks clean and imports idempotently (the issue's "done when")."""

from drill.content.services import import_paths
from drill.paths import project_dir
from tests.content.conftest import check

CONTENT = project_dir("content")


def test_the_shipped_content_checks_clean():
    report = check(CONTENT)
    assert report.ok, "\n".join(map(str, report.errors))
    assert {p.pack.kind for p in report.packs} == {"quiz", "case", "rubric"}


def test_the_shipped_content_imports_and_a_second_import_changes_nothing(db):
    first = import_paths([CONTENT])
    assert first.ok
    db.session.commit()
    second = import_paths([CONTENT])
    db.session.commit()
    assert {p.status for p in second.packs} == {"unchanged"}


def test_the_library_covers_every_theme_at_every_level_with_cases_to_calibrate_on():
    """Issue 4's bar: seven themes of 40+ questions over three levels; 8+ cases with rubric and examples."""
    summaries = [p.summary() for p in check(CONTENT).packs]
    quizzes = [s for s in summaries if s["kind"] == "quiz"]
    themes = {s["theme"] for s in quizzes}
    assert len(themes) == 7
    for theme in themes:
        packs = [s for s in quizzes if s["theme"] == theme]
        assert sum(s["questions"] for s in packs) >= 40, theme
        levels = {level for s in packs for level, n in s["by_level"].items() if n}
        assert levels >= {"junior", "intermediate", "senior"}, theme
    cases = [s for s in summaries if s["kind"] == "case"]
    assert len(cases) >= 8
    assert {s["theme"] for s in cases} == themes
    assert sum(s["audience"] == "bank" for s in cases) >= 3
    assert sum(s["audience"] == "tobacco" for s in cases) >= 3
    for case in cases:
        assert case["rubric"] and case["examples"] >= 3, case["id"]
