"""Decision analysis: rank filters and order, groups by field, the tornado, flip points, flow tables."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credroi.catalog import load_catalog
from credroi.model import analysis
from credroi.model.engine import Credential, evaluate, linear_parts, npv, npv_of, npv_scorer
from credroi.model.profile import Profile, Role

from .strategies import credentials, profiles

CATALOG = load_catalog()
CREDS = CATALOG.credentials()
P = Profile()


@given(credentials(), profiles())
def test_linear_parts_rebuild_the_npv(cred: Credential, profile: Profile) -> None:
    """fixed - fee / p + per_gain * gain * recognition is evaluate()'s NPV."""
    e = evaluate(cred, profile)
    parts = linear_parts(cred, profile)
    rebuilt = (
        parts.fixed
        - parts.per_attempt / cred.pass_rate
        + parts.per_gain * (cred.uplift(profile.scenario) * profile.salary) * cred.recognition
    )
    scale = sum(abs(f) for f in e.flows.cash_flow) + 1.0
    assert rebuilt == pytest.approx(e.npv, abs=1e-7 * scale)
    assert npv_of(cred, profile) == pytest.approx(e.npv, abs=1e-7 * scale)


@pytest.mark.parametrize("by", analysis.RANK_BY)
def test_rank_orders_best_first_with_nulls_last(by: analysis.RankBy) -> None:
    results = analysis.rank(CREDS, P, by=by)
    assert len(results) == len(CREDS)
    metric = {
        "npv": lambda e: -e.npv,
        "roi": lambda e: None if e.roi is None else -e.roi,
        "payback": lambda e: e.payback_months,
        "irr": lambda e: None if e.irr is None else -e.irr,
        "break-even": lambda e: e.break_even_uplift,
    }[by]
    values = [metric(e) for e in results]
    present = [v for v in values if v is not None]
    assert present == sorted(present)
    assert values == present + [None] * (len(values) - len(present))


def test_rank_filters_and_top() -> None:
    keep = analysis.RankFilter(kind="certification", fields=("Cloud",), budget=200.0, max_weeks=8.0)
    results = analysis.rank(CREDS, P, keep=keep, top=3)
    assert 0 < len(results) <= 3
    for r in results:
        assert r.credential.kind == "certification"
        assert "cloud" in r.credential.fields
        assert r.derived.out_of_pocket <= 200.0 + 1e-9
        assert r.derived.study_weeks <= 8.0 + 1e-9
    everything = analysis.rank(CREDS, P, keep=keep)
    assert [r.credential.id for r in results] == [r.credential.id for r in everything[:3]]
    assert analysis.rank(CREDS, P, keep=analysis.RankFilter(level="expert"))
    assert all(
        r.credential.level == "expert" for r in analysis.rank(CREDS, P, keep=analysis.RankFilter(level="expert"))
    )


def test_max_weeks_uses_the_persons_pace() -> None:
    """At 2 hours a week far fewer credentials fit in 8 weeks than at their own pace."""
    keep = analysis.RankFilter(max_weeks=8.0)
    slow = analysis.rank(CREDS, P.replace(hours_per_week=2.0), keep=keep)
    own = analysis.rank(CREDS, P, keep=keep)
    assert len(slow) < len(own)


def test_groups_by_field_count_each_tag() -> None:
    results = [evaluate(c, P) for c in CREDS]
    groups = analysis.groups_by_field(results)
    tags = {f for c in CREDS for f in c.fields}
    assert {g.group for g in groups} == tags
    assert sum(g.count for g in groups) == sum(len(c.fields) for c in CREDS)
    assert [g.median_npv for g in groups] == sorted((g.median_npv for g in groups), reverse=True)
    cloud = next(g for g in groups if g.group == "cloud")
    assert cloud.count == sum(1 for c in CREDS if "cloud" in c.fields)


def test_sensitivity_ranges_and_order() -> None:
    cred = CATALOG.get("aws-saa").to_credential()
    swings = analysis.sensitivity(cred, P)
    names = [s.input for s in swings]
    assert names[0] == "uplift"
    assert [s.width for s in swings] == sorted((s.width for s in swings), reverse=True)
    by = {s.input: s for s in swings}
    assert (by["uplift"].low_value, by["uplift"].high_value) == (cred.uplift_low, cred.uplift_high)
    assert by["salary"].low_value == pytest.approx(60_000)
    assert by["salary"].high_value == pytest.approx(90_000)
    assert (by["lag_months"].low_value, by["lag_months"].high_value) == (0.0, 3.0)
    assert "training" not in by  # a cost of 0 has no range
    # each end is the NPV of the model with that one input changed
    assert by["exam_fee"].npv_high == pytest.approx(evaluate(cred.replace(exam_fee=180.0), P).npv)
    assert by["salary"].npv_low == pytest.approx(evaluate(cred, P.replace(salary=60_000.0)).npv)


@settings(max_examples=40, deadline=None)
@given(credentials(), profiles())
def test_sensitivity_is_finite_and_brackets_the_uplift(cred: Credential, profile: Profile) -> None:
    swings = analysis.sensitivity(cred, profile)
    for s in swings:
        assert math.isfinite(s.npv_low)
        assert math.isfinite(s.npv_high)
        assert s.low_value < s.high_value
    uplift = next((s for s in swings if s.input == "uplift"), None)
    if uplift is not None:
        assert uplift.npv_low <= uplift.npv_high + 1e-6 * (abs(uplift.npv_high) + 1)


def test_flip_values_are_where_the_lead_changes() -> None:
    a = CATALOG.get("aws-saa").to_credential()
    b = CATALOG.get("google-data-analytics").to_credential()
    flips = {f.input: f for f in analysis.flip_points(a, b, P)}
    applies = set(analysis.SHARED) - {"target_salary"}  # the target pay applies only under the goal switch
    assert set(flips) == applies | {f"{c}.{n}" for c in (a.id, b.id) for n in analysis.OWN}
    # linear: B's uplift at which both NPVs are equal
    f = flips["google-data-analytics.uplift"]
    assert f.method == "linear"
    assert f.flip_value is not None
    moved = b.replace(uplift_low=f.flip_value, uplift_typical=f.flip_value, uplift_high=f.flip_value)
    assert npv_of(moved, P) == pytest.approx(npv_of(a, P), abs=1e-6)
    # bisection: A's study hours where the NPVs cross
    g = flips["aws-saa.study_hours"]
    assert g.method == "bisection"
    assert g.flip_value is not None
    below = a.replace(study_weeks=(g.flip_value - 0.5) / a.study_hours_per_week)
    above = a.replace(study_weeks=(g.flip_value + 0.5) / a.study_hours_per_week)
    assert npv_of(below, P) > npv_of(b, P) > npv_of(above, P)
    # none within range: no salary makes the micro-credential better here
    assert flips["salary"].flip_value is None


def test_flip_salary_is_solved_in_closed_form() -> None:
    """NPV is linear in salary, so the flip salary equalises the two NPVs exactly."""
    a = CATALOG.get("pmp").to_credential()
    b = CATALOG.get("terraform-associate").to_credential()
    f = next(x for x in analysis.flip_points(a, b, P) if x.input == "salary")
    assert f.flip_value is not None
    p = P.replace(salary=f.flip_value)
    assert npv_of(a, p) == pytest.approx(npv_of(b, p), abs=1e-6)


@given(credentials(), profiles())
def test_monthly_flows_discount_to_the_npv(cred: Credential, profile: Profile) -> None:
    e = evaluate(cred, profile)
    rows = analysis.monthly_flows(e, profile)
    assert [r.period for r in rows] == list(range(profile.months + 1))
    scale = sum(abs(f) for f in e.flows.cash_flow) + 1.0
    assert math.fsum(r.discounted for r in rows) == pytest.approx(e.npv, abs=1e-7 * scale)
    assert rows[-1].cumulative == pytest.approx(math.fsum(e.flows.cash_flow), abs=1e-7 * scale)
    years = analysis.yearly_flows(rows)
    assert years[0].cash_flow == rows[0].cash_flow
    assert math.fsum(y.cash_flow for y in years) == pytest.approx(
        math.fsum(r.cash_flow for r in rows), abs=1e-7 * scale
    )
    assert math.fsum(y.discounted for y in years) == pytest.approx(
        npv(profile.discount_rate, e.flows.cash_flow), abs=1e-7 * scale
    )
    assert len(years) == 1 + math.ceil(profile.months / 12)


def test_flip_needs_inputs_in_range() -> None:
    """Every input flip moves has a non-empty range, and flip moves every profile field with a sweep."""
    by_name = {i.name: i for i in analysis.INPUTS}
    for name in (*analysis.SHARED, *analysis.OWN):
        flip = by_name[name].flip
        assert flip is not None, name
        assert flip[0] < flip[1], name
    assert set(analysis.SHARED) == {
        "salary",
        "horizon_years",
        "discount_rate",
        "salary_growth",
        "tax_rate",
        "time_value",
        "selection_adjustment",
        "lag_months",
        "target_salary",
    }


@given(st.sampled_from(CREDS), st.sampled_from(CREDS))
@settings(max_examples=25, deadline=None)
def test_flip_points_are_inside_their_ranges(a: Credential, b: Credential) -> None:
    for f in analysis.flip_points(a, b, P):
        if f.flip_value is not None:
            assert f.low - 1e-9 <= f.flip_value <= f.high + 1e-9


@given(st.sampled_from(CREDS), profiles())
def test_npv_scorer_gives_npv_ofs_numbers(cred: Credential, profile: Profile) -> None:
    """The ranking scorer computes exactly npv_of's NPV, and the derived cost and weeks."""
    value, out_of_pocket, weeks = npv_scorer(profile)(cred)
    assert value == npv_of(cred, profile)
    d = evaluate(cred, profile).derived
    assert out_of_pocket == pytest.approx(d.out_of_pocket)
    assert weeks == pytest.approx(d.study_weeks)


def test_sensitivity_under_switch_moves_the_target_pay_not_the_uplift() -> None:
    """Under the goal switch the tornado moves the target pay (±20 %) and leaves out the uplift, which moves nothing."""
    role = Role("it-support", "IT support", 47_000.0, 60_340.0, 77_000.0)
    cred = CATALOG.get("google-it-support").to_credential().replace(roles=("it-support",))
    switch = Profile(salary=33_700, goal="switch", target_role="it-support", role=role)
    swings = {s.input: s for s in analysis.sensitivity(cred, switch)}
    assert "uplift" not in swings
    pay = swings["target_salary"]
    assert (pay.low_value, pay.high_value) == pytest.approx((0.8 * 60_340, 1.2 * 60_340))
    assert pay.npv_high > pay.npv_low
    assert "target_salary" not in {s.input for s in analysis.sensitivity(cred, P)}  # not under raise
