"""Markdown → safe HTML: the `markdown` package, then nh3 under a strict allowlist.

No script, style, iframe, form, object or SVG survives; no `on*` handler, `style` or `class` attribute;
links only http, https, mailto, app paths (`/...`) and files of the pack; images only files of the pack
or app paths — never an outside address (the intranet cannot reach one) and never `javascript:`/`data:`.
Relative links are rewritten by a resolver to the app URL that serves the pack's assets.
"""

from __future__ import annotations

import html
import posixpath
import re
import threading
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown
import nh3

Resolver = Callable[[str], str | None]  # a file path relative to the pack → its app URL (None: refuse)

EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins",
    "sub", "sup", "mark", "small", "abbr", "kbd", "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt",
    "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "img", "span",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "abbr": {"title"},
}
SCHEMES = {"http", "https", "mailto"}
_UNSAFE_CHARS = re.compile(r"[\\\x00-\x1f\x7f]")


def pack_path(href: str) -> str | None:
    """The normalised pack-relative file path of a relative link, or None if it leaves the pack."""
    path = unquote(urlsplit(href).path)
    if not path or path.startswith("/") or _UNSAFE_CHARS.search(path):
        return None
    normal = posixpath.normpath(path)
    return None if normal == ".." or normal.startswith("../") else normal


def is_relative(href: str) -> bool:
    parts = urlsplit(href.strip())
    return not parts.scheme and not parts.netloc and not href.strip().startswith(("/", "#"))


def safe_url(tag: str, value: str, resolve: Resolver | None) -> str | None:
    value = value.strip()
    if not value or _UNSAFE_CHARS.search(value) or value.startswith("//"):
        return None
    parts = urlsplit(value)
    if parts.scheme:
        # nh3 already dropped every scheme outside SCHEMES; images must still come from the app.
        return None if tag == "img" else value
    if value.startswith("/") or (tag == "a" and value.startswith("#")):
        return value
    path = pack_path(value)
    if path is None or resolve is None:
        return None
    url = resolve(path)
    if url is None:
        return None
    return f"{url}#{parts.fragment}" if parts.fragment and tag == "a" else url


def sanitize(raw_html: str, resolve: Resolver | None = None) -> str:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) in {("a", "href"), ("img", "src")}:
            return safe_url(tag, value, resolve)
        return value

    return nh3.clean(
        raw_html,
        tags=TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math", "template"},
        attributes=ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


_converters = threading.local()


def to_html(source: str) -> str:
    """Markdown → HTML, unsanitised: only for `sanitize` or for reading the links out of it.

    Building a `markdown.Markdown` (its extensions and pattern registries) costs more than converting a
    question, so each thread keeps one and resets it between documents (an instance is not thread-safe)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS
        )
    return converter.reset().convert(source)


# Characters that may make Markdown more than one paragraph of the same text (emphasis, links, code,
# lists, headings, tables, entities, HTML); a line with none of them, and no whitespace but single spaces
# inside it, renders as `<p>line</p>` — as a property test checks against the full path.
_MARKUP = re.compile(r"""[\\`*_{}\[\]()#+\-.!<>&|~:="']""")


def render_markdown(source: str, resolve: Resolver | None = None) -> str:
    """Trusted-format, untrusted-content Markdown (a pack) → safe HTML."""
    text = source.strip()
    if not text:
        return ""
    if source.rstrip("\n") == text and text.isprintable() and _MARKUP.search(text) is None:  # options, cells
        return f"<p>{text}</p>"
    return sanitize(to_html(source), resolve)


def render_answer(text: str) -> str:
    """What a manager typed → safe HTML. Escaped first, so any HTML in it shows as text; Markdown
    emphasis, lists and line breaks still work. Only app paths may be linked; no images load."""
    escaped = html.escape(text, quote=False)
    return sanitize(to_html(escaped), resolve=None) if text.strip() else ""


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in {("a", "href"), ("img", "src")} and value is not None:
                self.links.append((tag, value))


# Markdown makes an `a` or `img` only from `[..](..)`, `[..][..]`, a `[..]: url` definition, an autolink
# `<http://..>` or raw HTML; a source without `<` and without `]` followed by `(`, `[` or `:` has none.
_MAY_LINK = re.compile(r"<|\]\s*[(\[:]")


def links(source: str) -> list[tuple[str, str]]:
    """Every (tag, url) that a Markdown source links to: `a` hrefs and `img` srcs, before sanitising."""
    if _MAY_LINK.search(source) is None:
        return []
    collector = _LinkCollector()
    collector.feed(to_html(source))
    collector.close()
    return collector.links
