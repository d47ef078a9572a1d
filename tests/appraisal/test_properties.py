"""Whatever the evidence, the trail adds up, totals stay on 100 and no unit exceeds its quota."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from drill.appraisal.rules.records import Evidence, ManagerEvidence, Occurrence, Rating
from drill.appraisal.rules.rollup import compute
from tests.appraisal.helpers import month, shipped_scheme

SCHEME = shipped_scheme("tobacco-scheme.yaml")
RATED = [i.key for d in SCHEME.dimensions for i in d.items if i.source == "rating"]
amount = st.floats(min_value=0, max_value=500, allow_nan=False).map(lambda x: round(x, 2))
manager = st.builds(
    lambda values, rating, bonus, deduction, veto: ManagerEvidence(
        indicators={c.key: min(v, c.maximum or v) + (0.01 if c.key.endswith("target") else 0)
                    for c, v in zip(SCHEME.columns, values, strict=True)},
        ratings={key: Rating(rating, "依据") for key in RATED},
        bonus=[Occurrence("competition_award", bonus)],
        deductions=[Occurrence("service_lapse", deduction)],
        vetoes=[Occurrence("illicit_supply")] if veto else [],
    ),
    st.lists(amount, min_size=len(SCHEME.columns), max_size=len(SCHEME.columns)),
    st.integers(1, 5), st.integers(0, 4), st.integers(0, 6), st.booleans(),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([f"M{n}" for n in range(12)]), manager, min_size=1))
def test_the_trail_adds_up_and_the_quota_holds(managers):
    records = compute(SCHEME, Evidence(month(2025, 5), managers), {"U": sorted(managers)})
    for r in records:
        for d in r.dimensions:
            assert Decimal(str(d.score)) == sum(Decimal(str(i.weighted)) for i in d.items)
            assert all(0 <= i.points <= 100 for i in d.items)
        assert Decimal(str(r.subtotal)) == sum(Decimal(str(d.contribution)) for d in r.dimensions)
        raw = Decimal(str(r.subtotal)) + Decimal(str(r.bonus_total)) - Decimal(str(r.deduction_total))
        clamped = min(max(raw, Decimal(0)), Decimal(100))
        assert r.total == float(clamped.quantize(Decimal("0.1"), ROUND_HALF_UP))
        assert r.bonus_total <= SCHEME.bonus.cap and r.deduction_total <= SCHEME.deductions.cap
        assert SCHEME.band(r.band_by_score).holds(r.total)
        assert (r.band == "fail") if r.vetoes else r.band in (r.band_before_quota, "good")
    top = sum(r.band == SCHEME.quota.band for r in records)
    assert top <= SCHEME.quota.allowed(len(records))
