"""Level rules: the file's mistakes at their lines, and what the rules propose for a manager's history."""

from datetime import UTC, date, datetime

import pytest

from drill.accounts.roles import CATEGORIES, LEVELS
from drill.appraisal.rules import levels
from drill.appraisal.rules.levels import Graded, Held, propose
from drill.appraisal.rules.records import Period
from tests.appraisal.helpers import APPRAISAL, line_of, parse, quarter, shipped_rules

RULES = shipped_rules()
TEXT = (APPRAISAL / "level-rules.yaml").read_text(encoding="utf-8")
NOW = date(2026, 2, 10)  # the local day the rules run
INTERMEDIATE = Held("intermediate", "corporate", date(2025, 6, 1), date(2027, 5, 31), "C-2025-017")


def quarters(*bands, year=2025, vetoed=()):
    return [Graded(quarter(year, n + 1), band, n + 1 in vetoed) for n, band in enumerate(bands)]


def annual(year: int, band: str, vetoed: bool = False) -> Graded:
    return Graded(Period("annual", date(year, 1, 1), date(year, 12, 31), str(year)), band, vetoed)


def test_the_vocabulary_is_the_accounts_vocabulary():
    assert tuple(CATEGORIES) == levels.CATEGORIES and tuple(LEVELS) == levels.LEVELS


def test_four_good_quarters_and_a_valid_certificate_propose_one_level_up():
    proposal = propose(
        RULES, quarters("good", "excellent", "good", "good"), [INTERMEDIATE], "junior", "corporate", NOW
    )
    assert (proposal.from_level, proposal.to_level, proposal.direction) == ("junior", "intermediate", "up")
    assert proposal.periods == ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
    assert proposal.certificate == "C-2025-017" and proposal.proposed_on == date(2026, 2, 10)
    assert proposal.reason == (
        "graded good or better in 4 consecutive quarterly periods (2025-Q1, 2025-Q2, 2025-Q3, 2025-Q4); "
        "holds certificate C-2025-017 for intermediate, valid until 2027-05-31"
    )


def test_no_promotion_without_a_valid_certificate_of_the_right_level_and_category():
    good = quarters("good", "good", "good", "good")
    expired = Held("intermediate", "corporate", date(2023, 1, 1), date(2025, 12, 31))
    other_category = Held("intermediate", "personal", date(2025, 1, 1), date(2027, 1, 1))
    other_level = Held("senior", "corporate", date(2025, 1, 1), date(2027, 1, 1))
    not_yet = Held("intermediate", "corporate", date(2026, 3, 1), date(2028, 1, 1))
    for held in ([], [expired], [other_category], [other_level], [not_yet]):
        assert propose(RULES, good, held, "junior", "corporate", NOW) is None
    any_category = Held("intermediate", None, date(2025, 1, 1), date(2027, 1, 1))
    assert propose(RULES, good, [any_category], "junior", "corporate", NOW).to_level == "intermediate"


def test_a_weak_quarter_a_gap_or_a_veto_breaks_the_run():
    assert (
        propose(RULES, quarters("good", "pass", "good", "good"), [INTERMEDIATE], "junior", "corporate", NOW)
        is None
    )
    gap = quarters("good", "good", "good", "good", year=2024)[:3] + quarters("good", year=2025)
    assert propose(RULES, gap, [INTERMEDIATE], "junior", "corporate", NOW) is None
    vetoed = quarters("good", "good", "good", "good", vetoed=(2,))
    assert propose(RULES, vetoed, [INTERMEDIATE], "junior", "corporate", NOW) is None  # junior: nowhere down


def test_periods_before_the_current_level_took_effect_do_not_count():
    history = quarters("good", "good", "good", "good")
    assert propose(RULES, history, [INTERMEDIATE], "junior", "corporate", NOW, since=date(2025, 4, 1)) is None


def test_a_veto_or_a_failing_year_proposes_one_level_down_before_anything_else():
    history = quarters("excellent", "excellent", "fail", "excellent", vetoed=(3,))
    proposal = propose(RULES, history, [], "senior", "personal", NOW)
    assert (proposal.to_level, proposal.direction, proposal.reason) == (
        "intermediate",
        "down",
        "vetoed in 2025-Q3",
    )
    failing = [*quarters("good", "good", "good", "good"), annual(2025, "fail")]
    proposal = propose(RULES, failing, [INTERMEDIATE], "intermediate", "corporate", NOW)
    assert (proposal.to_level, proposal.periods) == ("junior", ("2025",))
    assert proposal.reason == "annual grade fail in 2025 (down at fail or below)"
    assert propose(RULES, failing, [], "intermediate", "corporate", NOW, since=date(2026, 1, 1)) is None


def test_tobacco_needs_last_years_grade_as_well():
    halves = [
        Graded(Period("semiannual", date(2025, 1, 1), date(2025, 6, 30), "2025-H1"), "good"),
        Graded(Period("semiannual", date(2025, 7, 1), date(2025, 12, 31), "2025-H2"), "excellent"),
    ]
    held = [Held("intermediate", "tobacco", date(2025, 9, 1), date(2027, 8, 31), "T-9")]
    assert propose(RULES, halves, held, "junior", "tobacco", NOW) is None  # no annual grade yet
    assert propose(RULES, [*halves, annual(2025, "pass")], held, "junior", "tobacco", NOW) is None
    proposal = propose(RULES, [*halves, annual(2025, "good")], held, "junior", "tobacco", date(2026, 1, 15))
    assert proposal.to_level == "intermediate" and "annual grade good in 2025" in proposal.reason


def test_the_top_of_the_ladder_and_unknown_categories_propose_nothing():
    good = quarters("excellent", "excellent", "excellent", "excellent")
    assert propose(RULES, good, [], "senior", "corporate", NOW) is None
    assert propose(RULES, good, [INTERMEDIATE], "junior", "retail", NOW) is None
    assert propose(RULES, good, [INTERMEDIATE], "expert", "corporate", NOW) is None


def problems_of(text):
    checked, problems = parse(text, "level-rules.yaml")
    assert checked.rules is None
    return problems


def test_an_unknown_category_or_level_is_named_at_its_line():
    text = TEXT.replace(
        "categories: [personal, corporate, comprehensive]", "categories: [personel, corporate, comprehensive]"
    )
    assert problems_of(text) == [
        (line_of(text, "personel"), "unknown category `personel`. Did you mean `personal`?")
    ]
    text = TEXT.replace("{to: senior, period: quarterly", "{to: expert, period: quarterly")
    assert problems_of(text) == [
        (line_of(text, "to: expert"), "unknown level `expert` to move up to: one of intermediate, senior.")
    ]
    text = TEXT.replace(
        "    ladder: [junior, intermediate, senior]\n    up:\n      - {to: intermediate, period: semiannual",
        "    ladder: [junior, middle, senior]\n    up:\n      - {to: intermediate, period: semiannual",
    )
    problems = problems_of(text)
    assert (
        line_of(text, "middle"),
        "unknown level `middle`. Known: junior, intermediate, senior.",
    ) in problems


def test_an_unknown_grade_and_a_repeated_category():
    text = TEXT.replace(
        "grade_at_least: good, certificate: true}", "grade_at_least: great, certificate: true}"
    )
    text = text.replace("categories: [tobacco]", "categories: [tobacco, personal]")
    assert problems_of(text) == [
        (
            line_of(text, "great"),
            "`grade_at_least: great` is not one of the grades (excellent, good, pass, fail)",
        ),
        (
            line_of(text, "[tobacco, personal]"),
            "category `personal` already has rules above; give it one set",
        ),
    ]


def test_the_rules_take_the_local_day_never_an_instant():
    with pytest.raises(TypeError):
        propose(RULES, [], [INTERMEDIATE], "junior", "corporate", datetime(2026, 2, 9, 22, 0, tzinfo=UTC))
