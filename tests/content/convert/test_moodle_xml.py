"""Moodle XML in: Moodle's own fixture (samples/moodle/nested_categories_with_questions.xml) and a file of
every question type in Moodle's export shape (samples/all_types.xml) — every question accounted for, the
same guarantees as GIFT (weights scored as Moodle scores them, feedback kept, text escaped), problems at
their XML line."""

import pytest

from drill.content.convert import PackInfo
from drill.content.convert.moodle_xml import moodle_xml_to_pack
from drill.content.rules.check import check_paths
from drill.content.rules.questions import render_spec, score
from drill.content.rules.render import render_markdown
from tests.content.conftest import TAXONOMY_PATH
from tests.content.convert.conftest import INFO, SAMPLES, TAXONOMY, questions

ALL_TYPES = (SAMPLES / "all_types.xml").read_text(encoding="utf-8")
NESTED = (SAMPLES / "moodle" / "nested_categories_with_questions.xml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.fixture(scope="module")
def result():
    return moodle_xml_to_pack(ALL_TYPES, INFO, TAXONOMY, "all_types.xml")


@pytest.fixture(scope="module")
def qs(result):
    assert result.ok, [i.located() for i in result.errors]
    return {q.id: render_spec(q.spec, render_markdown) for q in questions(result.markdown).values()}


def test_every_question_is_converted_or_reported_at_its_line(result, qs, tmp_path):
    assert sorted(qs) == ["essay", "hometown", "match", "rate", "short", "tf", "tomb"]
    cloze = line_of(ALL_TYPES, 'type="multianswer"')
    assert any(i.line == cloze and "`multianswer`" in i.en for i in result.warnings)
    assert "本题库练习**贷前调查**。" in result.markdown  # the description: the pack's introduction
    target = tmp_path / "quizzes" / "moodle.md"
    target.parent.mkdir()
    target.write_text(result.markdown, encoding="utf-8")
    report = check_paths([target], taxonomy_path=TAXONOMY_PATH)
    assert report.ok, [p.text() for p in report.errors]


def test_a_single_answer_question_keeps_its_fractions_feedback_points_and_tags(qs):
    spec = qs["hometown"]
    assert spec["points"] == 2 and spec["shuffle"] is False
    assert [(o["text"], o.get("weight")) for o in spec["options"]] == [
        ("耶路撒冷", 0),
        ("伯利恒", 25),
        ("拿撒勒", 100),
    ]
    ids = {o["text"]: o["id"] for o in spec["options"]}
    assert score(spec, ids["伯利恒"]).earned == 0.5  # 25% of 2 points, as its feedback says
    assert spec["explanation"].startswith("拿撒勒。") and "出生在这里，得 25%。" in spec["explanation"]


def test_several_answers_with_a_penalty_score_as_in_moodle_and_plain_text_stays_text(qs):
    spec = qs["tomb"]
    assert spec["type"] == "multiple" and spec["scoring"] == "weighted"
    ids = {o["text"]: o["id"] for o in spec["options"]}
    assert score(spec, [ids["格兰特"], ids["\\- 格兰特的妻子"]]).earned == 1
    assert score(spec, [ids["格兰特"], ids["没有人"]]).earned == 0
    assert render_markdown(spec["stem"]) == "<p>谁葬在 #1 号墓？{两人}</p>"
    assert "<li>" not in render_markdown(spec["options"][2]["text"])  # `- 格兰特的妻子` is not a list


def test_true_false_short_answer_numeric_matching_and_essay(qs):
    assert qs["tf"]["answer"] is True and "- 选“错”：看看日出。" in qs["tf"]["explanation"]
    assert score(qs["short"], "检查").earned == 0.5 and score(qs["short"], "贷后检查").earned == 1
    rate = qs["rate"]
    assert (rate["answer"], rate["tolerance"], rate["unit"]) == ("17.1", "0.05", "%")
    assert "- 其他答案：再算一遍。" in rate["explanation"]
    rights = {r["id"]: r["text"] for r in qs["match"]["rights"]}
    assert [(p["text"], rights[p["right"]]) for p in qs["match"]["pairs"]] == [
        ("抵押物价值下跌", "追加担保"),
        ("客户经营恶化", "提前收回"),
    ]
    assert "提高利率" in rights.values()
    essay = qs["essay"]
    assert essay["reference"] == "核实身份；测算还款来源。" and essay["explanation"] == "真实性是核心。"


def test_moodles_nested_categories_fixture_converts_every_question_with_its_category():
    result = moodle_xml_to_pack(
        NESTED, PackInfo(id="nested", title="嵌套", theme="案例分析", level="初级"), TAXONOMY
    )
    assert result.ok, [i.located() for i in result.errors]
    qs = questions(result.markdown)
    assert {q.id: q.tags for q in qs.values()} == {
        "iota-question": ["Iota"],
        "kappa-essay-question": ["Kappa"],
        "kappa-question": ["Kappa"],
        "lambda-question": ["Lambda"],
        "mu-question": ["Mu"],
    }
    assert qs["iota-question"].spec["answer"] is True
    named = line_of(NESTED, "<text>Iota Question</text>") - 2  # the <question> element's line
    assert any(i.line == named and "`Iota Question` became the id" in i.en for i in result.warnings)


def test_broken_xml_and_unknown_documents_are_reported_not_raised():
    broken = moodle_xml_to_pack("<quiz>\n<question type='truefalse'>\n</quiz>", INFO, TAXONOMY)
    assert broken.markdown is None and broken.errors[0].line == 3
    other = moodle_xml_to_pack("<html/>", INFO, TAXONOMY)
    assert other.markdown is None and "no <quiz>" in other.errors[0].en
    bad = ALL_TYPES.replace('fraction="25"', 'fraction="x"')
    refused = moodle_xml_to_pack(bad, INFO, TAXONOMY)
    assert refused.markdown is None
    assert [e.line for e in refused.errors] == [line_of(bad, 'fraction="x"')]
