"""A blueprint row of one question per assessment point (考点): the pure rule, no database."""

from collections import Counter

import pytest

from drill.exams.rules.assembly import (
    BankItem,
    BlueprintShort,
    Cell,
    Point,
    Shortfall,
    assemble,
    by_row,
    expand,
    repeated,
    row_points,
    shortfalls,
)

POINTS = [
    Point("svc-b2-01", "service-qa", "intermediate", "bank"),
    Point("svc-b2-02", "service-qa", "intermediate", "bank"),
    Point("svc-c2-01", "service-qa", "intermediate", "both"),
    Point("svc-t2-01", "service-qa", "intermediate", "tobacco"),
    Point("svc-b1-01", "service-qa", "junior", "bank"),
    Point("bcv-b2-01", "brand-cultivation", "intermediate", "bank"),
]


def item(n, *points, audience="bank", level="intermediate", theme="service-qa", type="single"):
    return BankItem(n, f"q{n:03d}", type, theme, (), 2, level, audience, tuple(points))


def per_point(audience="bank", **extra):
    return Cell(
        "theory", 0, 2, theme="service-qa", level="intermediate", audience=audience, per_point=True, **extra
    )


def test_a_per_point_row_covers_its_theme_level_and_audience_and_the_points_for_both():
    assert [p.id for p in row_points(per_point(), POINTS)] == ["svc-b2-01", "svc-b2-02", "svc-c2-01"]
    assert [p.id for p in row_points(per_point("tobacco"), POINTS)] == ["svc-c2-01", "svc-t2-01"]
    assert len(row_points(per_point(None), POINTS)) == 4  # no audience: every audience's points


def test_expansion_gives_one_single_question_cell_per_point_and_keeps_other_rows():
    rows = [Cell("theory", 3, 1, type="truefalse"), per_point(type="single")]
    cells = expand(rows, POINTS)
    assert cells[0] == Cell("theory", 3, 1, type="truefalse", row=0)
    assert [(c.count, c.point, c.row, c.points, c.type, c.audience) for c in cells[1:]] == [
        (1, "svc-b2-01", 1, 2, "single", "bank"),
        (1, "svc-b2-02", 1, 2, "single", "bank"),
        (1, "svc-c2-01", 1, 2, "single", "bank"),
    ]
    # The point carries the level: a question naming it counts whatever its own level.
    assert all(c.level is None and not c.per_point for c in cells[1:])


def test_a_cell_of_a_point_takes_only_questions_naming_it_for_its_audience():
    cell = expand([per_point()], POINTS)[0]
    assert cell.matches(item(1, "svc-b2-01"))
    assert cell.matches(item(2, "svc-b2-01", audience="both"))
    assert cell.matches(item(3, "svc-b2-01", level="senior"))
    assert not cell.matches(item(4, "svc-b2-02"))
    assert not cell.matches(item(5, "svc-b2-01", audience="tobacco"))


def test_a_paper_holds_exactly_one_question_per_point_and_no_question_twice():
    bank = [
        item(1, "svc-b2-01", "svc-b2-02"),  # names two points: it can stand for one of them only
        item(2, "svc-b2-02"),
        item(3, "svc-c2-01", audience="both"),
        item(4, "svc-c2-01", audience="tobacco"),  # not for the bank audience
        item(5, "svc-b2-01", "svc-c2-01"),
        item(6),  # names no point
    ]
    rows = [per_point()]
    cells = expand(rows, POINTS)
    for seed in range(30):
        paper = assemble(cells, bank, seed)
        assert Counter(p.point for p in paper) == Counter({"svc-b2-01": 1, "svc-b2-02": 1, "svc-c2-01": 1})
        assert len({p.key for p in paper}) == 3
        named = {b.key: b.standards for b in bank}
        assert all(p.point in named[p.key] for p in paper)
        assert {p.key for p in paper} <= {"q001", "q002", "q003", "q005"}


def test_a_point_without_a_question_is_named_against_its_row():
    rows = [Cell("theory", 1, 1, type="single"), per_point()]
    cells = expand(rows, POINTS)
    bank = [item(1), item(2, "svc-b2-01"), item(3, "svc-c2-01", audience="tobacco")]
    short = by_row(shortfalls(cells, bank), cells, rows)
    assert short == [Shortfall(cell=1, wanted=3, available=1)]
    assert short[0].points == ("svc-b2-02", "svc-c2-01")
    with pytest.raises(BlueprintShort) as raised:
        assemble(cells, bank, 1)
    assert [s.cell for s in by_row(raised.value.shortfalls, cells, rows)] == [1]


def test_two_points_sharing_their_only_question_are_both_short():
    rows = [per_point()]
    cells = expand(rows, POINTS)
    bank = [item(1, "svc-b2-01", "svc-b2-02"), item(2, "svc-c2-01")]
    (short,) = by_row(shortfalls(cells, bank), cells, rows)
    assert short.points == ("svc-b2-01", "svc-b2-02")


def test_a_plain_row_keeps_its_own_shortfall_numbered_by_row():
    rows = [per_point(), Cell("theory", 5, 1, type="truefalse")]
    cells = expand(rows, POINTS)
    bank = [item(1, "svc-b2-01"), item(2, "svc-b2-02"), item(3, "svc-c2-01"), item(4, type="truefalse")]
    assert by_row(shortfalls(cells, bank), cells, rows) == [Shortfall(cell=1, wanted=5, available=1)]


def test_a_per_point_row_with_no_point_is_short_and_points_asked_twice_are_found():
    rows = [
        per_point(),
        Cell("practical", 0, 2, theme="service-qa", level="senior", per_point=True),
        per_point(None),
    ]
    cells = expand(rows, POINTS)
    assert [s.cell for s in by_row([], cells, rows)] == [1]
    assert repeated(rows, POINTS) == {2: ["svc-b2-01", "svc-b2-02", "svc-c2-01"]}
    assert repeated([per_point(), per_point("tobacco")], POINTS) == {1: ["svc-c2-01"]}
