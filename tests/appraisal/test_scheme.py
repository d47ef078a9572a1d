"""Scheme files: the shipped ones check clean; every mistake is reported at its line with what to write."""

import pytest

from drill.appraisal.rules.scheme import rating_problems
from tests.appraisal.helpers import MINI, line_of, parse, shipped_scheme


def problems_of(text: str) -> list[tuple[int, str]]:
    checked, problems = parse(text)
    assert checked.scheme is None, "a broken scheme must not come out"
    return problems


def test_the_small_scheme_reads_into_dataclasses():
    checked, problems = parse(MINI)
    assert problems == []
    scheme = checked.scheme
    assert (scheme.id, scheme.version, scheme.audience) == ("mini", 1, "bank")
    assert [(d.key, d.weight) for d in scheme.dimensions] == [("results", 70), ("training", 30)]
    ratio = scheme.item("sales_ratio")
    assert (ratio.weight, ratio.convert, ratio.column, ratio.target, ratio.cap) == (
        100,
        "ratio",
        "sales",
        "sales_target",
        1.2,
    )
    assert scheme.item("attitude").scale == (1, 5)
    assert scheme.periods["annual"].source == "monthly"
    assert [b.key for b in scheme.bands] == ["excellent", "good", "pass", "fail"]
    assert scheme.quota.allowed(5) == 1 and scheme.quota.allowed(10) == 2 and scheme.quota.allowed(14) == 2


@pytest.mark.parametrize("name", ["bank-scheme.yaml", "tobacco-scheme.yaml"])
def test_the_shipped_schemes_weigh_100_and_cover_every_dimension_the_domain_names(name):
    scheme = shipped_scheme(name)
    assert sum(d.weight for d in scheme.dimensions) == 100
    for dimension in scheme.dimensions:
        assert sum(i.weight for i in dimension.items) == 100, dimension.key
    labels = {d.label for d in scheme.dimensions}
    expected = (
        {"业绩指标", "职业道德", "基础管理工作", "信贷操作及管理", "服务质量", "能力素质", "培训成绩"}
        if scheme.audience == "bank"
        else {"经济运行", "品牌培育", "终端功能发挥", "客户服务", "能力素质", "培训成绩"}
    )
    assert labels == expected
    assert scheme.vetoes and scheme.bonus.items and scheme.deductions.items and scheme.quota


def test_dimension_weights_that_do_not_add_up_to_100():
    text = MINI.replace("weight: 70", "weight: 60")
    assert problems_of(text) == [
        (
            line_of(text, "dimensions:"),
            "the dimensions' weights add up to 60 + 30 = 90; they must add up to 100",
        )
    ]


def test_item_weights_inside_a_dimension_must_add_up_to_100():
    text = MINI.replace("weight: 50, source: rating", "weight: 40, source: rating")
    [(line, message)] = problems_of(text)
    assert line == line_of(text, ["items:", "      - {key: drills"][1]) - 1
    assert message.startswith("the items' weights in this dimension add up to 50 + 40 = 90")


def test_an_unknown_metric_is_named_with_a_suggestion():
    text = MINI.replace("metric: drill_score", "metric: drill_scores")
    [(line, message)] = problems_of(text)
    assert line == line_of(text, "drill_scores")
    assert message.startswith("`metric: drill_scores` is not one of `drill_score`, `exam_score`")
    assert message.endswith("Did you mean `drill_score`?")


def test_a_ratio_needs_declared_columns_and_a_positive_cap():
    text = MINI.replace("actual: sales,", "actual: sale,").replace("cap: 1.2}", "cap: -1}")
    assert problems_of(text) == [
        (
            line_of(text, "actual: sale,"),
            "`actual: sale` is not among the scheme's `indicators`. Did you mean `sales`?",
        ),
        (line_of(text, "cap: -1"), "`cap: -1` must be above 0"),
    ]


def test_a_negative_bonus_cap_and_item_cap():
    text = MINI.replace("  cap: 3\n", "  cap: -3\n").replace("points: 1, cap: 2", "points: 1, cap: -2")
    assert problems_of(text) == [
        (line_of(text, "cap: -3"), "`cap: -3` must be at least 0"),
        (line_of(text, "cap: -2"), "`cap: -2` must be at least 0"),
    ]


def test_bands_leaving_a_gap_say_which_scores_fall_nowhere():
    text = MINI.replace("from: 75, to: 90", "from: 75, to: 89")
    assert problems_of(text) == [
        (
            line_of(text, "from: 90"),
            "totals from 89 up to 90 fall in no band; "
            "set `from: 89` here or `to: 90` on `good` (`to` is not included)",
        )
    ]


def test_overlapping_bands():
    text = MINI.replace("from: 60, to: 75", "from: 60, to: 80")
    assert problems_of(text) == [
        (
            line_of(text, "from: 75"),
            "bands `pass` and `good` overlap from 75 to 80; `pass` should end at `to: 75`",
        )
    ]


def test_bands_must_reach_0_and_100_and_be_listed_from_the_top():
    text = MINI.replace("from: 0, to: 60", "from: 10, to: 60").replace(
        "from: 90, to: 100", "from: 90, to: 99"
    )
    assert problems_of(text) == [
        (line_of(text, "from: 10"), "totals below 10 fall in no band; the lowest band starts at `from: 0`"),
        (line_of(text, "from: 90"), "the top band ends at `to: 100` (100 itself included)"),
    ]
    swapped = MINI.replace(
        "{key: excellent, label: 优秀, from: 90, to: 100}", "{key: fail, label: 不合格, from: 0, to: 60}", 1
    )
    swapped = swapped.replace(
        "  - {key: fail, label: 不合格, from: 0, to: 60}\nquota",
        "  - {key: excellent, label: 优秀, from: 90, to: 100}\nquota",
    )
    assert problems_of(swapped) == [
        (line_of(swapped, "bands:"), "list the bands from the highest down (优秀 first, 不合格 last)")
    ]


def test_a_misspelt_key_is_caught_not_ignored():
    text = MINI.replace("    weight: 30\n", "    wieght: 30\n")
    problems = problems_of(text)
    assert (
        line_of(text, "wieght"),
        "unknown key `wieght` in `dimensions.1`. Did you mean `weight`?",
    ) in problems


def test_a_period_built_on_one_the_scheme_does_not_compute():
    text = MINI.replace("annual: {from: monthly}", "annual: {from: quarterly}")
    assert problems_of(text) == [
        (
            line_of(text, "annual:"),
            "`annual` builds on `quarterly`, which this scheme does not compute; "
            "add `quarterly: {from: evidence}`",
        )
    ]


def test_a_metric_not_on_100_points_needs_a_target():
    text = MINI.replace("metric: drill_score, aggregate: mean", "metric: training_hours, aggregate: mean")
    [(line, message)] = problems_of(text)
    assert (
        line == line_of(text, "training_hours")
        and "use `aggregate: sum` (or `count`) with a `target`" in message
    )
    counted = MINI.replace("aggregate: mean}", "aggregate: count}")
    assert problems_of(counted) == [
        (
            line_of(counted, "aggregate: count"),
            "`dimensions.1.items.0.target` must be a number, e.g. `target: 10`",
        )
    ]


def test_keys_are_unique_across_the_scheme_and_the_kind_is_required():
    text = MINI.replace("{key: late,", "{key: praise,")
    assert (
        1,
        "the key `praise` names both a bonus item and a deduction item; every key in a scheme must be unique",
    ) in problems_of(text)
    missing = MINI.replace("kind: appraisal-scheme\n", "")
    assert problems_of(missing) == [(1, "`the file` needs `kind:` (one of appraisal-scheme, level-rules)")]


def test_a_quota_names_a_band_and_a_share():
    text = MINI.replace("quota: {band: excellent, share: 0.2", "quota: {band: top, share: 1.5")
    assert problems_of(text) == [
        (line_of(text, "quota:"), "`share: 1.5` must be at most 1"),
        (line_of(text, "quota:"), "`band: top` is not one of the bands (excellent, good, pass, fail)"),
    ]


def test_bad_yaml_is_reported_at_its_line():
    text = MINI.replace("    label: 培训\n", "    label: 培训: 课程\n")
    [(line, message)] = problems_of(text)
    assert line == line_of(text, "培训: 课程") and message.startswith("bad YAML in the appraisal file")


def test_a_rating_needs_a_value_in_scale_and_a_comment():
    item = shipped_scheme("bank-scheme.yaml").item("thinking")
    assert rating_problems(item, 4, "主动梳理客户需求") == []
    assert [str(m) for m in rating_problems(item, 6, " ")] == [
        "the rating must be a number from 1 to 5",
        "a rating needs a comment saying what it is based on",
    ]


def test_a_key_given_twice_inside_an_entry_is_reported_not_silently_overwritten():
    text = MINI.replace("    weight: 30\n", "    weight: 30\n    weight: 40\n")
    assert (line_of(text, "weight: 40"), "`weight` is given twice here; keep one") in problems_of(text)
