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
