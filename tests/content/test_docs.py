"""The examples in docs/content-format.md and its Chinese version docs/content-format.zh.md are valid
packs: what either document shows is what drill reads, and both show the same examples."""

import re
import shutil

import pytest

from drill.paths import project_dir
from tests.content.conftest import PACKS, TAXONOMY_PATH, check

DOC = project_dir("docs") / "content-format.md"
DOC_ZH = project_dir("docs") / "content-format.zh.md"
DOCS = pytest.mark.parametrize("doc", [DOC, DOC_ZH], ids=["en", "zh"])
FILE_BLOCK = re.compile(r'```markdown title="([^"]+)"\n(.*?)\n```\n', re.DOTALL)
QUESTION_BLOCK = re.compile(r"```markdown\n(## [a-z0-9-]+\n.*?)\n```\n", re.DOTALL)
ANY_BLOCK = re.compile(r"^```[^\n]*\n.*?\n```$", re.DOTALL | re.MULTILINE)


def write_examples(root, doc=DOC):
    text = doc.read_text(encoding="utf-8")
    files = FILE_BLOCK.findall(text)
    for name, body in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body + "\n", encoding="utf-8")
    shutil.copy(TAXONOMY_PATH, root / "taxonomy.yaml")
    return text, files


@DOCS
def test_the_complete_examples_check_clean(tmp_path, doc):
    _text, files = write_examples(tmp_path, doc)
    assert [name for name, _ in files] == [
        "quizzes/example-credit/index.md",
        "cases/example-farm-loan.md",
        "rubrics/example-loan-review.md",
    ]
    pack = tmp_path / "quizzes" / "example-credit"
    (pack / "images").mkdir()
    shutil.copy(PACKS / "quizzes/golden-quiz/images/sales.png", pack / "images" / "loans.png")
    (pack / "data").mkdir()
    (pack / "data" / "ledger.csv").write_text("month,amount\n1,120\n", encoding="utf-8")
    report = check(tmp_path, strict=True)
    assert report.ok, report.errors
    quiz = next(p for p in report.packs if p.pack.kind == "quiz")
    assert sorted({q.type for q in quiz.pack.questions}) == sorted(
        ["single", "multiple", "truefalse", "blank", "numeric", "ordering", "matching", "open"]
    )


@DOCS
def test_every_question_example_checks_clean(tmp_path, doc):
    text, _files = write_examples(tmp_path, doc)
    examples = QUESTION_BLOCK.findall(text)
    assert len(examples) >= 9
    front = "---\nid: examples\ntitle: 例题\ntheme: case-analysis\nlevel: junior\n---\n\n"
    (tmp_path / "quizzes" / "examples.md").write_text(front + "\n\n".join(examples) + "\n", encoding="utf-8")
    report = check(tmp_path / "quizzes" / "examples.md", strict=True)
    assert report.ok, report.errors


def test_both_documents_show_the_same_examples():
    english, chinese = DOC.read_text(encoding="utf-8"), DOC_ZH.read_text(encoding="utf-8")
    assert FILE_BLOCK.findall(chinese) == FILE_BLOCK.findall(english)
    assert QUESTION_BLOCK.findall(chinese) == QUESTION_BLOCK.findall(english)
    # Every other block too (the quick reference, the taxonomy, the commands and their output), in order.
    assert ANY_BLOCK.findall(chinese) == ANY_BLOCK.findall(english)


def test_each_document_links_to_the_other_on_its_first_line():
    first = {doc.name: doc.read_text(encoding="utf-8").splitlines()[0] for doc in (DOC, DOC_ZH)}
    assert first == {
        "content-format.md": "中文：[content-format.zh.md](content-format.zh.md)",
        "content-format.zh.md": "English: [content-format.md](content-format.md)",
    }


def test_both_documents_have_the_same_headings_structure():
    def levels(path):
        text = ANY_BLOCK.sub("", path.read_text(encoding="utf-8"))
        return [line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("#")]

    assert levels(DOC_ZH) == levels(DOC)
