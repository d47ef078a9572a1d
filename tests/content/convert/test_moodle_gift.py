"""Moodle's own GIFT files (samples/moodle/, copied from moodle/moodle question/format/gift/: the documented
examples file and the importer's test fixtures): every question is accounted for — converted faithfully,
or reported at its line — and what Moodle means is what drill shows and scores."""

from pathlib import Path

import pytest

from drill.content.convert import PackInfo, gift_to_pack
from drill.content.convert.draft import Issues
from drill.content.convert.gift_parse import read_block, split_blocks
from drill.content.rules.check import check_paths
from drill.content.rules.questions import render_spec, score
from drill.content.rules.render import render_markdown
from tests.content.conftest import TAXONOMY_PATH
from tests.content.convert.conftest import SAMPLES, TAXONOMY, questions

MOODLE = SAMPLES / "moodle"
FILES = sorted(MOODLE.glob("*.gift"))


def convert(path: Path):
    info = PackInfo(id=path.stem.replace("_", "-"), title=path.stem, theme="case-analysis", level="junior")
    return gift_to_pack(path.read_text(encoding="utf-8"), info, TAXONOMY, path.name)


def source_questions(path: Path) -> list[int]:
    """The line of every question in the file, as Moodle's importer splits it."""
    blocks = [read_block(b, Issues()) for b in split_blocks(path.read_text(encoding="utf-8"))]
    return [raw.line for raw in blocks if raw.kind == "question"]


def test_the_fixtures_are_moodles_files_with_their_origin_noted():
    assert [p.name for p in FILES] == ["examples.gift", "questions.gift", "questions_in_category.gift"]
    for path in FILES:
        assert path.read_text(encoding="utf-8").startswith("// From Moodle (moodle/moodle")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_question_of_a_moodle_file_is_converted_and_the_pack_passes_drill_check(path, tmp_path):
    result = convert(path)
    assert result.ok, [i.located() for i in result.errors]
    lines = source_questions(path)
    assert result.questions == len(lines) and len(questions(result.markdown)) == len(lines)
    target = tmp_path / "quizzes" / f"{path.stem.replace('_', '-')}.md"
    target.parent.mkdir()
    target.write_text(result.markdown, encoding="utf-8")
    report = check_paths([target], taxonomy_path=TAXONOMY_PATH)
    assert report.ok, [p.text() for p in report.errors]


@pytest.fixture(scope="module")
def examples():
    result = convert(MOODLE / "examples.gift")
    assert result.ok
    return result, {q.id: render_spec(q.spec, render_markdown) for q in questions(result.markdown).values()}


def test_gift_control_characters_are_options_with_that_very_text(examples):
    _result, qs = examples
    spec = qs["gift-control-characters"]
    shown = [o["html"].removeprefix("<p>").removesuffix("</p>") for o in spec["options"]]
    assert shown == ["~", "=", "#", "{", "}", "\\"]
    assert [o["correct"] for o in spec["options"]] == [False] * 5 + [True]
    assert "Correct! \\ (backslash) is not a control character." in render_markdown(spec["explanation"])


def test_weighted_answers_score_as_moodle_and_their_feedback_holds(examples):
    _result, qs = examples
    hometown = qs["jesus-hometown"]
    ids = {o["text"]: o["id"] for o in hometown["options"]}
    assert [score(hometown, ids[t]).earned for t in ("Jerusalem", "Bethlehem", "Galilee", "Nazareth")] == [
        0,
        0.25,
        0.5,
        1,
    ]
    short = qs["jesus-hometown-2"]
    assert [score(short, t).earned for t in ("Nazareth", "Nazereth", "Bethlehem", "Rome")] == [
        1,
        0.75,
        0.25,
        0,
    ]
    assert "Right, but misspelled." in short["explanation"]


def test_multiple_answers_with_penalties_keep_moodles_weights(examples):
    _result, qs = examples
    multiple = [q for q in qs.values() if q["type"] == "multiple"]
    assert [q["scoring"] for q in multiple] == ["weighted", "weighted"]
    free, penalised = ({o["text"]: o["id"] for o in q["options"]} for q in multiple)
    # `~No one ~%50%Grant …`: a wrong answer costs nothing; `~%-50%No one …`: it costs half
    assert score(multiple[0], [free["Grant"], free["No one"]]).earned == 0.5
    assert score(multiple[1], [penalised["Grant"], penalised["No one"]]).earned == 0
    assert score(multiple[1], [penalised["Grant"], penalised["Grant's wife"]]).earned == 1


def test_numbers_ranges_and_names_are_read_as_moodle_reads_them(examples):
    result, qs = examples
    numeric = [q for q in qs.values() if q["type"] == "numeric"]
    assert {(q["answer"], q["tolerance"]) for q in numeric} >= {
        ("1822", "1"),
        ("1822", "0"),
        ("3.1415", "0.0005"),
        ("3.1415", "0.0005"),
        ("4", "0"),
    }
    assert any(q["answer"] == "3.1415" and q["tolerance"] == "0.0005" for q in numeric)  # 3.141..3.142
    assert "kanji-origins" in qs and "thanksgiving-date" in qs
    assert any("`Kanji Origins` became the id kanji-origins" in i.en for i in result.warnings)
    assert any("partial credit" in i.en for i in result.warnings)  # `=%50%1822:2` left out, said so


def test_the_importers_fixture_formats_and_category_come_through():
    result = convert(MOODLE / "questions.gift")
    qs = {q.id: render_spec(q.spec, render_markdown) for q in questions(result.markdown).values()}
    assert qs["q8"]["type"] == "open"
    activities = qs["moodle-activities"]
    assert (
        activities["type"] == "matching" and len(activities["pairs"]) == 4 and len(activities["rights"]) == 5
    )
    assert qs["colours"]["type"] == "multiple" and qs["colours"]["scoring"] == "partial"
    assert qs["q1"]["answer"] is False and "Hitchiker's Guide" in qs["q1"]["explanation"]
    assert score(qs["shortanswer"], "Cat").earned == 0.5 and score(qs["shortanswer"], "Frog").earned == 1
    assert any(i.line and "`*` weighted 0%" in i.en for i in result.warnings)
    category = convert(MOODLE / "questions_in_category.gift")
    cqs = questions(category.markdown)
    assert all(q.tags == ["Default for New Features"] for q in cqs.values())
    assert render_markdown(cqs["greeting"].spec["stem"]).count("Listen to this greeting:") == 1
