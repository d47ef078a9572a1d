"""`drill convert`, `drill export` and `drill new` from the command line: output and exit codes."""

import shutil
from io import BytesIO

import pytest
from openpyxl import load_workbook

from drill.content.convert import template_workbook
from tests.content.conftest import PACKS, TAXONOMY_PATH
from tests.content.convert.conftest import SAMPLES
from tests.content.convert.test_xlsx import HEADER, workbook

GOLDEN = PACKS / "quizzes" / "golden-quiz" / "index.md"


@pytest.fixture
def app_config(app_config, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(TAXONOMY_PATH, content / "taxonomy.yaml")
    return {**app_config, "CONTENT_DIR": str(content)}


@pytest.fixture
def content(app):
    from pathlib import Path

    return Path(app.config["CONTENT_DIR"])


def test_convert_gift_writes_the_pack_and_prints_warnings_by_line(runner, content):
    out = content / "quizzes" / "gift-sample.md"
    result = runner.invoke(
        args=[
            "convert",
            "gift",
            str(SAMPLES / "full.gift"),
            "-o",
            str(out),
            "--theme",
            "案例分析",
            "--level",
            "初级",
        ]
    )
    assert result.exit_code == 0, result.output
    assert f"{SAMPLES / 'full.gift'}:22: warning: " in result.output  # by GIFT line (no explanation)
    assert "28 questions →" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(
        "---\nid: gift-sample\ntitle: 贷前调查\n"
    )  # id from the file name, title from $CATEGORY
    assert runner.invoke(args=["check", str(out)]).exit_code == 0


def test_convert_gift_with_errors_writes_nothing_and_exits_1(runner, tmp_path, content):
    source = tmp_path / "bad.gift"
    source.write_text("好题{T}\n\n坏题{=甲 ~乙\n", encoding="utf-8")
    out = content / "quizzes" / "bad.md"
    result = runner.invoke(
        args=["convert", "gift", str(source), "-o", str(out), "--theme", "x", "--level", "初级"]
    )
    assert result.exit_code == 1
    assert f"{source}:3: 答案块" in result.output and "never closed" in result.output
    assert f"{source}: 未知主题「x」" in result.output
    assert "nothing was written" in result.output and not out.exists()


def test_a_gift_file_that_is_not_utf8_is_reported_by_line(runner, tmp_path, content):
    source = tmp_path / "gbk.gift"
    source.write_bytes("好题{T}\n\n".encode() + "坏题{T}".encode("gbk"))
    result = runner.invoke(args=["convert", "gift", str(source), "-o", str(content / "quizzes" / "g.md")])
    assert result.exit_code == 1 and f"{source}:3: " in result.output and "not UTF-8" in result.output


def test_convert_without_theme_reports_the_placeholder_and_writes_nothing(runner, tmp_path, content):
    source = tmp_path / "q.gift"
    source.write_text("题目？{T}\n", encoding="utf-8")
    result = runner.invoke(args=["convert", "gift", str(source), "-o", str(content / "quizzes" / "q.md")])
    assert result.exit_code == 1 and "the pack has no theme" in result.output


def test_convert_then_check_reports_linked_files_missing_beside_the_pack(runner, tmp_path, content):
    gift = tmp_path / "golden.gift"
    assert runner.invoke(args=["export", "gift", str(GOLDEN), "-o", str(gift)]).exit_code == 0
    out = content / "quizzes" / "golden-again.md"
    result = runner.invoke(
        args=[
            "convert",
            "gift",
            str(gift),
            "-o",
            str(out),
            "--theme",
            "案例分析",
            "--level",
            "初级",
            "--lang",
            "en",
        ]
    )
    assert result.exit_code == 1, result.output
    assert "broken link `images/sales.png`" in result.output and out.exists()


def test_convert_reports_question_ids_already_used_by_another_pack(runner, tmp_path, content):
    (content / "quizzes").mkdir()
    shutil.copy(GOLDEN, content / "quizzes" / "golden.md")
    gift = tmp_path / "golden.gift"
    assert runner.invoke(args=["export", "gift", str(GOLDEN), "-o", str(gift)]).exit_code == 0
    out = content / "quizzes" / "again.md"
    result = runner.invoke(
        args=[
            "convert",
            "gift",
            str(gift),
            "-o",
            str(out),
            "--theme",
            "案例分析",
            "--level",
            "初级",
            "--lang",
            "en",
        ]
    )
    assert result.exit_code == 1
    assert "question id `credit-001` is also used" in result.output


def test_convert_xlsx_prints_problems_by_row_and_column(runner, tmp_path, content):
    source = tmp_path / "bad.xlsx"
    source.write_bytes(workbook([["x-1", "单选题", "题？", "甲", "乙", "丙", None, "A,C", "因为。"]]))
    result = runner.invoke(args=["convert", "xlsx", str(source), "-o", str(content / "quizzes" / "bad.md")])
    assert result.exit_code == 1
    assert (
        f"{source}:行 2 列 答案: 单选题只能有一个答案，写了 A,C / a single-choice question" in result.output
    )


def test_convert_xlsx_of_the_template(runner, tmp_path, content):
    source = tmp_path / "信贷题库.xlsx"
    source.write_bytes(template_workbook())
    out = content / "quizzes" / "credit-xlsx.md"
    result = runner.invoke(args=["convert", "xlsx", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(
        "---\nid: credit-xlsx\ntitle: 信贷题库\ntheme: case-analysis\n"
    )
    assert runner.invoke(args=["check", "--strict", str(out)]).exit_code == 0


def test_export_gift_and_xlsx(runner, tmp_path):
    gift, xlsx = tmp_path / "out.gift", tmp_path / "out.xlsx"
    result = runner.invoke(args=["export", "gift", str(GOLDEN), "-o", str(gift)])
    assert result.exit_code == 0, result.output
    assert "8 of 8 questions" in result.output  # ordering and several blanks too, in a form Moodle accepts
    assert "::credit-001::[markdown]" in gift.read_text(encoding="utf-8")
    assert "// drill-pack: title: " in gift.read_text(encoding="utf-8")
    result = runner.invoke(args=["export", "xlsx", str(GOLDEN), "-o", str(xlsx)])
    assert result.exit_code == 0 and "8 of 8 questions" in result.output
    assert [c.value for c in load_workbook(BytesIO(xlsx.read_bytes()))["题库"][1]][:2] == ["题型", "题干"]
    assert HEADER[1] == "题型"


def test_export_of_a_broken_pack_exits_1(runner, tmp_path):
    pack = tmp_path / "quizzes" / "broken.md"
    pack.parent.mkdir()
    pack.write_text(
        "---\nid: broken\ntitle: t\ntheme: case-analysis\nlevel: junior\n---\n\n## q\n类型: 单选\n\n题？\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["export", "gift", str(pack), "-o", str(tmp_path / "x.gift"), "--lang", "en"])
    assert (
        result.exit_code == 1
        and "at least two options" in result.output
        and not (tmp_path / "x.gift").exists()
    )


def test_new_writes_a_skeleton_once(runner, content):
    result = runner.invoke(args=["new", "quiz", "credit-basics"])
    assert result.exit_code == 0, result.output
    path = content / "quizzes" / "credit-basics.md"
    assert path.exists() and runner.invoke(args=["check", "--strict", str(path)]).exit_code == 0
    assert runner.invoke(args=["new", "case", "farm-loan"]).exit_code == 0
    again = runner.invoke(args=["new", "quiz", "credit-basics"])
    assert again.exit_code == 1 and "exists" in again.output


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "gift", "/no/such.gift", "-o", "x.md"],
        ["convert", "gift", str(SAMPLES / "full.gift")],
        ["convert", "gift", str(SAMPLES / "full.gift"), "-o", "x.txt"],
        ["convert", "xlsx", str(SAMPLES / "full.gift"), "-o", "x.md", "--colour", "red"],
        ["export", "gift", str(GOLDEN)],
        ["export", "pdf", str(GOLDEN), "-o", "x.pdf"],
        ["new", "exam", "x"],
        ["new", "quiz", "Bad Name"],
    ],
)
def test_bad_usage_exits_2(runner, args):
    assert runner.invoke(args=args).exit_code == 2


def test_convert_moodle_xml_writes_the_pack_and_names_xml_lines(runner, content):
    out = content / "quizzes" / "moodle-xml.md"
    args = ["convert", "xml", str(SAMPLES / "all_types.xml"), "-o", str(out), "--title", "Moodle 导出"]
    result = runner.invoke(args=[*args, "--theme", "案例分析", "--level", "初级"])
    assert result.exit_code == 0, result.output
    cloze = next(
        n
        for n, line in enumerate((SAMPLES / "all_types.xml").read_text().splitlines(), 1)
        if "multianswer" in line
    )
    assert f"{SAMPLES / 'all_types.xml'}:{cloze}: warning: " in result.output
    assert "7 questions" in result.output and out.read_text(encoding="utf-8").startswith(
        "---\nid: moodle-xml\n"
    )
    assert runner.invoke(args=["check", str(out)]).exit_code == 0
