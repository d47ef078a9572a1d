"""Property tests: the parser never raises, whatever the text, and every problem points inside the file."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.content.rules.packs import parse_pack
from drill.content.rules.questions import public, render_spec, score
from drill.content.rules.render import (
    _LinkCollector,
    links,
    render_answer,
    render_markdown,
    sanitize,
    to_html,
)
from tests.content.conftest import load_shipped_taxonomy

TAXONOMY = load_shipped_taxonomy()
SNIPPETS = [
    "---",
    "...",
    "id: p",
    "title: t",
    "theme: case-analysis",
    "level: junior",
    "kind: case",
    "rubric: r",
    "competencies: [风险预判, x]",
    "a: &a [1]",
    "b: *a",
    "x: !!python/object:os.system",
    "  - nested:",
    "\t",
    "# 标题",
    "## q-1",
    "## 背景 / Background",
    "## 任务",
    "## 评分标准",
    "## 参考答案",
    "## 示例答案",
    "### task-1",
    "### example-1",
    "类型: 单选 | 分值: 2",
    "类型：多选｜计分：逐项",
    "类型: 判断",
    "类型: 填空",
    "类型: 数值 | 误差: 1%",
    "类型: 排序 | 计分: adjacent",
    "类型: 匹配",
    "类型: 问答 | 评分标准: r",
    "- [x] 甲",
    "- [ ] 乙",
    "- 【√】 丙",
    "答案: 对",
    "答案: 12.5 ± 0.1",
    "答案: 1e999",
    "{{甲|乙}}",
    "{{",
    "}}",
    "1. 一",
    "2、二",
    "- 甲 => 一",
    "- => 二",
    "| 编号 | 评分项 | 权重 | 好 | 差 |",
    "|---|---|---|---|---|",
    "| a | 甲 | 60 | 好 | 差 |",
    "| b | 乙 | 40 | | |",
    "得分: a=50, b=30",
    "得分：a＝99",
    "点评: 好",
    "解析: 因为",
    "参考答案: 要点",
    "```",
    "~~~",
    "![x](images/a.png)",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "",
    " ",
    "分值: 零",
    "难度: 9",
    "##q-2",
]
FRONT = "---\nid: p\ntitle: t\ntheme: case-analysis\nlevel: junior\n---\n"
body = st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=20)), max_size=60).map("\n".join)
structured = st.one_of(body, body.map(lambda text: FRONT + text))
kinds = st.sampled_from(["quiz", "case", "rubric", None])


def problems_inside(text: str, kind: str | None) -> None:
    pack = parse_pack(text, "f.md", kind, TAXONOMY)
    last = max(len(text.removeprefix("\ufeff").splitlines()), 1)
    for problem in pack.problems.items:
        assert 1 <= problem.line <= last, problem
        assert problem.message
    for question in pack.questions:
        spec = render_spec(question.spec, render_markdown)
        public(spec, 1)
        for response in (None, "", "x", [], ["x"], {"x": "y"}, 3, True):
            score(spec, response)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), kinds)
def test_any_text_parses_without_raising(text, kind):
    problems_inside(text, kind)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured, kinds)
def test_pack_like_text_parses_without_raising(text, kind):
    problems_inside(text, kind)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_answer_renders(text):
    assert "<script" not in render_answer(text).lower()


PLAINISH = st.text(alphabet=st.sampled_from(list("ab1 。，：客户\n\t\u3000\u00a0")), max_size=20)
MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("ab1 。，：客户\n\t\u3000\u00a0\\`*_{}[]()#+-.!<>&|~:=\"'/@%")), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(PLAINISH, MARKDOWNISH))
def test_the_shortcuts_for_plain_text_give_what_full_markdown_gives(text):
    assert render_markdown(text) == (sanitize(to_html(text)) if text.strip() else "")
    full = _LinkCollector()
    full.feed(to_html(text))
    assert links(text) == full.links  # text that cannot link is not converted to look
