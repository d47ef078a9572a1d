"""Papers drawn to a blueprint: exact shortfalls, reproducible seeds, every cell filled, nothing twice."""

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.exams.rules.assembly import (
    BankItem,
    BlueprintShort,
    Cell,
    PaperItem,
    Shortfall,
    assemble,
    overlap,
    shortfalls,
)


def item(n, type="single", theme="deposits", competencies=("sales",), difficulty=3, level="junior"):
    return BankItem(n, f"q{n}", type, theme, tuple(competencies), difficulty, level)


def check(paper, cells, bank):
    """The paper fills every cell with matching questions and uses no question twice."""
    by_version = {b.version_id: b for b in bank}
    assert [p.position for p in paper] == list(range(1, len(paper) + 1))
    assert len({p.key for p in paper}) == len(paper)
    assert Counter(p.cell for p in paper) == Counter(
        {c: cell.count for c, cell in enumerate(cells) if cell.count}
    )
    for p in paper:
        cell = cells[p.cell]
        assert cell.matches(by_version[p.version_id]) and (p.part, p.points) == (cell.part, cell.points)


def test_a_cell_short_by_two_says_how_many_it_could_get():
    bank = [item(n, theme="loans") for n in range(3)] + [item(n, theme="deposits") for n in range(3, 10)]
    cells = [Cell("theory", 4, 1.0, theme="deposits"), Cell("practical", 5, 2.0, theme="loans")]
    assert shortfalls(cells, bank) == [Shortfall(cell=1, wanted=5, available=3)]
    with pytest.raises(BlueprintShort) as short:
        assemble(cells, bank, seed=1)
    assert short.value.shortfalls == [Shortfall(1, 5, 3)]
    assert "row 2 wants 5, only 3 available" in str(short.value)


def test_two_cells_competing_for_the_same_questions_are_both_reported():
    # Three questions are both on deposits and single choice; each cell wants two of them.
    bank = [item(n) for n in range(3)] + [item(n, type="open", theme="loans") for n in range(3, 6)]
    cells = [Cell("theory", 2, 1.0, theme="deposits"), Cell("theory", 2, 1.0, type="single")]
    # Whichever cell fills first, the other gets what is left: 3 − 2 = 1.
    assert shortfalls(cells, bank) == [Shortfall(0, 2, 1), Shortfall(1, 2, 1)]


def test_a_question_matching_two_cells_goes_where_it_is_needed():
    # x fits both cells; y only the first. Every seed must give y to the first and x to the second.
    x, y = item(1), item(2, type="multiple")
    cells = [Cell("theory", 1, 1.0, theme="deposits"), Cell("theory", 1, 1.0, type="single")]
    for seed in range(50):
        paper = assemble(cells, [x, y], seed, shuffle_questions=False)
        assert [p.version_id for p in paper] == [2, 1]


def test_a_tight_blueprint_is_filled_by_moving_questions_between_cells():
    # 12 questions, four cells, and exactly one way to split some of them: greedy choices must be repaired.
    bank = [
        item(n, type=t, theme=th)
        for n, (t, th) in enumerate(
            list(itertools.product(["single", "multiple"], ["deposits", "loans", "cards"])) * 2
        )
    ]
    cells = [
        Cell("theory", 4, 1.0, type="single"),
        Cell("theory", 4, 1.0, theme="deposits"),
        Cell("practical", 2, 2.0, theme="loans"),
        Cell("practical", 2, 2.0, type="multiple"),
    ]
    assert shortfalls(cells, bank) == []
    for seed in range(100):
        check(assemble(cells, bank, seed), cells, bank)


BANK = [
    item(
        n,
        type=("single", "multiple", "truefalse")[n % 3],
        theme=("deposits", "loans")[n % 2],
        difficulty=1 + n % 5,
    )
    for n in range(60)
]
CELLS = [
    Cell("theory", 7, 1.0, type="single"),
    Cell("theory", 2, 2.0, type="multiple"),
    Cell("practical", 1, 1.0),
]


def test_the_same_seed_gives_the_same_paper_whatever_the_bank_order():
    shuffled = random.Random(9).sample(BANK, len(BANK))
    assert assemble(CELLS, BANK, 42) == assemble(CELLS, shuffled, 42)


def test_different_seeds_give_different_papers():
    papers = {tuple(p.version_id for p in assemble(CELLS, BANK, seed)) for seed in range(20)}
    assert len(papers) == 20


def test_questions_keep_blueprint_order_unless_shuffled():
    kept = assemble(CELLS, BANK, 5, shuffle_questions=False)
    assert [p.cell for p in kept] == [0] * 7 + [1] * 2 + [2]
    shuffled = assemble(CELLS, BANK, 5)
    assert [p.cell for p in shuffled] != [p.cell for p in kept]
    assert all(p.option_seed.startswith(f"5:{p.position}:") for p in shuffled)
    check(kept, CELLS, BANK)
    check(shuffled, CELLS, BANK)


def test_every_question_a_cell_accepts_is_drawn_about_equally_often():
    bank = [item(n) for n in range(4)]
    drawn = Counter(assemble([Cell("theory", 1, 1.0)], bank, seed)[0].version_id for seed in range(2000))
    assert set(drawn) == {0, 1, 2, 3} and all(400 < n < 600 for n in drawn.values())


def test_overlap_is_the_share_of_common_questions():
    a = [PaperItem(p, v, "theory", 1.0, "", key=f"q{v}") for p, v in enumerate([1, 2, 3, 4], 1)]
    b = [PaperItem(p, v, "theory", 1.0, "", key=f"q{v}") for p, v in enumerate([3, 4, 5, 6, 7, 8], 1)]
    assert overlap(a, b) == 0.5  # q3 and q4 of the smaller paper's 4
    assert overlap(a, []) == 0.0
    revised = [PaperItem(1, 99, "theory", 1.0, "", key="q1")]  # a newer version of q1 is still q1
    assert overlap(a, revised) == 1.0


def test_a_question_listed_twice_in_the_bank_is_refused():
    with pytest.raises(ValueError, match="q1 appears twice"):
        shortfalls([Cell("theory", 1, 1.0)], [item(1), BankItem(2, "q1", "single", None, (), 3, None)])


def test_a_bank_of_thousands_is_handled():
    rng = random.Random(0)
    bank = [
        item(
            n,
            type=rng.choice(["single", "multiple", "open"]),
            theme=f"t{rng.randrange(20)}",
            difficulty=rng.randint(1, 5),
        )
        for n in range(3000)
    ]
    cells = [Cell("theory", 5, 1.0, theme=f"t{t}", difficulty=(1 + t % 3, 3 + t % 3)) for t in range(20)]
    cells += [Cell("practical", 30, 1.0, type="open"), Cell("theory", 200, 1.0, type="single")]
    check(assemble(cells, bank, 3), cells, bank)
    # A catch-all row wanting more than the bank holds: it gets what the 330 other questions leave, and
    # leaves nothing to the others; `matching` shows which row is too big.
    short = shortfalls([*cells, Cell("theory", 5000, 1.0)], bank)
    assert short[-1] == Shortfall(22, 5000, 3000 - 330) and short[-1].matching == 3000
    assert [s.cell for s in short] == list(range(23)) and all(s.available == 0 for s in short[:-1])
    assert all(s.matching >= s.wanted for s in short[:-1])


# --- properties over generated banks and blueprints -------------------------------------------------

TYPES, THEMES, LEVELS = ["single", "multiple", "open"], ["deposits", "loans"], ["junior", "senior"]
bank_items = st.tuples(
    st.sampled_from(TYPES),
    st.sampled_from(THEMES),
    st.sets(st.sampled_from(["sales", "risk"]), min_size=1),
    st.integers(1, 5),
    st.sampled_from(LEVELS),
)
banks = (
    st.integers(0, 24)
    .flatmap(lambda n: st.lists(bank_items, min_size=n, max_size=n))  # sizes spread, not mostly tiny
    .map(
        lambda rows: [
            BankItem(100 + n, f"k{n}", t, th, tuple(sorted(c)), d, lv)
            for n, (t, th, c, d, lv) in enumerate(rows)
        ]
    )
)


def sometimes(values):
    """A filter that is mostly unset, so that cells overlap and blueprints are often feasible."""
    return st.one_of(st.none(), st.none(), st.none(), st.sampled_from(values))


cells_ = st.builds(
    Cell,
    part=st.sampled_from(["theory", "practical"]),
    count=st.integers(0, 4),
    points=st.sampled_from([1.0, 2.0]),
    theme=sometimes(THEMES),
    competency=sometimes(["sales", "risk"]),
    type=sometimes(TYPES),
    difficulty=st.one_of(
        st.none(), st.tuples(st.integers(1, 5), st.integers(0, 4)).map(lambda t: (t[0], min(5, t[0] + t[1])))
    ),
    level=sometimes(LEVELS),
)
blueprints = st.lists(cells_, min_size=1, max_size=4)


def most_questions(cells, bank, without=None):
    """The largest paper the bank allows, by Hall's theorem rather than by augmenting paths:
    Σ count − max over sets S of cells of (Σ_S count − |questions matching some cell of S|)."""
    counts = [0 if c == without else cell.count for c, cell in enumerate(cells)]
    worst = 0
    for size in range(1, len(cells) + 1):
        for group in itertools.combinations(range(len(cells)), size):
            neighbours = sum(any(cells[c].matches(b) for c in group) for b in bank)
            worst = max(worst, sum(counts[c] for c in group) - neighbours)
    return sum(counts) - worst


@settings(max_examples=300)
@given(blueprints, banks, st.integers(0, 2**31))
def test_shortfalls_are_exact_and_a_paper_is_drawn_exactly_when_there_are_none(cells, bank, seed):
    most = most_questions(cells, bank)
    expected = [
        Shortfall(c, cell.count, most - most_questions(cells, bank, without=c))
        for c, cell in enumerate(cells)
        if cell.count and most - most_questions(cells, bank, without=c) < cell.count
    ]
    assert shortfalls(cells, bank) == expected
    assert (not expected) == (most == sum(cell.count for cell in cells))
    if expected:
        with pytest.raises(BlueprintShort) as short:
            assemble(cells, bank, seed)
        assert short.value.shortfalls == expected
    else:
        paper = assemble(cells, bank, seed)
        check(paper, cells, bank)
        assert assemble(cells, list(reversed(bank)), seed) == paper
