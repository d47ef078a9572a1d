"""Near-copies are found among free-text answers; independent answers are not flagged."""

import pytest

from drill.integrity.rules import similarity
from tests.integrity.answers import seeded_set


@pytest.mark.parametrize("seed", [3, 7, 21])
def test_a_seeded_set_finds_every_copied_pair_and_no_independent_one(seed):
    texts, copied = seeded_set(seed, originals=150, copies=25)
    found = {frozenset((p.a, p.b)) for p in similarity.similar_pairs(texts)}
    assert copied <= found, f"missed {copied - found}"
    assert found <= copied, f"flagged independent answers {found - copied}"


def test_pairs_come_most_similar_first_with_the_first_given_as_a():
    base = "客户经理应当首先核实企业的现金流和负债情况，再评估抵押物的价值和变现能力，并做好贷后管理。"
    texts = {
        "x": base,
        "y": base.replace("首先", "先"),
        "z": base.replace("首先", "先").replace("再评估", "然后评估").replace("贷后", "日常"),
        "w": "零售户的陈列要整齐，价格标签清楚，诚信经营，不销售假冒卷烟，按时订货并保持店面整洁干净。",
    }
    pairs = similarity.similar_pairs(texts)
    assert [(p.a, p.b) for p in pairs] == [("x", "y"), ("y", "z"), ("x", "z")]
    assert pairs[0].similarity > pairs[1].similarity > pairs[2].similarity >= similarity.THRESHOLD


def test_full_width_punctuation_spaces_and_case_do_not_hide_a_copy():
    a = "Customer managers should visit the client, check cash flow and debts, then set the credit limit."
    b = "CUSTOMER   managers should visit the client; check cash-flow and debts — then set the credit limit!"
    assert similarity.similar_pairs({"a": a, "b": b}, threshold=0.9)[0].similarity == 1.0


def test_short_identical_answers_are_not_evidence_of_copying():
    assert similarity.similar_pairs({"a": "同意该方案", "b": "同意该方案"}) == []


def test_quoting_the_question_is_not_counted_as_copying():
    question = "请说明客户经理在贷前调查中应当核实哪些内容，以及如何评估企业的还款能力和还款意愿。"
    a = question + "我会查看三年财报。"
    b = question + "重点走访厂房仓库。"
    assert similarity.similar_pairs({"a": a, "b": b}) != []
    assert similarity.similar_pairs({"a": a, "b": b}, ignore=question) == []


def test_the_overlap_marks_the_shared_passages_of_each_text():
    a = "我认为应当先核实企业的现金流，然后再看抵押物。"
    b = "首先核实企业的现金流，这是关键。"
    segments = similarity.overlap(a, b)
    assert "".join(s.text for s in segments) == a
    assert [s.text for s in segments if s.shared] == ["先核实企业的现金流"]


def test_identical_wrong_answers_on_several_questions_are_paired():
    wrong = {
        "p1": {"q1": "B", "q2": "C", "q3": "A", "q4": "D"},
        "p2": {"q1": "B", "q2": "C", "q3": "A"},
        "p3": {"q1": "C", "q5": "A"},
        "p4": {"q2": "D", "q3": "B"},
    }
    pairs = similarity.shared_wrong_answers(wrong)
    assert [(p.a, p.b, p.shared, p.similarity) for p in pairs] == [("p1", "p2", ("q1", "q2", "q3"), 1.0)]


def test_a_wrong_answer_most_candidates_give_is_a_misconception_not_evidence():
    wrong = {f"p{i}": {"q1": "B", "q2": "C", "q3": "A"} for i in range(8)}
    assert similarity.shared_wrong_answers(wrong) == []
