"""Round trips, property-tested over generated packs: the Markdown writer reads back exactly its drafts;
pack → GIFT → pack and pack → XLSX → pack yield the same questions.

GIFT carries every question type (ordering questions and blanks with several gaps in a form Moodle
accepts, named by `类型:` in the `drill:` line); the workbook has eight option columns. Where a distractor
line stood among the pairs of a matching question is not compared (its rights are shown shuffled;
docs/content-format.md).
"""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.content.convert import PackInfo, gift_to_pack, pack_to_gift, pack_to_xlsx, xlsx_to_pack
from drill.content.convert.draft import Draft, essence, from_parsed
from drill.content.convert.markdown_writer import write_pack
from drill.content.rules.packs import parse_pack
from drill.content.rules.questions.base import fold_answer
from tests.content.convert.conftest import TAXONOMY

INFO = PackInfo(id="prop", title="往返", theme="case-analysis", level="junior", audience="both")
CJK = "贷款风险客户经理营销品牌数据终端烟草银行"
SAFE = CJK + "abcXYZ0123 ~=#{}:\\%*_()<&"  # GIFT's special characters included
COMPETENCIES = [t.key for t in TAXONOMY.competencies.terms]


def words(alphabet: str = SAFE, size: int = 12) -> st.SearchStrategy[str]:
    """One line of text that starts with a CJK character (so it is never a heading, list item or label)
    and never holds `{{`, `}}` or a double space."""
    rest = st.text(alphabet, max_size=size)
    line = st.builds(lambda head, tail: (head + tail).rstrip(), st.sampled_from(CJK), rest)
    return line.filter(lambda t: "{{" not in t and "}}" not in t and "  " not in t)


def paragraphs(max_lines: int = 3) -> st.SearchStrategy[str]:
    return (
        st.lists(st.one_of(words(), st.just("")), min_size=1, max_size=max_lines)
        .map(lambda lines: "\n".join(lines).strip())
        .filter(bool)
        .filter(lambda t: "\n\n\n" not in t)
    )


def distinct(strategy: st.SearchStrategy[str], low: int, high: int) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=low, max_size=high, unique_by=fold_answer)


plain_words = words(CJK + "abc0123 ", 8)
numbers = st.builds(
    lambda i, f: str(Decimal(f"{i}.{f}")) if f else str(i),
    st.integers(-9999, 9999),
    st.sampled_from(["", "5", "25", "125"]),
)


@st.composite
def fields(draw, qtype: str) -> tuple[str, dict]:
    """(the stem, the type's fields)."""
    stem = draw(paragraphs())
    if qtype in ("single", "multiple"):
        texts = draw(
            distinct(st.one_of(words(), st.builds(lambda a, b: f"{a}\n{b}", words(), words())), 2, 6)
        )
        right = draw(
            st.sets(
                st.integers(0, len(texts) - 1), min_size=1, max_size=1 if qtype == "single" else len(texts)
            )
        )
        f = {
            "options": [{"text": t, "correct": i in right} for i, t in enumerate(texts)],
            "shuffle": draw(st.booleans()),
        }
        if qtype == "multiple":
            f["scoring"] = draw(st.sampled_from(["partial", "all", "per-option"]))
        if draw(st.booleans()):  # Moodle's weights: `- [50%]`
            weigh(draw, qtype, f)
        return stem, f
    if qtype == "truefalse":
        return stem, {"answer": draw(st.booleans())}
    if qtype == "blank":
        blanks = draw(st.lists(distinct(plain_words, 1, 3), min_size=1, max_size=2))
        text = "".join(f"{draw(words())}{{{{{'|'.join(b)}}}}}" for b in blanks) + draw(
            st.sampled_from(["", "。"])
        )
        return text, {"scoring": draw(st.sampled_from(["partial", "all"]))}
    if qtype == "numeric":
        tolerance, relative = draw(
            st.sampled_from([("0", False), ("0.5", False), ("2", False), ("1", True), ("2.5", True)])
        )
        return stem, {
            "answer": draw(numbers),
            "tolerance": tolerance,
            "relative": relative,
            "unit": draw(st.sampled_from(["", "万元", "%"])),
        }
    if qtype == "ordering":
        return stem, {
            "items": draw(distinct(words(), 2, 6)),
            "scoring": draw(st.sampled_from(["position", "adjacent", "all"])),
        }
    if qtype == "matching":
        lefts = draw(distinct(words(CJK + "abc0123 ", 8), 2, 4))
        rights = draw(distinct(words(CJK + "abc0123 ", 8), len(lefts) + 1, len(lefts) + 3))
        pairs = [(left, rights[draw(st.integers(0, len(lefts) - 1))]) for left in lefts]
        used = {r for _l, r in pairs}
        return stem, {
            "pairs": pairs, "distractors": [r for r in rights if r not in used][: draw(st.integers(0, 2))],
            "scoring": draw(st.sampled_from(["partial", "all"])), "shuffle": draw(st.booleans()),
        }  # fmt: skip
    rubric = draw(st.one_of(st.none(), rubrics()))
    rubric_id = None if rubric else draw(st.one_of(st.none(), st.just("shared-rubric")))
    return stem, {
        "reference": draw(st.one_of(st.just(""), paragraphs())),
        "rubric": rubric,
        "rubric_id": rubric_id,
    }


SHARES = {1: [[100]], 2: [[50, 50], [70, 30]], 3: [[50, 25, 25], [40, 30, 30]], 4: [[25, 25, 25, 25]]}


def weigh(draw, qtype: str, f: dict) -> None:
    """Weights on the options: a single choice keeps its one 100% option and gives a wrong one partial
    credit; a multiple choice shares 100% among its right options and may penalise the wrong ones."""
    options = f["options"]
    wrong = [o for o in options if not o["correct"]]
    if qtype == "single":
        if not wrong:
            return
        for option in options:
            option["weight"] = 100.0 if option["correct"] else float(draw(st.sampled_from([0, -50, -100])))
        wrong[0]["weight"] = float(draw(st.sampled_from([25, 50, 12.5])))
        return
    right = [o for o in options if o["correct"]]
    if len(right) > 4:
        return  # no share table that long: leave this one unweighted
    for option, share in zip(right, draw(st.sampled_from(SHARES[len(right)])), strict=True):
        option["weight"] = float(share)
    for option in wrong:
        option["weight"] = float(draw(st.sampled_from([0, -50, -100])))
    f["scoring"] = "weighted"


@st.composite
def rubrics(draw) -> dict:
    levels = draw(distinct(words(CJK, 3), 2, 4))
    count = draw(st.integers(1, 3))
    weights = [100 // count] * (count - 1) + [100 - 100 // count * (count - 1)]
    criteria = [
        {
            "id": f"c{i}",
            "name": draw(words(CJK, 4)),
            "weight": w,
            "descriptors": [draw(words(CJK, 6)) for _ in levels],
        }
        for i, w in enumerate(weights)
    ]
    return {"levels": levels, "criteria": criteria}


@st.composite
def drafts(draw) -> list[Draft]:
    types = draw(
        st.lists(
            st.sampled_from(
                ["single", "multiple", "truefalse", "blank", "numeric", "ordering", "matching", "open"]
            ),
            min_size=1,
            max_size=6,
        )
    )
    out = []
    for n, qtype in enumerate(types, start=1):
        stem, f = draw(fields(qtype))
        out.append(
            Draft(
                id=f"q-{n}", type=qtype, stem=stem, fields=f,
                points=draw(st.sampled_from([1.0, 2.0, 0.5, 2.5, 10.0])), difficulty=draw(st.integers(1, 5)),
                level=draw(st.sampled_from([None, "junior", "intermediate", "senior"])),
                competencies=draw(st.lists(st.sampled_from(COMPETENCIES), max_size=2, unique=True)),
                tags=draw(distinct(words(CJK + "abc", 5), 0, 2)),
                explanation=draw(st.one_of(st.just(""), paragraphs())),
            )
        )  # fmt: skip
    return out


def parsed(markdown: str):
    pack = parse_pack(markdown, "pack.md", "quiz", TAXONOMY)
    assert not pack.problems.errors, [str(p) for p in pack.problems.errors]
    return pack


def same(before, after, keep=lambda q: True) -> None:
    """Every kept question of `before` is in `after`, unchanged; nothing else is."""
    want = {q.id: essence(from_parsed(q), "junior") for q in before.questions if keep(q)}
    got = {q.id: essence(from_parsed(q), "junior") for q in after.questions}
    assert got == want


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(drafts())
def test_the_writer_reads_back_exactly_its_drafts(items):
    markdown, starts = write_pack(INFO, items)
    pack = parsed(markdown)
    assert [q.id for q in pack.questions] == [d.id for d in items]
    for draft, question in zip(items, pack.questions, strict=True):
        assert essence(from_parsed(question), "junior") == essence(draft, "junior")
        assert question.line == starts[draft.id]


@SETTINGS
@given(drafts())
def test_pack_to_gift_to_pack_keeps_every_question(items):
    pack = parsed(write_pack(INFO, items)[0])
    exported = pack_to_gift(pack)
    assert exported.ok and exported.questions == len(pack.questions) and not exported.warnings
    back = gift_to_pack(exported.data, INFO, TAXONOMY)
    assert back.ok, back.errors
    same(pack, parsed(back.markdown))


@SETTINGS
@given(drafts())
def test_pack_to_xlsx_to_pack_keeps_every_question(items):
    pack = parsed(write_pack(INFO, items)[0])
    exported = pack_to_xlsx(pack, TAXONOMY)
    assert exported.ok and exported.questions == len(pack.questions)
    back = xlsx_to_pack(exported.data, INFO, TAXONOMY)
    assert back.ok, back.errors
    same(pack, parsed(back.markdown))
