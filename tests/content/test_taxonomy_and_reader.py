"""The taxonomy file and the reader: names resolve in three spellings, problems carry their lines."""

from drill.content.rules.problems import Problems
from drill.content.rules.reader import read_document
from drill.content.taxonomy import parse_taxonomy
from tests.content.broken import quiz


def test_terms_resolve_by_key_chinese_or_english_name(taxonomy):
    for spelling in ("risk-foresight", "风险预判", "Risk foresight", "RISK FORESIGHT", " 风险预判 "):
        assert taxonomy.competencies.resolve(spelling) == "risk-foresight"
    assert taxonomy.themes.resolve("数据整理与应用") == "data-application"
    assert taxonomy.themes.resolve("数据") is None
    assert len(taxonomy.themes.terms) == 7


def test_taxonomy_problems_point_at_their_entry():
    problems = Problems("taxonomy.yaml")
    text = "themes:\n  - key: a\n    zh: 甲\n    en: A\n  - key: b\n    zh: 甲\n    en: B\n"
    text += "  - key: Bad\n    zh: x\n"
    parse_taxonomy(text + "competencies: []\n", problems)
    assert [(p.line, p.message.split(";")[0]) for p in problems.items] == [
        (5, "`甲` is used twice in `themes`"),
        (8, "each entry of `themes` needs `key`, `zh` and `en` text values, got {'key': 'Bad', 'zh': 'x'}"),
        (10, "the taxonomy needs a `competencies:` list of entries with `key`, `zh` and `en`"),
    ]


def test_windows_line_endings_and_a_byte_order_mark_keep_the_line_numbers():
    problems = Problems("pack.md")
    text = "\ufeff" + quiz().replace("title: 坏题库", "title: [unclosed").replace("\n", "\r\n")
    doc = read_document(text, problems)
    assert [(p.line, p.message) for p in problems.items] == [
        (
            4,
            "bad YAML in the front matter: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence on line 3)",
        )
    ]
    assert doc.body[0].no == 7 and doc.body[1].text == "## q-001"


def test_the_front_matter_keeps_the_line_of_every_key():
    problems = Problems("pack.md")
    doc = read_document(quiz(), problems)
    assert doc.meta_lines == {"id": 2, "title": 3, "theme": 4, "level": 5}
    assert doc.meta["title"] == "坏题库" and not problems.items
