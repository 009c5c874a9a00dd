"""Hypothesis properties of the engine: monotonicity, IRR and break-even roots, payback, finiteness."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from credroi.model.engine import (
    Credential,
    cash_flows,
    derive,
    evaluate,
    linear_parts,
    npv,
    npv_of,
    simple_roi,
)
from credroi.model.irr import irr
from credroi.model.profile import Profile

from .strategies import credentials, money, profiles


def _tol(flows: list[float]) -> float:
    return 1e-7 * (sum(abs(f) for f in flows) + 1.0)


@given(credentials(), profiles(), st.floats(0, 0.5))
def test_npv_rises_with_uplift(cred: Credential, profile: Profile, extra: float) -> None:
    """Raising every uplift scenario never lowers NPV."""
    more = cred.replace(
        uplift_low=cred.uplift_low + extra,
        uplift_typical=cred.uplift_typical + extra,
        uplift_high=cred.uplift_high + extra,
    )
    a, b = evaluate(cred, profile), evaluate(more, profile)
    assert b.npv >= a.npv - _tol(a.flows.cash_flow)


@given(credentials(), profiles(), money, st.sampled_from(["exam_fee", "training", "materials", "renewal_cost"]))
def test_npv_falls_with_cost(cred: Credential, profile: Profile, extra: float, cost: str) -> None:
    """Raising any cost never raises NPV."""
    more = cred.replace(**{cost: getattr(cred, cost) + extra})
    a, b = evaluate(cred, profile), evaluate(more, profile)
    assert b.npv <= a.npv + _tol(a.flows.cash_flow)


@given(credentials(), profiles())
def test_npv_at_irr_is_zero(cred: Credential, profile: Profile) -> None:
    """Where an IRR exists, discounting the flows at it gives NPV 0."""
    e = evaluate(cred, profile)
    if e.irr is None:
        return
    flows = e.flows.cash_flow
    assert math.isfinite(e.irr)
    assert e.irr >= -1.0
    if e.irr < -0.99:
        return  # near -100 % a year the annual float cannot give the monthly rate back precisely
    # evaluate in log space to avoid overflow at extreme rates
    monthly_log = math.log1p(e.irr) / 12.0
    scale = max(abs(f) * math.exp(-monthly_log * t) for t, f in enumerate(flows))
    value = math.fsum(f * math.exp(-monthly_log * t) for t, f in enumerate(flows))
    assert abs(value) <= 1e-6 * scale * len(flows)


@given(credentials(), profiles())
def test_payback_is_first_month_cumulative_non_negative(cred: Credential, profile: Profile) -> None:
    """Payback is the first month whose cumulative cash is >= 0 (within 1e-9); null if none."""
    e = evaluate(cred, profile)
    cumulative = list(itertools.accumulate(e.flows.cash_flow))
    if e.payback_months is None:
        assert all(c < -1e-9 for c in cumulative)
    else:
        assert cumulative[e.payback_months] >= -1e-9
        assert all(c < -1e-9 for c in cumulative[: e.payback_months])


@given(credentials(), profiles())
def test_npv_at_break_even_uplift_is_zero(cred: Credential, profile: Profile) -> None:
    """Setting the uplift to the break-even raise makes NPV 0."""
    e = evaluate(cred, profile)
    if e.break_even_uplift is None or profile.salary < 1.0:
        return  # below one unit of salary the uplift fraction needed is astronomic (inf when subnormal)
    fraction_needed = e.break_even_uplift / profile.salary
    at = cred.replace(uplift_low=fraction_needed, uplift_typical=fraction_needed, uplift_high=fraction_needed)
    result = evaluate(at, profile)
    assert abs(result.npv) <= _tol(result.flows.cash_flow)


def _close(fast: float, reference: float, scale: float) -> bool:
    return abs(fast - reference) <= 1e-9 * scale


@settings(max_examples=300)
@given(credentials(), profiles())
def test_fast_path_equals_the_reference_path(cred: Credential, profile: Profile) -> None:
    """evaluate()'s closed forms over the cached Shape agree with the month-by-month definition to 1e-9 relative.

    The reference path is docs/model.md read literally: derive, cash_flows and npv; ROI from the
    summed flows, payback from their running sum, IRR from the flows themselves. NPV is relative to
    the present value of the flows' sizes (an NPV near 0 is a difference of large terms), ROI to
    1 + |ROI| (the ratio of benefit to cost), IRR to 1 + |IRR| where it is large and to itself
    where it is not. The simulation's linear parts and the rank scorer give evaluate()'s NPV exactly.
    """
    e = evaluate(cred, profile)
    d = derive(cred, profile)
    cf = cash_flows(cred, profile, d)
    flows = cf.cash_flow
    assert e.derived == d

    size = d.investment + npv(profile.discount_rate, cf.benefit) + npv(profile.discount_rate, cf.renewal)
    assert _close(e.npv, npv(profile.discount_rate, flows), size)

    roi = simple_roi(math.fsum(cf.benefit), d.investment, math.fsum(cf.renewal))
    assert (e.roi is None) == (roi is None)
    if e.roi is not None and roi is not None:
        assert _close(e.roi, roi, 1.0 + abs(roi))

    cumulative = list(itertools.accumulate(flows))
    payback = next((t for t, c in enumerate(cumulative) if c >= -1e-9), None)
    assert e.payback_months == payback

    rate = irr(flows)
    assert (e.irr is None) == (rate is None)
    if e.irr is not None and rate is not None:
        assert _close(e.irr, rate, abs(rate) if abs(rate) < 1.0 else 1.0 + abs(rate))

    parts = linear_parts(cred, profile)
    rebuilt = parts.fixed - parts.per_attempt / cred.pass_rate
    rebuilt += parts.per_gain * (cred.uplift(profile.scenario) * profile.salary * cred.recognition)
    assert rebuilt == e.npv
    assert npv_of(cred, profile) == e.npv


@given(credentials(), profiles())
def test_outputs_are_finite_or_null(cred: Credential, profile: Profile) -> None:
    """Every metric is a finite number or None: never NaN or infinity."""
    values = evaluate(cred, profile).as_dict()
    for key, value in values.items():
        if isinstance(value, float):
            assert math.isfinite(value), key


@settings(max_examples=50)
@given(st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=150))
def test_irr_of_arbitrary_flows_is_a_root_or_null(flows: list[float]) -> None:
    """For any flows, IRR is null or a rate at which NPV vanishes relative to the flows' size."""
    rate = irr(flows)
    if rate is None:
        return
    assert math.isfinite(rate)
    assert rate >= -1.0
    if -0.99 < rate < 1e6:
        value = npv(rate, flows)
        monthly = (1 + rate) ** (1 / 12)
        scale = max(abs(f) / monthly**t for t, f in enumerate(flows))
        assert abs(value) <= 1e-6 * scale * len(flows)


@given(credentials(), profiles(), st.floats(0, 0.2))
def test_npv_falls_as_the_discount_rate_rises(cred: Credential, profile: Profile, extra: float) -> None:
    """With no renewals every flow after month 0 is >= 0, so a higher discount rate never raises NPV."""
    cred = cred.replace(renewal_cost=0.0)
    a = evaluate(cred, profile)
    b = evaluate(cred, profile.replace(discount_rate=profile.discount_rate + extra))
    assert b.npv <= a.npv + _tol(a.flows.cash_flow)


@given(st.lists(st.floats(allow_nan=False, min_value=-1e12, max_value=1e12) | st.just(math.inf), min_size=1))
def test_median_is_statistics_median(values: list[float]) -> None:
    """MODEL.md defines the medians as statistics.median's; the engine's own median is the same number."""
    import statistics

    from credroi.model.engine import median

    assert median(values) == statistics.median(values)
