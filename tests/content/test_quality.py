"""Content-quality warnings: a key that gives itself away by its length, a stem asked twice, an
explanation that only restates the answer."""

from tests.content.conftest import check

FRONT = "---\nid: {id}\ntitle: 质量\ntheme: service-qa\nlevel: junior\n---\n\n"

LONG_KEY = """## {qid}
类型: 单选

客户投诉处理的第一步是什么？

- [x] 先耐心倾听客户的完整诉求并表示理解，记录要点后再核实事实
- [ ] 解释
- [ ] 道歉
- [ ] 转交

解析: 先听完、表示理解再核实，客户才会觉得被重视；一上来解释或转交，会让客户觉得在推诿。
"""

RESTATED = """## {qid}
类型: 判断

受理投诉后应当在承诺时限内回复客户。

答案: 对

解析: 对。
"""


def warnings_of(write_pack, *texts):
    paths = [write_pack(FRONT.format(id=f"q{i}") + text, name=f"q{i}.md") for i, text in enumerate(texts)]
    return [p.message for p in check(*paths).warnings]


def test_a_right_option_far_longer_than_the_wrong_ones_is_warned(write_pack):
    warned = warnings_of(write_pack, LONG_KEY.format(qid="k-001"))
    assert any("`k-001`: the right option is much longer than the others" in m for m in warned)


def test_the_same_stem_in_two_packs_is_warned_at_the_second(write_pack):
    warned = warnings_of(write_pack, LONG_KEY.format(qid="d-001"), LONG_KEY.format(qid="d-002"))
    assert any("`d-002`: the same stem as `d-001`" in m for m in warned)
    assert not any("`d-001`: the same stem" in m for m in warned)


def test_an_explanation_that_only_restates_the_answer_is_warned(write_pack):
    warned = warnings_of(write_pack, RESTATED.format(qid="r-001"))
    assert any("`r-001`: the explanation only restates the answer" in m for m in warned)
    full = RESTATED.format(qid="r-002").replace(
        "解析: 对。", "解析: 承诺了就要兑现，逾期不回复会让小问题升级为二次投诉。"
    )
    assert not any("restates" in m for m in warnings_of(write_pack, full))
