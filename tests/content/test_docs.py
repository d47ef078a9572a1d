"""The examples in docs/content-format.md are valid packs: what the document shows is what drill reads."""

import re
import shutil

from drill.paths import project_dir
from tests.content.conftest import PACKS, TAXONOMY_PATH, check

DOC = project_dir("docs") / "content-format.md"
FILE_BLOCK = re.compile(r'```markdown title="([^"]+)"\n(.*?)\n```\n', re.DOTALL)
QUESTION_BLOCK = re.compile(r"```markdown\n(## [a-z0-9-]+\n.*?)\n```\n", re.DOTALL)


def write_examples(root):
    text = DOC.read_text(encoding="utf-8")
    files = FILE_BLOCK.findall(text)
    for name, body in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body + "\n", encoding="utf-8")
    shutil.copy(TAXONOMY_PATH, root / "taxonomy.yaml")
    return text, files


def test_the_complete_examples_check_clean(tmp_path):
    _text, files = write_examples(tmp_path)
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


def test_every_question_example_checks_clean(tmp_path):
    text, _files = write_examples(tmp_path)
    examples = QUESTION_BLOCK.findall(text)
    assert len(examples) >= 9
    front = "---\nid: examples\ntitle: 例题\ntheme: case-analysis\nlevel: junior\n---\n\n"
    (tmp_path / "quizzes" / "examples.md").write_text(front + "\n\n".join(examples) + "\n", encoding="utf-8")
    report = check(tmp_path / "quizzes" / "examples.md", strict=True)
    assert report.ok, report.errors
