"""Moodle's percentage answers, kept: a weighted option or answer in a pack scores what Moodle would give,
and the GIFT importer writes it so that its feedback ("you get 50% credit") stays true."""

import pytest

from drill.content.convert import gift_to_pack
from drill.content.rules.questions import render_spec, score
from drill.content.rules.render import render_markdown
from tests.content.broken import quiz
from tests.content.convert.conftest import INFO, TAXONOMY, questions


@pytest.fixture
def question(parse):
    def make(meta: str, body: str, errors: bool = False):
        pack = parse(quiz(meta=meta, body=body))
        if errors:
            return [str(p) for p in pack.problems.errors]
        assert not pack.problems.errors, pack.problems.items
        return render_spec(pack.questions[0].spec, render_markdown)

    return make


def by_text(spec):
    return {o["text"]: o["id"] for o in spec["options"]}


def test_a_weighted_single_choice_gives_the_chosen_options_share_and_never_less_than_nothing(question):
    spec = question(
        "类型: 单选 | 分值: 4", "耶稣来自？\n\n- [ ] 耶路撒冷\n- [25%] 伯利恒\n- [-50%] 加利利\n- [x] 拿撒勒"
    )
    ids = by_text(spec)
    assert [o["correct"] for o in spec["options"]] == [False, False, False, True]
    assert score(spec, ids["拿撒勒"]).earned == 4
    assert score(spec, ids["伯利恒"]).earned == 1
    assert score(spec, ids["耶路撒冷"]).earned == 0
    assert score(spec, ids["加利利"]).earned == 0


def test_a_weighted_multiple_choice_adds_the_chosen_shares_between_nothing_and_full_points(question):
    body = "谁葬在格兰特墓？\n\n- [-50%] 没有人\n- [50%] 格兰特\n- [50%] 格兰特的妻子\n- [-50%] 格兰特的父亲"
    spec = question("类型: 多选 | 分值: 2", body)
    ids = by_text(spec)
    assert spec["scoring"] == "weighted"
    assert score(spec, [ids["格兰特"]]).earned == 1
    assert score(spec, [ids["格兰特"], ids["格兰特的妻子"]]).earned == 2
    assert score(spec, [ids["格兰特"], ids["格兰特的妻子"], ids["没有人"]]).earned == 1
    assert score(spec, [ids["没有人"], ids["格兰特的父亲"]]).earned == 0


def test_weights_that_do_not_add_up_or_fight_a_scoring_rule_are_refused(question):
    body = "题干？\n\n- [50%] 甲\n- [30%] 乙\n- [ ] 丙"
    assert any("add up to 80%" in e for e in question("类型: 多选", body, errors=True))
    body = "题干？\n\n- [50%] 甲\n- [50%] 乙\n- [ ] 丙"
    assert any("remove `计分:`" in e for e in question("类型: 多选 | 计分: 全对", body, errors=True))
    assert any(
        "between -100%" in e for e in question("类型: 多选", "题干？\n\n- [150%] 甲\n- [ ] 乙", errors=True)
    )


def test_a_partial_credit_blank_answer_earns_its_share_but_is_not_shown_as_right(question):
    spec = question("类型: 填空 | 分值: 4", "耶稣来自 {{拿撒勒|拿萨勒=75%|伯利恒=25%}}。")
    assert spec["blanks"] == [{"answers": ["拿撒勒"], "partial": {"拿萨勒": 75.0, "伯利恒": 25.0}}]
    assert score(spec, "拿撒勒").earned == 4
    assert score(spec, "拿萨勒").earned == 3
    assert score(spec, " 伯利恒 ").earned == 1
    assert score(spec, "耶路撒冷").earned == 0
    assert score(spec, "拿萨勒").detail["answer"] == [["拿撒勒"]]


def test_gift_weights_arrive_with_their_feedback_and_score_as_in_moodle():
    gift = (
        "::hometown::耶稣来自 {\n ~耶路撒冷#重要城市，但不对。\n ~%25%伯利恒#出生在这里。\n"
        " ~%50%加利利#请更具体。\n =拿撒勒#对！}\n\n"
        "::short::耶稣来自 {=拿撒勒#对！ =%75%拿萨勒#对，但拼错了，得 75%。 =%25%伯利恒#出生在这里。}\n"
    )
    result = gift_to_pack(gift, INFO, TAXONOMY)
    assert result.ok, result.errors
    qs = questions(result.markdown)
    single = render_spec(qs["hometown"].spec, render_markdown)
    assert [o.get("weight") for o in single["options"]] == [0, 25, 50, 100]
    assert score(single, by_text(single)["加利利"]).earned == 0.5
    assert "选「加利利」：请更具体。" in single["explanation"]
    blank = render_spec(qs["short"].spec, render_markdown)
    assert score(blank, "拿萨勒").earned == 0.75  # what its feedback promises
    assert "对，但拼错了，得 75%。" in blank["explanation"]


def test_a_numeric_partial_answer_is_left_out_with_its_feedback_and_reported_at_its_line():
    gift = "::n::格兰特生于哪年？ {#\n =1822:0 #对！\n =%50%1822:2 #接近，得 50%。\n}\n"
    result = gift_to_pack(gift, INFO, TAXONOMY)
    assert result.ok, result.errors
    q = questions(result.markdown)["n"]
    assert "得 50%" not in q.spec["explanation"] and "对！" in q.spec["explanation"]
    assert any(i.line == 1 and "partial credit" in i.en for i in result.warnings)
