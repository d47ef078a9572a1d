"""HTML (GIFT `[html]` texts, Moodle exports) → Markdown, as far as a question needs.

Paragraphs, line breaks, bold, italics, code, lists, links, tables, quotes and images become Markdown;
`<br>`, `<u>`, `<sub>` and `<sup>` stay as inline HTML, which drill's sanitiser keeps. Headings become bold
paragraphs (a `##` would end the question). Scripts, styles and embedded objects are dropped; images that
are not files beside the pack become links or their alt text. Each such loss is returned as a note.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {"p", "div", "section", "article", "header", "footer", "figure", "figcaption", "center", "address"}
DROPPED = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "template",
    "form",
    "video",
    "audio",
}
KEPT_INLINE = {"u", "sub", "sup"}
MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}
_SPECIAL = re.compile(r"([\\`*_{}\[\]<])")


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.notes: list[str] = []
        self.lists: list[list] = []  # [tag, counter]
        self.links: list[str | None] = []
        self.skip = 0
        self.pre = 0
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None

    # Writing ---------------------------------------------------------------------------------------
    def write(self, text: str) -> None:
        (self.cell if self.cell is not None else self.out).append(text)

    def block(self) -> None:
        if self.cell is None:
            self.out.append("\n\n")

    # Parsing ---------------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag in DROPPED:
            self.skip += 1
            self.notes.append(f"<{tag}>")
        elif self.skip:
            return
        elif tag in BLOCKS or tag in {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}:
            self.block()
            self.write("**" if tag.startswith("h") else "> " if tag == "blockquote" else "")
        elif tag == "br":
            self.write("<br>" if self.cell is not None else "<br>\n")
        elif tag in MARKS:
            self.write(MARKS[tag])
        elif tag in KEPT_INLINE:
            self.write(f"<{tag}>")
        elif tag in {"s", "strike", "del"}:
            self.write("<del>")
        elif tag in {"ul", "ol"}:
            if not self.lists:
                self.block()
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            indent = "    " * (len(self.lists) - 1)
            marker = f"{self.lists[-1][1]}." if self.lists[-1][0] == "ol" else "-"
            self.write(f"\n{indent}{marker} ")
        elif tag == "pre":
            self.block()
            self.write("```\n")
            self.pre += 1
        elif tag == "a":
            self.links.append(attr.get("href"))
            self.write("[")
        elif tag == "img":
            self.image(attr.get("src", ""), attr.get("alt", ""))
        elif tag == "hr":
            self.block()
            self.write("* * *")
            self.block()
        elif tag == "table":
            self.block()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in {"td", "th"} and self.table is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.write("**")
            self.block()
        elif tag in BLOCKS or tag == "blockquote":
            self.block()
        elif tag in MARKS:
            self.write(MARKS[tag])
        elif tag in KEPT_INLINE:
            self.write(f"</{tag}>")
        elif tag in {"s", "strike", "del"}:
            self.write("</del>")
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            if not self.lists:
                self.block()
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.write("\n```")
            self.block()
        elif tag == "a" and self.links:
            href = self.links.pop()
            self.write(f"]({href})" if href else "]")
        elif tag in {"td", "th"} and self.cell is not None and self.table:
            self.table[-1].append(" ".join("".join(self.cell).split()).replace("|", "\\|"))
            self.cell = None
        elif tag == "table" and self.table is not None:
            rows, self.table = [r for r in self.table if r], None
            if rows:
                width = max(len(r) for r in rows)
                rows = [r + [""] * (width - len(r)) for r in rows]
                lines = [rows[0], ["---"] * width, *rows[1:]]
                self.out.append("\n".join("| " + " | ".join(r) + " |" for r in lines))
            self.block()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.write(data)
            return
        text = re.sub(r"\s+", " ", data)
        self.write(_SPECIAL.sub(lambda m: "&lt;" if m.group(1) == "<" else "\\" + m.group(1), text))

    def image(self, src: str, alt: str) -> None:
        src = src.strip()
        label = alt.strip() or src.rsplit("/", 1)[-1] or "图片"
        if src.startswith(("http://", "https://")):
            self.write(f"[图片：{label}]({src})")
            self.notes.append(f"<img src={src[:60]}>")
        elif (
            not src
            or "@@PLUGINFILE@@" in src
            or src.startswith(("data:", "/", "//"))
            or ":" in src.split("/")[0]
        ):
            self.write(f"[图片：{label}]")
            self.notes.append(f"<img src={src[:60]}>")
        else:
            self.write(f"![{alt.strip()}]({src})")


def html_to_markdown(html: str) -> tuple[str, list[str]]:
    """(Markdown, the things that could not be kept: dropped elements and images not beside the pack)."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    lines, in_code = [], False
    for line in "".join(converter.out).split("\n"):
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and not re.match(r"^ +(?:-|\d+\.) ", line):
            line = line.strip()
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), converter.notes


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>", text))
