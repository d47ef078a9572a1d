"""`drill check` and `drill import` from the command line."""

import json

from tests.content.broken import quiz
from tests.content.conftest import PACKS


def test_check_on_the_golden_packs_exits_0(runner):
    result = runner.invoke(args=["check", str(PACKS)])
    assert result.exit_code == 0, result.output
    assert "3 packs, 10 questions: 0 errors, 0 warnings" in result.output


def test_check_lists_every_error_with_its_line_and_exits_1(runner, write_pack):
    path = write_pack(quiz(meta="类型: 单选 | 分值: 零", body="题干？\n\n- [ ] 甲\n- [ ] 乙"))
    result = runner.invoke(args=["check", "--lang", "en", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith(":9: question `q-001`: `分值: 零` is not a number above 0; write e.g. `分值: 2`")
    assert ":13: question `q-001`: no option is marked correct" in lines[1]
    assert "2 errors" in lines[-1]


def test_warnings_pass_unless_strict(runner, write_pack):
    path = write_pack(quiz(explanation="\n"))
    result = runner.invoke(args=["check", "--lang", "en", str(path)])
    assert result.exit_code == 0 and ":8: warning: question `q-001`: no explanation" in result.output
    assert runner.invoke(args=["check", "--strict", str(path)]).exit_code == 1


def test_check_json(runner, write_pack):
    path = write_pack(quiz(explanation="\n"))
    result = runner.invoke(args=["check", "--format", "json", str(PACKS), str(path)])
    data = json.loads(result.output)
    assert set(data) == {"packs", "errors", "warnings", "coverage"}
    assert data["errors"] == []
    assert data["warnings"][0]["line"] == 8 and data["warnings"][0]["file"].endswith("pack.md")
    golden = next(p for p in data["packs"] if p["id"] == "golden-quiz")
    assert golden["kind"] == "quiz" and golden["theme"] == "case-analysis" and golden["level"] == "junior"
    assert golden["by_type"] == {
        t: 1 for t in ("single", "multiple", "truefalse", "blank", "numeric", "ordering", "matching", "open")
    }
    assert golden["by_level"] == {"junior": 6, "intermediate": 1, "senior": 1}


def test_check_prints_problems_in_chinese_unless_asked_for_english(runner, write_pack):
    path = write_pack(quiz(meta="类型: 单选 | 分值: 零", explanation="\n"))
    chinese = runner.invoke(args=["check", str(path)]).output
    assert ":9: 题目 `q-001`：`分值: 零` 不是大于 0 的数；请写成例如 `分值: 2`" in chinese
    assert ":8: 警告: 题目 `q-001`：没有解析" in chinese and "question `q-001`" not in chinese
    english = ":9: question `q-001`: `分值: 零` is not a number above 0; write e.g. `分值: 2`"
    assert english in runner.invoke(args=["check", "--lang", "en", str(path)]).output
    assert english in runner.invoke(args=["check", str(path)], env={"DRILL_LANG": "en"}).output
    assert runner.invoke(args=["check", "--lang", "fr", str(path)]).exit_code == 2


def test_check_json_carries_each_message_with_its_template_and_params(runner, write_pack):
    path = write_pack(quiz(meta="类型: 单选 | 分直: 2"))
    data = json.loads(runner.invoke(args=["check", "--format", "json", str(path)]).output)
    [error] = data["errors"]
    assert error["message"] == (
        "question `q-001`: unknown key `分直` in the meta line. Did you mean `分值`? "
        "Known keys: 类型, 分值, 难度, 能力, 标签, 级别, 计分, 乱序, 误差, 单位, 评分标准, 考点"
    )
    assert error["template"] == "question `%(qid)s`: %(message)s"
    inner = error["params"]["message"]
    assert error["params"]["qid"] == "q-001" and inner["params"]["key"] == "分直"
    assert inner["template"] == "unknown key `%(key)s` in the meta line.%(hint)s Known keys: %(keys)s"
    assert inner["params"]["hint"] == {"template": " Did you mean `%(word)s`?", "params": {"word": "分值"}}


def test_bad_usage_exits_2(runner):
    assert runner.invoke(args=["check", "/no/such/folder"]).exit_code == 2
    assert runner.invoke(args=["check", "--format", "xml", str(PACKS)]).exit_code == 2


def test_check_does_not_touch_the_database(app, runner):
    # The default app fixture has created the tables; dropping them makes any query fail.
    from drill.extensions import db

    with app.app_context():
        db.drop_all()
    assert runner.invoke(args=["check", str(PACKS)]).exit_code == 0


def test_import_twice_reports_no_change_the_second_time(runner):
    first = runner.invoke(args=["import", str(PACKS)])
    assert first.exit_code == 0, first.output
    assert "golden-quiz: added → v1: added 8, changed 0, retired 0, unchanged 0" in first.output
    second = runner.invoke(args=["import", str(PACKS)])
    assert second.output.splitlines() == [
        "golden-case: unchanged (v1) / 未变化",
        "golden-quiz: unchanged (v1) / 未变化",
        "golden-rubric: unchanged (v1) / 未变化",
    ]


def test_import_of_a_broken_pack_imports_nothing_and_exits_1(runner, write_pack):
    path = write_pack(quiz(body="题干？\n\n- [ ] 甲\n- [ ] 乙"))
    result = runner.invoke(args=["import", str(PACKS), str(path)])
    assert result.exit_code == 1
    assert "Nothing was imported." in result.output
    assert "golden-quiz: added → v1" in runner.invoke(args=["import", str(PACKS)]).output  # nothing was there
