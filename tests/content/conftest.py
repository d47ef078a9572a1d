"""Helpers for the content tests: the shipped taxonomy, the golden packs, a pack written to a tmp folder."""

from pathlib import Path

import pytest

from drill.content.rules.check import Report, check_paths
from drill.content.rules.packs import ParsedPack, parse_pack
from drill.content.rules.problems import Problems
from drill.content.taxonomy import Taxonomy, load_taxonomy
from drill.paths import project_dir

TAXONOMY_PATH = project_dir("content") / "taxonomy.yaml"
PACKS = Path(__file__).parent / "packs"


def load_shipped_taxonomy() -> Taxonomy:
    problems = Problems(str(TAXONOMY_PATH))
    taxonomy = load_taxonomy(TAXONOMY_PATH, problems)
    assert not problems.items
    return taxonomy


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_shipped_taxonomy()


@pytest.fixture
def parse(taxonomy):
    """parse(text, kind="quiz") → ParsedPack, straight from text (no files)."""

    def run(text: str, kind: str | None = "quiz") -> ParsedPack:
        return parse_pack(text, "pack.md", kind, taxonomy)

    return run


def check(*paths, **options) -> Report:
    return check_paths(list(paths), taxonomy_path=TAXONOMY_PATH, **options)


@pytest.fixture
def write_pack(tmp_path):
    """write_pack(text, folder="quizzes", name="pack.md") → the file's path under a tmp content folder."""

    def write(text: str, folder: str = "quizzes", name: str = "pack.md") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def golden():
    """The golden packs, checked: one quiz with every question type, one case, one shared rubric."""
    report = check(PACKS)
    assert report.ok and not report.warnings, report.errors + report.warnings
    return report.packs
