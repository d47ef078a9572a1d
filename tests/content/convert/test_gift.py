"""GIFT in: the wide sample (samples/full.gift), every feature asserted; broken GIFT reported by line."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.content.convert import PackInfo, gift_to_pack
from drill.content.convert.html2md import html_to_markdown
from drill.content.rules.check import check_paths
from drill.content.rules.render import render_markdown
from tests.content.conftest import TAXONOMY_PATH
from tests.content.convert.conftest import INFO, SAMPLES, TAXONOMY, issues_at, questions

SAMPLE = (SAMPLES / "full.gift").read_text(encoding="utf-8")


def line_of(fragment: str) -> int:
    return next(n for n, line in enumerate(SAMPLE.splitlines(), start=1) if fragment in line)


@pytest.fixture(scope="module")
def result():
    return gift_to_pack(SAMPLE, INFO, TAXONOMY, "full.gift")


@pytest.fixture(scope="module")
def qs(result):
    assert result.ok, result.errors
    return questions(result.markdown)


def test_the_sample_converts_without_error_and_passes_drill_check(result, tmp_path):
    assert result.ok and not result.errors
    path = tmp_path / "quizzes" / "sample.md"
    path.parent.mkdir()
    path.write_text(result.markdown, encoding="utf-8")
    report = check_paths([path], taxonomy_path=TAXONOMY_PATH)
    assert report.ok, report.errors


def test_question_names_become_ids_unique_and_generated_where_needed(result, qs):
    assert list(qs)[:3] == ["credit-single", "credit-multi", "approx-multi"]
    assert "credit-single-2" in qs  # a second `::credit-single::`
    assert "from-comment" in qs  # `// [id:from-comment]` without a name
    assert qs["sample-025"].spec["stem"] == "没有名称的题目自动编号。"  # no name: <pack id>-<number>
    assert qs["sample-026"].spec["stem"] == "中文名称不能作为编号。"
    assert any("贷前调查" in m and "cannot be an id" in m for m in issues_at(result, line_of("::贷前调查::")))
    assert any("renamed credit-single-2" in m for m in issues_at(result, line_of("同名的题目")))


def test_comments_are_ignored_and_blank_lines_separate_questions(qs):
    assert len(qs) == 28
    assert all("//" not in q.spec["stem"] for q in qs.values())


def test_single_choice_with_feedback_and_general_feedback(qs):
    q = qs["credit-single"]
    assert q.type == "single"
    assert q.spec["stem"] == "贷前调查中，客户经理**首先**应核实的是："  # [markdown], multi-line question
    assert [(o["text"], o["correct"]) for o in q.spec["options"]] == [
        ("借款人身份与经营情况的真实性", True),
        ("借款人的兴趣爱好", False),
        ("借款人亲属的收入", False),
    ]
    assert q.spec["explanation"].startswith("贷前调查的核心是“真实性”。")  # #### general feedback
    assert "- 选「借款人身份与经营情况的真实性」：对，真实性是核心。" in q.spec["explanation"]  # #feedback
    assert "- 选「借款人的兴趣爱好」：与还款能力无关。" in q.spec["explanation"]


def test_equal_weights_with_full_penalties_become_the_partial_rule_and_other_weights_are_kept(result, qs):
    q = qs["credit-multi"]
    assert q.type == "multiple" and q.spec["scoring"] == "partial"
    assert [o["correct"] for o in q.spec["options"]] == [True, True, False]
    assert not issues_at(result, line_of("::credit-multi::"), "warning")[:-1]  # only "no explanation"
    weighted = qs["approx-multi"].spec
    assert weighted["scoring"] == "weighted"
    assert [(o["correct"], o["weight"]) for o in weighted["options"]] == [(True, 70), (True, 30), (False, 0)]
    assert len(issues_at(result, line_of("::approx-multi::"), "warning")) == 1  # only "no explanation"


def test_a_partial_credit_option_of_a_single_choice_keeps_its_weight(result, qs):
    options = qs["partial-single"].spec["options"]
    assert [(o["correct"], o["weight"]) for o in options] == [(True, 100), (False, 50), (False, 0)]


def test_true_false_in_every_spelling_with_feedback(qs):
    assert [qs[i].spec["answer"] for i in ("tf-t", "tf-true", "tf-f", "tf-false")] == [
        True,
        True,
        False,
        False,
    ]
    assert (
        qs["tf-true"].spec["explanation"]
        == "- 选“对”：对，权属清晰才能处置。\n- 选“错”：错了，权属不清无法处置。"
    )
    assert qs["tf-false"].spec["explanation"] == "任何情况下都不能代签。"


def test_short_answer_becomes_a_blank_with_partial_credit_answers_and_wildcards_are_reported(result, qs):
    q = qs["short"]
    assert q.type == "blank"
    assert q.spec["blanks"] == [{"answers": ["贷后检查", "贷后管理", "贷后*"], "partial": {"检查": 50}}]
    assert q.spec["stem"].endswith("放款之后的一查是什么？{{贷后检查|贷后管理|检查=50%|贷后*}}")
    assert q.spec["explanation"] == "- 答“贷后管理”：也可以"
    messages = issues_at(result, line_of("::short::"))
    assert any("wildcard `*`" in m for m in messages)


def test_missing_word_puts_a_blank_or_a_gap_in_place(qs):
    assert (
        qs["missing-blank"].spec["stem"] == "信贷业务的“三查”是指贷前调查、{{贷时审查|贷中审查}}和贷后检查。"
    )
    assert qs["missing-choice"].spec["stem"] == r"抵押率一般不超过\_\_\_\_\_的评估价值。"
    assert qs["missing-choice"].type == "single"


def test_numeric_tolerance_range_and_several_answers(result, qs):
    tol, rng, multi = (qs[i].spec for i in ("num-tol", "num-range", "num-multi"))
    assert (Decimal(tol["answer"]), Decimal(tol["tolerance"])) == (Decimal("3.14"), Decimal("0.01"))
    assert tol["explanation"] == "π ≈ 3.14159。"
    assert (Decimal(rng["answer"]), Decimal(rng["tolerance"])) == (3, 2)  # {#1..5}
    assert (Decimal(multi["answer"]), Decimal(multi["tolerance"])) == (2000, 0)
    assert "- 其他答案：再想想" in multi["explanation"]
    assert any("several numeric answers" in m for m in issues_at(result, line_of("::num-multi::")))


def test_matching_with_a_distractor(qs):
    spec = qs["match"].spec
    rights = {r["id"]: r["text"] for r in spec["rights"]}
    assert [(p["text"], rights[p["right"]]) for p in spec["pairs"]] == [
        ("抵押物价值下跌", "追加担保"),
        ("客户经营恶化", "提前收回贷款"),
        ("资金被挪用", "加强用途监控"),
    ]
    assert "提高利率" in rights.values() and spec["explanation"] == "提高利率不能化解上述任何风险。"


def test_essays_become_open_questions_with_the_reference_answer(qs):
    assert qs["essay"].type == "open" and qs["essay"].spec["reference"] == ""
    ref = qs["essay-ref"].spec
    assert ref["reference"] == "核实资金用途、经营变化和担保情况。" and ref["explanation"] == "三者缺一不可。"


def test_a_description_becomes_the_introduction_and_is_reported(result):
    assert "这是一段说明文字（description），没有答案块。" in result.markdown.split("## credit-single")[0]
    assert any("description" in m for m in issues_at(result, line_of("这是一段说明文字")))


def test_text_formats(result, qs):
    html = qs["fmt-html"].spec
    assert html["stem"] == "下列做法**正确**的是：\n\n[图片：图表]"  # [html] converted to Markdown
    assert [o["text"] for o in html["options"]] == ["*受托支付*", "现金&lt;自行>支付"]  # [plain] answer
    reported = issues_at(result, line_of("::fmt-html::"))
    assert any("@@PLUGINFILE@@/chart.png" in m for m in reported) and any("<script>" in m for m in reported)
    assert qs["fmt-plain"].spec["stem"] == "哪个符号表示“小于”？&lt;br>不是标签。{{<}}"
    assert qs["fmt-moodle"].spec["stem"] == "客户经理\\*首先\\*应做什么？"  # literal text: no emphasis
    # a heading would end the question: escaped, so its text stays
    assert qs["fmt-markdown"].spec["stem"] == "\\## 小标题\n正文里的**加粗**与列表：\n\n- 第一项\n- 第二项"


def test_escapes_and_newlines(qs):
    assert qs["escapes"].spec["stem"] == "表达式 a = b ~ c # d 中的 {花括号} 与冒号: 都是字面字符。\n第二行。"


def test_categories_tags_and_drill_values(qs):
    assert qs["credit-single"].tags == ["贷前调查"]
    assert qs["after-category"].tags == ["贷后管理"]  # a later $CATEGORY
    meta = qs["meta"]
    assert meta.tags == ["贷前调查", "重点", "贷前"]
    assert (meta.points, meta.difficulty, meta.level, meta.competencies) == (
        2,
        4,
        "senior",
        ["risk-foresight"],
    )
    assert meta.spec["shuffle"] is False


def test_the_title_defaults_to_the_first_category():
    result = gift_to_pack(SAMPLE, PackInfo(id="s", theme="案例分析", level="初级"), TAXONOMY, "full.gift")
    assert "title: 贷前调查" in result.markdown
    plain = gift_to_pack(
        "题目？{T}", PackInfo(id="s", theme="案例分析", level="初级"), TAXONOMY, "我的题库.gift"
    )
    assert "title: 我的题库" in plain.markdown


def test_missing_front_matter_values_are_placeholders_reported_as_errors():
    result = gift_to_pack("题目？{T}", PackInfo(), TAXONOMY)
    assert result.markdown is not None and not result.ok
    assert "theme: 待填写" in result.markdown and "level: 待填写" in result.markdown
    assert {e.line for e in result.errors} == {0}
    assert any("no theme" in e.message for e in result.errors)


BROKEN = [
    ("题目{=甲 ~乙", 1, "never closed by `}`"),
    ("题目 =甲 ~乙}", 1, "a `}` without its `{`"),
    ("第一行\n题目{=甲 ~乙}\n又一个{T}", 3, "one answer block"),
    ("::没有结束 题目{T}", 1, "`::name::` is never closed"),
    ("题目{~只有一个}", 1, "at least two answers"),
    ("题目{\n=甲\n=乙\n~丙\n}", 2, "exactly one full-credit `=` answer"),
    ("题目{~%-100%甲 ~乙}", 1, "no answer of this multiple-answer question has a positive weight"),
    ("题目{#abc}", 1, "must be written 3.14"),
    ("题目{#5..1}", 1, "must be written 3.14"),
    ("题目{#=%50%3}", 1, "no full-credit answer"),
    ("题目{\n=甲 -> 一\n=乙\n}", 3, "has no `->`"),
    ("题目{=甲 -> 一 = -> 二}", 1, "at least two pairs"),
    ("题目{=%50%甲}", 1, "no full-credit answer"),
    ("题目{=a|b}", 1, "may not be empty or hold |"),
    ("// drill: 分值: 零\n题目{T}", 1, "points `零`"),
    ("// drill: 能力: 飞行\n题目{T}", 1, "unknown competency `飞行`"),
    ("题目里的 `## 1` {=x}\n\n解析: 题干{T}", 3, "reads back differently"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN, ids=[b[2][:30] for b in BROKEN])
def test_broken_gift_is_reported_at_its_line_and_nothing_is_converted(text, line, message):
    result = gift_to_pack(text, INFO, TAXONOMY)
    assert result.markdown is None and not result.ok
    assert any(message in e.message and e.line == line for e in result.errors), result.errors


def test_every_problem_of_a_file_is_reported_at_once():
    result = gift_to_pack("一{=甲 ~乙\n\n二 }\n\n三{#x}", INFO, TAXONOMY)
    assert sorted(e.line for e in result.errors) == [1, 3, 5]


def test_html_to_markdown_keeps_structure_and_reports_losses():
    markdown, notes = html_to_markdown(
        "<p>a <strong>b</strong> <em>c</em></p><ol><li>one</li><li>two</li></ol><br>"
        '<a href="https://x.org/">x</a><img src="images/a.png" alt="A"><iframe src="x"></iframe>'
        "<table><tr><th>h</th></tr><tr><td>1|2</td></tr></table>"
    )
    assert markdown.splitlines()[:4] == ["a **b** *c*", "", "1. one", "2. two"]
    assert "[x](https://x.org/)" in markdown and "![A](images/a.png)" in markdown
    assert "| h |\n| --- |\n| 1\\|2 |" in markdown
    assert notes == ["<iframe>"]


SNIPPETS = ["{", "}", "~", "=", "#", "####", "->", "::", "::q::", "\\", "\\{", "\\n", ":", "%50%", "%-100%",
            "T", "FALSE", "#1..5", "[html]", "[plain]", "<b>", "</p>", "$CATEGORY: a/b", "// drill: 分值: 2",
            "// [tag:x]", "\n", "\n\n", "题", "解析: ", "## ", "- [x] ", "{{", "}}", "|", "1. "]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=6)), max_size=40).map("".join))
def test_any_text_converts_or_is_reported_never_raises(text):
    result = gift_to_pack(text, INFO, TAXONOMY)
    last = max(len(text.splitlines()), 1)
    assert all(0 <= i.line <= last and i.message for i in result.issues)
    if result.ok:
        questions(result.markdown)


def test_options_that_look_like_markdown_structure_show_as_typed():
    gift = "::s::哪一项？{\n=\\#5 items\n~+ 5%\n~- 10%\n~1. 先调查\n~> 引用\n~---\n}\n"
    result = gift_to_pack(gift, INFO, TAXONOMY)
    assert result.ok, result.errors
    options = questions(result.markdown)["s"].spec["options"]
    shown = [render_markdown(o["text"]).removeprefix("<p>").removesuffix("</p>") for o in options]
    assert shown == ["#5 items", "+ 5%", "- 10%", "1. 先调查", "&gt; 引用", "---"]
    assert "- [x] \\#5 items" in result.markdown
