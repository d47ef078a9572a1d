"""Question types: what each syntax parses to, what a manager sees before submitting, how it scores."""

import json

import pytest

from drill.content.rules.questions import REGISTRY, public, register, render_spec, score
from drill.content.rules.questions.base import QuestionType
from drill.content.rules.questions.open_answer import grade_open
from drill.content.rules.render import render_markdown
from tests.content.broken import quiz


@pytest.fixture
def question(parse):
    """question(meta, body) → the spec of a one-question pack, rendered, after asserting it has no errors."""

    def make(meta: str, body: str) -> dict:
        pack = parse(quiz(meta=meta, body=body))
        assert not pack.problems.errors, pack.problems.items
        return render_spec(pack.questions[0].spec, render_markdown)

    return make


def ids(spec, key="options"):
    return [o["id"] for o in spec[key]]


def test_the_registry_refuses_a_second_type_with_a_taken_name():
    class Again(QuestionType):
        name = "again"
        names = ("单选",)

    with pytest.raises(ValueError, match="`单选` names both `single` and `again`"):
        register(Again)
    assert "again" not in REGISTRY


def test_single_choice_scores_the_one_correct_option(question):
    spec = question("类型: 单选 | 分值: 2", "题干？\n\n- [ ] 甲\n- [x] 乙\n- [ ] 丙")
    wrong, right, _ = ids(spec)
    assert score(spec, right) == (2.0, {"correct": True, "chosen": right, "answer": [right]})
    assert score(spec, wrong).earned == 0
    assert score(spec, "no-such-id").earned == 0
    assert score(spec, ["a", "list"]).earned == 0


@pytest.mark.parametrize("mark", ["x", "X", "√", "✓", "ｘ"])
def test_a_correct_option_may_be_marked_in_several_ways(question, mark):
    spec = question("类型: 单选", f"题干？\n\n- [ ] 甲\n- [{mark}] 乙")
    assert [o["correct"] for o in spec["options"]] == [False, True]


def test_full_width_brackets_and_separators_work_as_typed_on_a_chinese_keyboard(question):
    spec = question("类型：多选｜分值：4｜计分：全对", "题干？\n\n- 【x】 甲\n- 【 】 乙\n- ［x］ 丙")
    assert spec["points"] == 4 and spec["scoring"] == "all"
    assert [o["correct"] for o in spec["options"]] == [True, False, True]


MULTIPLE = "题干？\n\n- [x] 甲\n- [x] 乙\n- [ ] 丙\n- [ ] 丁"


@pytest.mark.parametrize(
    ("rule", "chosen", "earned"),
    [
        ("all", [0, 1], 4),
        ("all", [0], 0),
        ("all", [0, 1, 2], 0),
        ("partial", [0, 1], 4),
        ("partial", [0], 2),
        ("partial", [0, 2], 0),
        ("partial", [], 0),
        ("per-option", [0, 1], 4),
        ("per-option", [0], 2),
        ("per-option", [0, 2], 0),
        ("per-option", [0, 1, 2], 2),
        ("per-option", [2, 3], 0),
        ("per-option", [], 0),
    ],
)
def test_multiple_choice_scoring_rules(question, rule, chosen, earned):
    spec = question(f"类型: 多选 | 分值: 4 | 计分: {rule}", MULTIPLE)
    assert score(spec, [ids(spec)[i] for i in chosen]).earned == earned


def test_multiple_choice_takes_the_pack_default_rule(parse):
    text = quiz(meta="类型: 多选 | 分值: 4", body=MULTIPLE).replace(
        "level: junior", "level: junior\nmultiple_scoring: all"
    )
    assert parse(text).questions[0].spec["scoring"] == "all"
    assert parse(quiz(meta="类型: 多选", body=MULTIPLE)).questions[0].spec["scoring"] == "partial"


@pytest.mark.parametrize(
    ("answer", "truth"),
    [("对", True), ("错", False), ("正确", True), ("×", False), ("T", True), ("false", False), ("Ｆ", False)],
)
def test_true_false_answers(question, answer, truth):
    spec = question("类型: 判断 | 分值: 1", f"贷款可以挪用。\n\n答案: {answer}")
    assert spec["answer"] is truth
    assert score(spec, truth).earned == 1
    assert score(spec, not truth).earned == 0
    assert score(spec, "对" if truth else "错").earned == 1
    assert score(spec, None).earned == 0


def test_blanks_accept_alternatives_and_ignore_width_case_and_spaces(question):
    spec = question("类型: 填空 | 分值: 3", "三查：{{贷前调查|贷前调研}}、{{ KYC }}和{{１２３}}。")
    assert [b["answers"] for b in spec["blanks"]] == [["贷前调查", "贷前调研"], ["KYC"], ["１２３"]]
    assert score(spec, [" 贷前调研 ", "ｋｙｃ", "123"]).earned == 3
    assert score(spec, ["贷前调查", "kyc", "12"]).earned == 2
    assert score(spec, ["贷前调查"]).earned == 1
    assert score(spec, "贷前调查").earned == 0  # a string answers a one-blank question only
    assert "{{" not in spec["stem_html"] and "贷前调研" not in spec["stem_html"]
    assert "____(1)____" in spec["stem_html"] and "____(3)____" in spec["stem_html"]


def test_blanks_all_or_nothing(question):
    spec = question("类型: 填空 | 分值: 2 | 计分: 全对", "{{甲}}和{{乙}}")
    assert score(spec, ["甲", "丙"]).earned == 0
    assert score(spec, ["甲", "乙"]).earned == 2


@pytest.mark.parametrize(
    ("meta", "answer", "typed", "earned"),
    [
        ("误差: 0.5", "12.5", "12.9", 2),
        ("误差: 0.5", "12.5", "13.1", 0),
        ("", "12.5", "12.50", 2),
        ("", "12.5", "12.51", 0),
        ("误差: 1%", "200", "202", 2),
        ("误差: 1%", "200", "202.5", 0),
        ("", "12.5 ± 0.1", "12.6", 2),
        ("", "12.5 +- 0.1", "12.61", 0),
        ("单位: 万元", "1,234.5", "1234.5万元", 2),
        ("单位: %", "17.1", "17.1%", 2),
        ("", "17.1%", "１７．１", 2),
        ("", "-8.8", "-8.8", 2),
        ("", "3", "三", 0),
        ("", "3", "", 0),
        ("", "3", "1e999999", 0),
        ("", "0.3", 0.3, 2),
    ],
)
def test_numeric_tolerance_and_units(question, meta, answer, typed, earned):
    spec = question(f"类型: 数值 | 分值: 2 | {meta}".rstrip(" |"), f"多少？\n\n答案: {answer}")
    assert score(spec, typed).earned == earned


def test_numeric_public_shows_the_unit_not_the_answer(question):
    spec = question("类型: 数值 | 单位: 万元 | 误差: 0.5", "多少？\n\n答案: 255")
    assert public(spec, 1) == {"type": "numeric", "points": 1.0, "stem_html": "<p>多少？</p>", "unit": "万元"}


ORDER = "排序：\n\n1. 受理\n2. 调查\n3. 审批\n4. 放款"


@pytest.mark.parametrize(
    ("rule", "order", "earned"),
    [
        ("position", [0, 1, 2, 3], 4),
        ("position", [1, 0, 2, 3], 2),
        ("position", [1, 2, 3, 0], 0),
        ("adjacent", [1, 2, 3, 0], 2.67),
        ("adjacent", [1, 0, 2, 3], 1.33),
        ("adjacent", [3, 2, 1, 0], 0),
        ("all", [0, 1, 2, 3], 4),
        ("all", [0, 1, 3, 2], 0),
    ],
)
def test_ordering_partial_credit(question, rule, order, earned):
    spec = question(f"类型: 排序 | 分值: 4 | 计分: {rule}", ORDER)
    assert score(spec, [ids(spec, "items")[i] for i in order]).earned == earned


def test_ordering_refuses_a_response_that_is_not_an_order_of_the_items(question):
    spec = question("类型: 排序 | 分值: 4", ORDER)
    items = ids(spec, "items")
    assert score(spec, items[:3]).earned == 0
    assert score(spec, [*items[:3], items[0]]).earned == 0
    assert score(spec, {"not": "a list"}).earned == 0


def test_ordering_is_never_shown_in_its_answer_order(question):
    spec = question("类型: 排序", "排序：\n\n1. 甲\n2. 乙")
    for seed in range(20):
        assert [i["id"] for i in public(spec, seed)["items"]] != ids(spec, "items")


def test_ordering_accepts_chinese_numbering_and_lazy_ones(question):
    assert len(question("类型: 排序", "排序：\n\n1、甲\n2、乙\n3）丙")["items"]) == 3
    assert len(question("类型: 排序", "排序：\n\n1. 甲\n1. 乙\n1. 丙")["items"]) == 3


def test_matching_scores_per_pair_and_distractors_are_wrong(question):
    spec = question("类型: 匹配 | 分值: 3", "连线：\n\n- 甲 => 一\n- 乙 -> 二\n- 丙 → 三\n- => 四")
    assert len(spec["rights"]) == 4
    right = {p["id"]: p["right"] for p in spec["pairs"]}
    assert score(spec, right).earned == 3
    four = spec["rights"][3]["id"]
    first = spec["pairs"][0]["id"]
    assert score(spec, {**right, first: four}).earned == 2
    assert score(spec, {}).earned == 0
    assert score(spec, "nonsense").earned == 0


def test_matching_may_map_several_lefts_to_one_right(question):
    spec = question("类型: 匹配 | 分值: 2", "分类：\n\n- 甲 =》 农户\n- 乙 ＝＞ 农户\n- 丙 => 企业")
    assert [r["text"] for r in spec["rights"]] == ["农户", "企业"]


def test_open_questions_wait_for_a_grader(question):
    spec = question("类型: 问答 | 分值: 10", "请分析。\n\n参考答案: 要点一。\n\n要点二。")
    assert spec["reference"] == "要点一。\n\n要点二。"
    assert score(spec, "我的答案") == (None, {"needs_grading": True})
    assert grade_open(spec, {"points": 7}) == 7
    assert grade_open(spec, {"points": 11}) is None


def test_open_questions_with_an_inline_rubric_are_graded_per_criterion(question):
    rubric = "\n".join(
        [
            "| 编号 | 评分项 | 权重 | 好 | 差 |",
            "|---|---|---|---|---|",
            "| a | 甲 | 60 | 好 | 差 |",
            "| b | 乙 | 40 | 好 | 差 |",
        ]
    )
    spec = question("类型: 问答 | 分值: 10", f"请分析。\n\n{rubric}")
    assert spec["stem"] == "请分析。"
    assert grade_open(spec, {"a": 60, "b": 20}) == 8
    assert grade_open(spec, {"a": 61, "b": 20}) is None
    assert public(spec, 0)["criteria"] == [
        {"id": "a", "name": "甲", "weight": 60},
        {"id": "b", "name": "乙", "weight": 40},
    ]


def test_a_multi_line_meta_block_and_bold_labels_work(question):
    spec = question("类型: 单选\n分值: 3\n难度: 4", "题干？\n\n- [x] 甲\n- [ ] 乙")
    assert spec["points"] == 3


def test_the_meta_line_may_run_straight_into_the_stem(parse):
    pack = parse(quiz().replace("类型: 单选 | 分值: 2\n\n", "类型: 单选 | 分值: 2\n"))
    assert not pack.problems.items and pack.questions[0].spec["stem"] == "题干？"


def test_question_level_and_competencies_default_to_the_pack(parse):
    text = quiz().replace("level: junior", "level: senior\ncompetencies: [风险预判, analysis]")
    q = parse(text).questions[0]
    assert (q.level, q.competencies, q.difficulty, q.points) == (
        "senior",
        ["risk-foresight", "analysis"],
        3,
        2,
    )
    q = parse(text.replace("分值: 2", "分值: 2 | 级别: 初级 | 能力: 数据应用")).questions[0]
    assert (q.level, q.competencies) == ("junior", ["data-literacy"])


GOLDEN_ANSWERS = {"truefalse": "answer", "numeric": "answer", "blank": "blanks"}


def test_public_never_holds_an_answer_or_an_explanation(golden):
    for item in golden:
        for q in item.pack.questions:
            spec = render_spec(q.spec, render_markdown)
            shown = json.dumps(public(spec, "seed"), ensure_ascii=False)
            for secret in ("correct", "explanation", "reference", "answer", "right", "descriptors"):
                assert f'"{secret}":' not in shown, (q.id, secret)
            if q.type == "blank":
                assert all(a not in shown for b in spec["blanks"] for a in b["answers"])


def test_public_shuffles_the_same_way_for_the_same_seed(golden):
    quiz_pack = next(item for item in golden if item.pack.kind == "quiz")
    spec = render_spec(quiz_pack.pack.questions[0].spec, render_markdown)
    orders = {tuple(o["id"] for o in public(spec, seed)["options"]) for seed in range(30)}
    assert len(orders) > 1
    assert public(spec, 7) == public(spec, 7)
    fixed = {**spec, "shuffle": False}
    assert [o["id"] for o in public(fixed, 7)["options"]] == ids(spec)


def test_matching_may_keep_its_right_side_in_order(question):
    spec = question("类型: 匹配 | 乱序: 否", "连线：\n\n- 甲 => 一\n- 乙 => 二\n- => 三")
    assert [r["id"] for r in public(spec, 5)["rights"]] == ids(spec, "rights")
