"""The content-format document, rendered once per change for the editor's side and /authoring/format, in the
user's language: docs/content-format.zh.md for Chinese (docs/content-format.md where it is missing),
docs/content-format.md for English.

The Markdown files are written to be read in git as well; rendered inside the app, three things change:
the line that links to the other language goes (the locale chooses the document), a fenced example with a
file name (```` ```markdown title="quizzes/x/index.md" ````, which Python-Markdown would not take for a
fence) becomes the file name and a code block, and an image beside the document (`images/x.png`), which
the app cannot serve, becomes its alt text in brackets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import nh3
from flask_babel import get_locale
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from drill.content.rules.render import ATTRIBUTES, TAGS
from drill.paths import project_dir

HEADINGS = ("h1", "h2", "h3", "h4")
ENGLISH = "content-format.md"
BY_LANGUAGE = {"zh": "content-format.zh.md", "en": ENGLISH}
# "中文：[content-format.zh.md](content-format.zh.md)" / "English: [content-format.md](content-format.md)"
LANGUAGE_LINE = re.compile(r"\A(?:English|中文)\s*[:：][^\n]*\]\(content-format(?:\.zh)?\.md\)[^\n]*\n+")
TITLED_FENCE = re.compile(
    r'^(?P<fence>`{3,}|~{3,})(?P<lang>[\w#.+-]*)[ ]+title="(?P<title>[^"\n]+)"[ ]*$', re.M
)

# path → (modification time, HTML): one entry per document, replaced when its file changes.
_cache: dict[str, tuple[float, str]] = {}


def doc_path(language: str | None = None) -> Path:
    """The document for `language` (default: the current locale's); the English one where there is none."""
    if language is None:
        locale = get_locale()
        language = locale.language if locale is not None else "en"
    docs = project_dir("docs")
    chosen = docs / BY_LANGUAGE.get(language, ENGLISH)
    return chosen if chosen.is_file() else docs / ENGLISH


class _RelativeImages(Treeprocessor):
    """`![说明](images/x.png)` → "[说明]": the document's images are not served by the app."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index in reversed(range(len(parent))):
                image = parent[index]
                if image.tag != "img" or not _relative(image.get("src", "")):
                    continue
                text = f"[{image.get('alt') or image.get('src')}]" + (image.tail or "")
                if index:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + text
                else:
                    parent.text = (parent.text or "") + text
                parent.remove(image)


def _relative(src: str) -> bool:
    return not urlsplit(src).scheme and not src.startswith("/")


class _FormatDoc(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline processor (20), which makes the <img> elements.
        md.treeprocessors.register(_RelativeImages(md), "relative_images", 15)


def prepare(source: str) -> str:
    """The Markdown as the app renders it: no language line, titled fences as a file name and a fence."""
    source = LANGUAGE_LINE.sub("", source, count=1)
    return TITLED_FENCE.sub(lambda m: f"`{m['title']}`\n\n{m['fence']}{m['lang']}", source)


def render(source: str) -> str:
    raw = markdown.markdown(
        prepare(source),
        extensions=["tables", "fenced_code", "sane_lists", "toc", _FormatDoc()],
        # Chinese headings keep their characters in their ids, as on GitHub: `[题型](#题型与计分)` works.
        extension_configs={"toc": {"slugify": slugify_unicode}},
    )
    attributes = {**ATTRIBUTES, **{h: {"id"} for h in HEADINGS}}
    # The document ships with drill, but it is sanitised like a pack all the same.
    return nh3.clean(raw, tags=TAGS, attributes=attributes, link_rel="noopener noreferrer")


def format_html() -> str | None:
    """The document in the current locale as safe HTML, or None where it is not installed."""
    path = doc_path()
    try:
        mtime = path.stat().st_mtime
        cached = _cache.get(str(path))
        if cached is None or cached[0] != mtime:
            cached = _cache[str(path)] = (mtime, render(path.read_text(encoding="utf-8")))
    except OSError:
        return None
    return cached[1]
