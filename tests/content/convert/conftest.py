"""Helpers for the converter tests: a pack's questions by id, issues by line, and the shipped taxonomy."""

from pathlib import Path

import pytest

from drill.content.convert import PackInfo
from drill.content.rules.packs import parse_pack
from tests.content.conftest import load_shipped_taxonomy

SAMPLES = Path(__file__).parent / "samples"
TAXONOMY = load_shipped_taxonomy()
INFO = PackInfo(id="sample", title="样例", theme="案例分析", level="初级")


def questions(markdown: str) -> dict:
    """The parsed questions of a converted pack, by id; the pack must parse without a single error."""
    pack = parse_pack(markdown, "converted.md", "quiz", TAXONOMY)
    assert not pack.problems.errors, pack.problems.errors
    return {q.id: q for q in pack.questions}


def issues_at(result, line: int, severity: str | None = None) -> list[str]:
    return [i.message for i in result.issues if i.line == line and severity in (None, i.severity)]


@pytest.fixture
def tax():
    return TAXONOMY
