"""Text that means what it says, property-tested: any printable string as an option, a question text, an
answer or a feedback survives GIFT → pack → GIFT and XLSX → pack → XLSX.

- GIFT (`[plain]` text, where every character stands for itself): the pack shows exactly the string, and
  the pack's own GIFT export reads back to the same pack.
- XLSX: the cell the exporter writes back is the very cell that was read.

What the formats themselves cannot say is left out of the strings, as documented: a GIFT answer that
starts with a weight `%50%` or a format `[html]` (GIFT has no escape for them), a workbook text line that
would be a `解析:` label (drill reports it at its row).
"""

import html
import re
from io import BytesIO

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from drill.content.convert import PackInfo, gift_to_pack, pack_to_gift, pack_to_xlsx, xlsx_to_pack
from drill.content.convert.escape import (
    BLOCK_START,
    INLINE_START,
    block_cell,
    cell_block,
    cell_inline,
    inline_cell,
    lead,
    literal,
    unlead,
)
from drill.content.convert.gift_emit import escape
from drill.content.convert.xlsx_columns import COLUMNS
from drill.content.rules.packs import parse_pack
from drill.content.rules.questions.base import fold_answer
from drill.content.rules.render import render_markdown
from tests.content.convert.conftest import TAXONOMY

INFO = PackInfo(id="text", title="文字", theme="case-analysis", level="junior")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"))
STRUCTURE = "#+->*_=~`\\|[]<&!{}:%.1 "  # what Markdown and GIFT read as structure, drawn often
printable = st.text(st.one_of(CHARACTERS, st.sampled_from(STRUCTURE)), min_size=1, max_size=30)
line = printable.map(lambda s: " ".join(s.split())).filter(bool)  # GIFT and cells trim and fold spaces
LABEL = re.compile(r"^\s*(?:\*\*)?(?:解析|答案解析|explanation|答案|正确答案|answer)(?:\*\*)?\s*[:：]", re.I)


def shown(markdown: str) -> str:
    """The text a reader sees (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", render_markdown(markdown))).strip()


def parsed(text: str):
    pack = parse_pack(text, "pack.md", "quiz", TAXONOMY)
    assert not pack.problems.errors, [str(p) for p in pack.problems.errors]
    return pack


@SETTINGS
@given(printable)
def test_a_cell_line_start_escape_is_undone_exactly(text):
    for pattern in (INLINE_START, BLOCK_START):
        assert unlead(lead(text, pattern), pattern) == text
    assert inline_cell(cell_inline(text)) == text and block_cell(cell_block(text)) == text


@SETTINGS
@given(line)
def test_literal_text_renders_as_itself(text):
    assert shown(literal(text)) == text


@SETTINGS
@given(line, line, line)
def test_any_string_survives_gift_to_pack_to_gift(option, stem, feedback):
    assume(not re.match(r"^(%|\[(html|moodle|plain|markdown)\])", option, re.I))
    assume(fold_answer(option) != fold_answer("其他"))
    answers = f"={escape(option)}#{escape(feedback)}\n~其他\n####{escape(feedback)}"
    gift = f"::q::[plain]{escape(stem)}{{\n{answers}\n}}\n"
    first = gift_to_pack(gift, INFO, TAXONOMY)
    assert first.ok, first.errors
    pack = parsed(first.markdown)
    spec = pack.questions[0].spec
    assert shown(spec["stem"]) == stem
    assert shown(spec["options"][0]["text"]) == option
    assert spec["explanation"].startswith(literal(feedback))  # the general feedback, then the option's
    assert shown(spec["explanation"].split("\n\n", 1)[0]) == feedback
    again = gift_to_pack(pack_to_gift(pack).data, INFO, TAXONOMY)
    assert again.ok, again.errors
    assert parsed(again.markdown).questions[0].spec == spec


def workbook(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append([row.get(c.key) for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text ('=…), as the template says
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cells(data: bytes) -> list[dict]:
    sheet = load_workbook(BytesIO(data))["题库"]
    header = [c.value for c in sheet[1]]
    keys = {c.header: c.key for c in COLUMNS}
    return [
        {keys[h]: v for h, v in zip(header, row, strict=True)}
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


@SETTINGS
@given(line, line, line, line, line)
def test_any_string_survives_xlsx_to_pack_to_xlsx(option, item, stem, explanation, reference):
    assume(fold_answer(option) != fold_answer("其他") and fold_answer(item) != fold_answer("其他"))
    for text in (stem, explanation, reference):
        assume(not LABEL.match(text))
    rows = [
        {"id": "c-1", "type": "单选题", "stem": stem, "A": option, "B": "其他", "answer": "A",
         "explanation": explanation},
        {"id": "c-2", "type": "排序题", "stem": "排序：", "A": item, "B": "其他", "answer": "AB",
         "explanation": "因为。"},
        {"id": "c-3", "type": "问答题", "stem": "问：", "answer": reference},
    ]  # fmt: skip
    first = xlsx_to_pack(workbook(rows), INFO, TAXONOMY)
    assert first.ok, [i.located() for i in first.errors]
    back = cells(pack_to_xlsx(parsed(first.markdown), TAXONOMY).data)
    assert (back[0]["stem"], back[0]["A"], back[0]["explanation"]) == (stem, option, explanation)
    assert back[1]["A"] == item
    assert back[2]["answer"] == reference
