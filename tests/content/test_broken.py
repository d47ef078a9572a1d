"""Every problem drill reports, each from a pack broken in exactly that one way, at its line."""

import pytest

from drill.content.discover import shown
from tests.content.broken import BROKEN, CASE, FRONT, RUBRIC, quiz
from tests.content.conftest import check


@pytest.mark.parametrize(
    ("name", "folder", "text", "line", "fragment", "severity"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_a_broken_pack_reports_its_one_problem_at_its_line(
    write_pack, name, folder, text, line, fragment, severity
):
    path = write_pack(text, folder)
    report = check(path)
    problems = [(p.line, p.message, "error") for p in report.errors]
    problems += [(p.line, p.message, "warning") for p in report.warnings]
    assert len(problems) == 1, problems
    assert problems[0][0] == line, problems
    assert fragment in problems[0][1]
    assert problems[0][2] == severity
    assert {p.file for p in report.errors + report.warnings} == {shown(path)}


def test_strict_turns_the_warning_into_an_error(write_pack):
    path = write_pack(quiz(explanation="\n"))
    assert check(path).ok
    strict = check(path, strict=True)
    assert not strict.ok
    assert strict.errors[0].line == 8 and "no explanation" in strict.errors[0].message


def test_every_problem_of_a_pack_is_reported_at_once(write_pack):
    text = (
        quiz(meta="类型: 单选 | 分值: 零", body="题干？\n\n- [ ] 甲\n- [ ] 乙")
        + "\n## q-002\n类型: 多多\n\n题干\n"
    )
    text = text.replace("theme: case-analysis", "theme: 不存在")
    report = check(write_pack(text))
    assert [(p.line, p.message.split(";")[0]) for p in report.errors] == [
        (
            4,
            "`theme`: unknown theme `不存在`. Themes (content/taxonomy.yaml): case-analysis (案例分析), "
            "marketing-planning (营销策划), brand-culture (品牌文化宣讲), brand-cultivation (品牌培育), "
            "data-application (数据整理与应用), service-qa (营销服务问答), terminal-function (终端功能发挥)",
        ),
        (9, "question `q-001`: `分值: 零` is not a number above 0"),
        (13, "question `q-001`: no option is marked correct"),
        (19, "question `q-002`: unknown question type `多多`"),
    ]


def test_a_question_id_used_in_two_packs_is_reported_in_the_second(write_pack):
    first = write_pack(quiz(), name="a.md")
    second = write_pack(quiz().replace("id: broken", "id: broken-two"), name="b.md")
    report = check(first.parent)
    assert [(p.file, p.line) for p in report.errors] == [(shown(second), 8)]
    assert f"question id `q-001` is also used in {shown(first)}:8" in report.errors[0].message


def test_two_packs_with_one_id_are_reported(write_pack):
    first = write_pack(quiz(), name="a.md")
    second = write_pack(quiz(qid="q-002"), name="b.md")
    report = check(first, second)
    assert [(p.file, p.line) for p in report.errors] == [(shown(second), 2)]
    assert f"pack id `broken` is also used by {shown(first)}:2" in report.errors[0].message


def test_case_task_ids_only_need_to_be_unique_within_their_case(write_pack):
    one = write_pack(CASE, "cases", "one.md")
    write_pack(CASE.replace("id: broken-case", "id: other-case"), "cases", "two.md")
    assert check(one.parent).ok


def test_a_pack_folder_needs_exactly_one_markdown_file(tmp_path, write_pack):
    write_pack(quiz(), "quizzes/two", "a.md")
    write_pack(quiz(qid="q-002").replace("id: broken", "id: other"), "quizzes/two", "b.md")
    (tmp_path / "quizzes" / "none" / "images").mkdir(parents=True)
    report = check(tmp_path)
    messages = {(p.file, p.line, p.message) for p in report.errors}
    assert messages == {
        (
            shown(tmp_path / "quizzes/none"),
            0,
            "a pack folder holds exactly one Markdown file beside its images "
            "and data files; this one has 0 (none)",
        ),
        (
            shown(tmp_path / "quizzes/two"),
            0,
            "a pack folder holds exactly one Markdown file beside its images "
            "and data files; this one has 2 (a.md, b.md)",
        ),
    }


def test_a_case_can_use_a_shared_rubric_from_the_rubrics_folder(tmp_path, write_pack):
    (tmp_path / "taxonomy.yaml").write_bytes(check.__globals__["TAXONOMY_PATH"].read_bytes())
    write_pack(RUBRIC, "rubrics", "shared.md")
    case = CASE.replace("level: intermediate", "level: intermediate\nrubric: broken-rubric")
    case = case.split("## 评分标准")[0] + "## 参考答案" + case.split("## 参考答案")[1]
    path = write_pack(case, "cases")
    report = check(path)  # only the case is checked; its rubric is found beside it
    assert report.ok, report.errors
    assert report.packs[0].pack.questions[0].spec["rubric"]["criteria"][0]["id"] == "risk"
    assert report.packs[0].examples[0]["total"] == 80


def test_a_file_that_is_not_utf8_is_reported_at_its_bad_line(write_pack):
    path = write_pack("")
    path.write_bytes(quiz().encode() + "\n第二行\n".encode("gbk"))
    report = check(path)
    assert [(p.line, p.message[:30]) for p in report.errors] == [(18, "this line is not valid UTF-8; ")]


def test_a_file_outside_the_kind_folders_needs_a_kind(tmp_path):
    path = tmp_path / "loose.md"
    path.write_text(quiz(), encoding="utf-8")
    report = check(path)
    assert [p.line for p in report.errors] == [1]
    assert "put it under `quizzes/`" in report.errors[0].message
    path.write_text(quiz().replace("level: junior", "level: junior\nkind: quiz"), encoding="utf-8")
    assert check(path).ok


def test_the_front_matter_checks_do_not_depend_on_the_body(write_pack):
    report = check(
        write_pack(FRONT.replace("level: junior", "level: 中级\naudience: 烟草") + quiz()[len(FRONT) :])
    )
    assert report.ok
    assert report.packs[0].pack.meta["level"] == "intermediate"
    assert report.packs[0].pack.meta["audience"] == "tobacco"
