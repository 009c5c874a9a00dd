"""The engine against MODEL.md: hand-checked cases, an independent re-implementation, numpy-financial."""

from __future__ import annotations

import math
import pickle
import random

import numpy_financial as npf
import pytest

from credroi.model.engine import (
    Credential,
    derive,
    evaluate,
    evaluate_all,
    group_stats,
    groups_by_kind,
    npv,
    renewal_months,
)
from credroi.model.irr import irr, irr_and_roots, runs_of
from credroi.model.profile import Profile, ProfileError
from tests import model_reference as ref


def cred(**kw: object) -> Credential:
    base: dict[str, object] = {
        "id": "x",
        "name": "X",
        "kind": "certification",
        "study_weeks": 8.0,
        "study_hours_per_week": 10.0,
        "recognition": 0.5,
        "uplift_low": 0.0,
        "uplift_typical": 0.05,
        "uplift_high": 0.1,
    }
    base.update(kw)
    return Credential(**base)  # type: ignore[arg-type]


# Worked example 1 of MODEL.md.
# H = 8 * 10 = 80 h; W = 80 / 10 = 8 wk; m = ceil(8 * 12 / 52) = ceil(1.846) = 2; A = 1 / 0.75 = 4/3
# D = 100 + 150 * 4/3 = 300; v = 0.5 * 80000 / 2080 = 19.2308; T = 80 * 19.2308 = 1538.46; I = 1838.46
# B = 0.06 * 80000 * 0.8 * (1 - 0.25) * (1 - 0.25) = 2160 a year, 180 a month
# benefits from t = 6 (t > m + L = 5); renewal at t = 2 + 36 = 38 only (2 + 72 > 60)
EXAMPLE_1 = cred(
    exam_fee=150.0,
    training=100.0,
    pass_rate=0.75,
    validity_years=3.0,
    renewal_cost=150.0,
    recognition=0.8,
    uplift_typical=0.06,
)
PROFILE_1 = Profile(salary=80_000.0, lag_months=3.0)


def test_worked_example_1_derived_quantities() -> None:
    """The derived quantities of worked example 1 match MODEL.md's arithmetic."""
    d = derive(EXAMPLE_1, PROFILE_1)
    assert d.study_hours == 80.0
    assert d.study_weeks == 8.0
    assert d.study_months == 2
    assert d.expected_attempts == pytest.approx(4 / 3, rel=1e-12)
    assert d.direct_cost == pytest.approx(300.0, rel=1e-12)
    assert d.time_cost == pytest.approx(80 * 0.5 * 80_000 / 2080, rel=1e-12)
    assert d.investment == pytest.approx(1838.4615384615, rel=1e-10)
    assert d.annual_benefit == pytest.approx(2160.0, rel=1e-12)


def test_worked_example_1_flows() -> None:
    """Benefits start after study plus lag, grow yearly, and the renewal lands at month 38."""
    e = evaluate(EXAMPLE_1, PROFILE_1)
    f = e.flows.cash_flow
    assert len(f) == 61
    assert f[1:6] == [0.0] * 5
    assert f[6] == pytest.approx(180.0, rel=1e-12)
    assert f[37] == pytest.approx(180 * 1.02**3, rel=1e-12)  # 191.017
    assert f[38] == pytest.approx(180 * 1.02**3 - 150, rel=1e-12)  # 41.017
    assert [t for t, r in enumerate(e.flows.renewal) if r] == [38]


def test_worked_example_1_metrics() -> None:
    """NPV, ROI, payback, IRR and break-even of worked example 1 equal MODEL.md's values."""
    e = evaluate(EXAMPLE_1, PROFILE_1)
    assert e.npv == pytest.approx(7556.0136, rel=1e-8)
    assert e.roi == pytest.approx(4.20037, rel=1e-5)
    assert e.payback_months == 16
    assert e.irr == pytest.approx(1.23321, rel=1e-5)
    assert e.break_even_uplift == pytest.approx(994.671, rel=1e-6)


def test_worked_example_2_free_credential() -> None:
    """A free credential with no time value: NPV 181.51, ROI and IRR null, payback 0, break-even 0."""
    # B = 0.01 * 60000 * 0.3 * 0.75 * 0.75 = 101.25 a year; m = ceil(6 * 12 / 52) = 2; benefits t = 3..24
    c = cred(study_weeks=6.0, study_hours_per_week=5.0, recognition=0.3, uplift_typical=0.01)
    e = evaluate(c, Profile(salary=60_000.0, horizon_years=2.0, time_value=0.0))
    assert e.derived.investment == 0.0
    assert e.npv == pytest.approx(181.5106, rel=1e-7)
    assert e.roi is None
    assert e.payback_months == 0
    assert e.irr is None
    assert e.break_even_uplift == 0.0


def test_thirteen_weeks_is_three_months() -> None:
    """The 1e-9 tolerance makes 13 weeks exactly 3 study months, not 4."""
    assert derive(cred(study_weeks=13.0, study_hours_per_week=7.0), Profile()).study_months == 3
    # at a pace that makes W a float just above 13
    d = derive(cred(study_weeks=13.0, study_hours_per_week=3.0), Profile(hours_per_week=3.0000000000000004))
    assert d.study_months == 3


def test_personal_pace_changes_weeks_not_hours() -> None:
    """Studying at 5 h/week doubles the weeks of a 10 h/week credential; hours and time cost stay."""
    base = derive(cred(subscription_monthly=40.0), Profile())
    slow = derive(cred(subscription_monthly=40.0), Profile(hours_per_week=5.0))
    assert slow.study_hours == base.study_hours
    assert slow.study_weeks == 2 * base.study_weeks
    assert slow.time_cost == base.time_cost
    # 16 weeks -> ceil(3.69) = 4 months of subscription instead of 2
    assert slow.study_months == 4
    assert slow.direct_cost - base.direct_cost == pytest.approx(2 * 40.0)


def test_employer_share_cuts_out_of_pocket_and_renewals() -> None:
    """An employer paying 60 % leaves 40 % of direct cost and of each renewal; time cost is untouched."""
    c = cred(exam_fee=500.0, validity_years=1.0, renewal_cost=100.0)
    e = evaluate(c, Profile(employer_share=0.6))
    assert e.derived.out_of_pocket == pytest.approx(200.0)
    assert max(e.flows.renewal) == pytest.approx(40.0)
    assert e.derived.time_cost == pytest.approx(80 * 0.5 * 75_000 / 2080)


def test_renewal_months_rounding() -> None:
    """Renewals fall at m + round(12 V k), halves up, while within the horizon."""
    assert renewal_months(2, 3.0, 60) == [38]
    assert renewal_months(2, 1.0, 60) == [14, 26, 38, 50]
    # 12 * 0.125 = 1.5 rounds up to 2, 3.0 to 3, 4.5 to 5
    assert renewal_months(1, 0.125, 6) == [3, 4, 6]
    assert renewal_months(2, None, 60) == []


def test_scenarios_pick_their_uplift() -> None:
    """The low, typical and high scenarios use the entry's three uplift fractions."""
    c = cred(uplift_low=0.01, uplift_typical=0.02, uplift_high=0.04)
    values = [evaluate(c, Profile(scenario=s)).derived.gross_uplift for s in ("low", "typical", "high")]
    assert values == pytest.approx([750.0, 1500.0, 3000.0])


def test_no_benefit_inside_horizon_gives_null_break_even() -> None:
    """When the lag pushes every benefit past the horizon, break-even and payback are null."""
    e = evaluate(cred(exam_fee=100.0), Profile(horizon_years=1.0, lag_months=24.0))
    assert e.break_even_uplift is None
    assert e.payback_months is None
    assert e.irr is None  # all flows are the one outflow
    assert evaluate(cred(recognition=0.0), Profile()).break_even_uplift is None


def test_irr_matches_numpy_financial_on_short_series() -> None:
    """On simple monthly flows, IRR agrees with numpy-financial's polynomial-root IRR."""
    flows = [-1000.0] + [60.0] * 24
    rate = irr(flows)
    assert rate is not None
    monthly = npf.irr(flows)
    assert rate == pytest.approx((1 + monthly) ** 12 - 1, rel=1e-9)


def test_irr_long_series_is_a_root() -> None:
    """A 241-month series (20 years) still gives a rate at which NPV is zero."""
    flows = [-25_000.0] + [0.0] * 6 + [300.0 * 1.02 ** (t // 12) for t in range(234)]
    rate = irr(flows)
    assert rate is not None
    assert math.isfinite(rate)
    assert abs(npv(rate, flows)) < 1e-6 * sum(abs(f) for f in flows)


def test_irr_none_without_sign_change() -> None:
    """All-positive, all-negative and all-zero flows have no IRR."""
    assert irr([0.0, 10.0, 10.0]) is None
    assert irr([-10.0, 0.0, -5.0]) is None
    assert irr([0.0, 0.0]) is None


def test_irr_several_roots_is_null() -> None:
    """Flows with two roots (+10 % and +20 % a month here) have no IRR (MODEL.md v2), and two roots are counted."""
    # (1 + r) roots 1.1 and 1.2: f = [-1, 2.3, -1.32] has NPV = -(x - 1/1.1)(x - 1/1.2) * 1.32 / x^2...
    flows = [-1.0, 2.3, -1.32]
    assert irr(flows) is None
    assert irr_and_roots(runs_of(flows)) == (None, 2)
    assert irr([-1.0, 1.1]) == pytest.approx(1.1**12 - 1, rel=1e-9)  # one root: the rate


def test_irr_extreme_rates_stay_finite() -> None:
    """A tiny investment with large returns gives a huge but finite rate or null, never NaN."""
    rate = irr([-1e-6] + [1000.0] * 12)
    assert rate is None or math.isfinite(rate)
    rate = irr([-1000.0] + [1e-9] * 120)
    assert rate is not None
    assert -1.0 < rate < 0.0


def test_irr_finds_a_negative_rate_after_a_tail_of_tiny_benefits() -> None:
    """Norström's count for negative rates sums the flows from the end, so tiny benefits after a
    large cost are not rounded away (found by the fast-path property test: evaluate() said null)."""
    c = cred(study_weeks=1.0, study_hours_per_week=5.0, recognition=1.0, uplift_typical=1e-13)
    c = c.replace(subscription_monthly=13.0, validity_years=1.0)
    p = Profile(salary=1.0, horizon_years=2.0, discount_rate=0.0, salary_growth=0.0, tax_rate=0.0, time_value=100.0)
    p = p.replace(selection_adjustment=0.5)
    e = evaluate(c, p)
    rate = irr(e.flows.cash_flow)
    assert rate is not None
    assert -1.0 < rate < -0.99
    assert e.irr == pytest.approx(rate, rel=1e-9)


def test_profile_rejects_out_of_range_values() -> None:
    """Each profile bound of MODEL.md raises ProfileError naming the field."""
    bad = {
        "salary": -1.0,
        "hours_per_week": 0.0,
        "horizon_years": 0.0,
        "discount_rate": -1.0,
        "tax_rate": 1.5,
        "employer_share": -0.1,
        "selection_adjustment": 2.0,
        "lag_months": -3.0,
        "time_value": math.inf,
    }
    for name, value in bad.items():
        with pytest.raises(ProfileError) as info:
            Profile(**{name: value})  # type: ignore[arg-type]
        assert info.value.field == name
    with pytest.raises(ProfileError, match="finite"):
        Profile(salary=math.nan)
    with pytest.raises(ProfileError, match="scenario"):
        Profile(scenario="best")  # type: ignore[arg-type]


def test_random_cases_agree_with_independent_reading() -> None:
    """On 300 random credentials and profiles, NPV, ROI and payback equal a naive month loop."""
    rng = random.Random(20261128)
    for _ in range(300):
        case = ref.Case(
            exam_fee=rng.choice([0.0, rng.uniform(0, 1500)]),
            training=rng.uniform(0, 3000),
            materials=rng.uniform(0, 300),
            subscription_monthly=rng.choice([0.0, rng.uniform(10, 400)]),
            weeks=rng.uniform(0.5, 80),
            hours_per_week=rng.uniform(1, 40),
            pass_rate=rng.uniform(0.2, 1.0),
            validity_years=rng.choice([None, rng.uniform(0.5, 5), 1.0, 3.0]),
            renewal_cost=rng.uniform(0, 800),
            recognition=rng.uniform(0, 1),
            uplift=rng.uniform(0, 0.3),
            salary=rng.uniform(20_000, 250_000),
            pace=rng.choice([None, rng.uniform(1, 40)]),
            horizon_years=rng.choice([rng.uniform(0.5, 20), 5.0, 10.0]),
            discount_rate=rng.uniform(-0.02, 0.15),
            salary_growth=rng.uniform(-0.03, 0.08),
            tax_rate=rng.uniform(0, 0.6),
            time_value=rng.choice([None, rng.uniform(0, 80)]),
            employer_share=rng.choice([0.0, rng.uniform(0, 1)]),
            selection_adjustment=rng.uniform(0, 0.8),
            lag_months=rng.choice([0.0, float(rng.randint(0, 12))]),
        )
        c = cred(
            exam_fee=case.exam_fee,
            training=case.training,
            materials=case.materials,
            subscription_monthly=case.subscription_monthly,
            study_weeks=case.weeks,
            study_hours_per_week=case.hours_per_week,
            pass_rate=case.pass_rate,
            validity_years=case.validity_years,
            renewal_cost=case.renewal_cost,
            recognition=case.recognition,
            uplift_typical=case.uplift,
        )
        p = Profile(
            salary=case.salary,
            hours_per_week=case.pace,
            horizon_years=case.horizon_years,
            discount_rate=case.discount_rate,
            salary_growth=case.salary_growth,
            tax_rate=case.tax_rate,
            time_value=case.time_value,
            employer_share=case.employer_share,
            selection_adjustment=case.selection_adjustment,
            lag_months=case.lag_months,
        )
        e = evaluate(c, p)
        benefit, renewal, cash, investment = ref.flows(case)
        scale = investment + sum(abs(f) for f in cash) + 1.0
        assert e.npv == pytest.approx(ref.npv(case), rel=1e-9, abs=1e-9 * scale)
        assert e.flows.cash_flow == pytest.approx(cash, rel=1e-12, abs=1e-9)
        assert e.payback_months == ref.payback(cash)
        cost = investment + sum(renewal)
        if cost > 0:
            assert e.roi == pytest.approx((sum(benefit) - cost) / cost, rel=1e-9, abs=1e-12)
        # the numpy-financial NPV convention: f(0) is not discounted
        rm = (1 + case.discount_rate) ** (1 / 12) - 1
        assert e.npv == pytest.approx(float(npf.npv(rm, cash)), rel=1e-9, abs=1e-9 * scale)


def test_evaluate_all_ranks_by_npv_then_id() -> None:
    """Results come highest NPV first; equal NPVs are ordered by id."""
    creds = [cred(id="b"), cred(id="a"), cred(id="c", uplift_typical=0.2)]
    ranked = [e.credential.id for e in evaluate_all(creds, Profile())]
    assert ranked == ["c", "a", "b"]


def test_group_stats_medians_and_best() -> None:
    """Group statistics use statistics.median, skip undefined ROI, and name the highest-NPV id."""
    creds = [
        cred(id="m1", kind="micro-credential", uplift_typical=0.0, study_hours_per_week=1.0, study_weeks=1.0),
        cred(id="m2", kind="micro-credential", uplift_typical=0.05),
        cred(id="c1", exam_fee=300.0, uplift_typical=0.1),
    ]
    p = Profile(time_value=0.0)
    results = evaluate_all(creds, p)
    groups = groups_by_kind(results)
    assert [g.group for g in groups] == ["certification", "micro-credential"]
    micro = groups[1]
    assert micro.count == 2
    assert micro.median_roi is None  # neither micro credential costs anything: ROI undefined for both
    assert micro.best == "m2"
    assert micro.share_npv_positive == 0.5
    npvs = sorted(e.npv for e in results if e.credential.kind == "micro-credential")
    assert micro.median_npv == pytest.approx(sum(npvs) / 2)
    with pytest.raises(ValueError, match="at least one"):
        group_stats("empty", [])


def test_profile_is_an_immutable_value_with_a_checked_replace() -> None:
    base = Profile(salary=90_000.0)
    assert base == Profile(salary=90_000.0)
    assert hash(base) == hash(Profile(salary=90_000.0))
    moved = base.replace(tax_rate=0.3)
    assert (moved.salary, moved.tax_rate) == (90_000.0, 0.3)
    assert base.tax_rate == 0.25  # the original is untouched
    with pytest.raises(ProfileError, match="tax_rate"):
        base.replace(tax_rate=1.5)
    with pytest.raises(AttributeError):
        base.salary = 1.0  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(moved)) == moved
