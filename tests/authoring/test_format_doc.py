"""The format document beside the editor and at /authoring/format: in the trainer's language, without
broken images, and re-rendered when its file changes."""

import io
import os
import re

import pytest
from flask_babel import force_locale

from drill.authoring import formatdoc
from tests.authoring.conftest import PACK

IMG = re.compile(r"<img\b[^>]*>")
ZH = ('<h2 id="文件与文件夹">文件与文件夹</h2>', "drill 内容包格式")
EN = ('<h2 id="files-and-folders">Files and folders</h2>', "drill content format")


def signed_in(client, login, make_user, locale):
    login(make_user(f"t-{locale}", roles={"trainer"}, locale=locale))
    return client


@pytest.mark.parametrize(("locale", "shown", "hidden"), [("zh_CN", ZH, EN), ("en", EN, ZH)])
def test_the_format_page_is_in_the_trainers_language(client, login, make_user, locale, shown, hidden):
    html = signed_in(client, login, make_user, locale).get("/authoring/format").get_data(as_text=True)
    assert all(text in html for text in shown)
    assert not any(text in html for text in hidden)
    # No broken image: the example linking images/loans.png is code, written as a trainer types it.
    assert not re.search(r'<img\b[^>]*src="images/', html)
    assert not IMG.search(html.split('class="format-doc"', 1)[1])
    assert "<code>quizzes/example-credit/index.md</code></p>\n<pre><code>---\nid: example-credit" in html
    assert "![1—2 月新增贷款](images/loans.png)" in html
    # The line that links to the other language is for readers of the file, not for the app.
    assert "content-format.zh.md" not in html and "content-format.md)" not in html


@pytest.mark.parametrize(("locale", "shown", "hidden"), [("zh_CN", ZH, EN), ("en", EN, ZH)])
def test_the_editor_shows_the_document_in_the_trainers_language(
    client, login, make_user, locale, shown, hidden
):
    signed_in(client, login, make_user, locale)
    response = client.post(
        "/authoring/upload",
        data={"file": (io.BytesIO(PACK.encode()), "auth-demo.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert all(text in html for text in shown)
    assert not any(text in html for text in hidden)
    assert not re.search(r'<img\b[^>]*src="images/', html)


def test_the_chinese_document_links_resolve_to_its_headings(app):
    for name in ("content-format.md", "content-format.zh.md"):
        html = formatdoc.render((formatdoc.project_dir("docs") / name).read_text(encoding="utf-8"))
        ids = set(re.findall(r' id="([^"]+)"', html))
        anchors = re.findall(r'href="#([^"]+)"', html)
        assert len(anchors) >= 10
        assert set(anchors) <= ids, (name, set(anchors) - ids)


def test_an_image_beside_the_document_becomes_its_alt_text():
    html = formatdoc.render(
        "见 ![1—2 月新增贷款](images/loans.png) 和 ![](data/x.png)。\n\n![远程](https://a.example/b.png)\n"
    )
    assert "见 [1—2 月新增贷款] 和 [data/x.png]。" in html
    assert IMG.findall(html) == ['<img alt="远程" src="https://a.example/b.png">']


@pytest.fixture
def docs(tmp_path, monkeypatch):
    monkeypatch.setattr(formatdoc, "project_dir", lambda _name: tmp_path)
    monkeypatch.setattr(formatdoc, "_cache", {})
    (tmp_path / "content-format.md").write_text("# Format\n", encoding="utf-8")
    return tmp_path


def html_in(app, locale):
    with app.test_request_context(), force_locale(locale):
        return formatdoc.format_html()


def test_chinese_falls_back_to_the_english_document(app, docs):
    assert "<h1" in html_in(app, "zh_CN") and ">Format</h1>" in html_in(app, "zh_CN")
    (docs / "content-format.md").unlink()
    assert html_in(app, "zh_CN") is None and html_in(app, "en") is None


def test_each_document_is_cached_and_rendered_again_when_it_changes(app, docs):
    chinese = docs / "content-format.zh.md"
    chinese.write_text("English: [content-format.md](content-format.md)\n\n# 格式\n", encoding="utf-8")
    assert ">格式</h1>" in html_in(app, "zh_CN") and "content-format.md" not in html_in(app, "zh_CN")
    assert ">Format</h1>" in html_in(app, "en")
    assert set(formatdoc._cache) == {str(chinese), str(docs / "content-format.md")}
    chinese.write_text("# 新格式\n", encoding="utf-8")
    stat = chinese.stat()
    os.utime(chinese, (stat.st_atime, stat.st_mtime + 5))
    assert ">新格式</h1>" in html_in(app, "zh_CN")
    assert ">Format</h1>" in html_in(app, "en")
