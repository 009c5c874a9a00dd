"""The columnar engine (credroi.columnar) gives the scalar engine's numbers, metric by metric, row by row."""

from __future__ import annotations

import math
import random

import pytest

np = pytest.importorskip("numpy")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from credroi import columnar  # noqa: E402
from credroi.catalog import load_catalog  # noqa: E402
from credroi.model.engine import METRIC_KEYS, Credential, evaluate  # noqa: E402
from credroi.model.profile import Profile, Role  # noqa: E402

WHOLE = {"payback_months", "discounted_payback_months", "irr_roots", "study_months"}


def floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_subnormal=False)


@st.composite
def credentials(draw: st.DrawFn) -> Credential:
    """A credential over wide ranges, sometimes preparing for the role ``target``, sometimes renewing often."""
    low, typical, high = sorted(draw(st.lists(floats(0, 0.5), min_size=3, max_size=3)))
    return Credential(
        id="x",
        name="X",
        kind="certification",
        study_weeks=draw(floats(0.1, 150)),
        study_hours_per_week=draw(floats(0.5, 60)),
        recognition=draw(floats(0, 1)),
        uplift_low=low,
        uplift_typical=typical,
        uplift_high=high,
        exam_fee=draw(floats(0, 5_000)),
        training=draw(floats(0, 5_000)),
        materials=draw(floats(0, 5_000)),
        subscription_monthly=draw(floats(0, 500)),
        pass_rate=draw(floats(0.05, 1.0)),
        validity_years=draw(st.none() | floats(0.05, 10)),
        renewal_cost=draw(st.sampled_from([0.0, 50.0, 500.0, 5_000.0]) | floats(0, 50_000)),
        roles=draw(st.sampled_from([(), ("target",), ("other", "target")])),
        experience_required=draw(st.sampled_from([0.0, 1.0, 2.5])),
    )


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """A profile over wide ranges, goal raise or switch, optional values set or not."""
    profile = Profile(
        salary=draw(floats(0, 500_000)),
        hours_per_week=draw(st.none() | floats(0.5, 60)),
        horizon_years=draw(floats(0.1, 30)),
        discount_rate=draw(floats(-0.05, 0.3)),
        salary_growth=draw(st.sampled_from([0.0, 0.02]) | floats(-0.05, 0.1)),
        tax_rate=draw(floats(0, 1)),
        time_value=draw(st.none() | floats(0, 200)),
        employer_share=draw(floats(0, 1)),
        selection_adjustment=draw(floats(0, 1)),
        lag_months=draw(st.none() | floats(0, 36)),
        scenario=draw(st.sampled_from(["low", "typical", "high"])),
        experience_years=draw(st.none() | st.sampled_from([0.0, 2.0])),
    )
    if draw(st.booleans()):
        low, typical, high = sorted(draw(st.lists(floats(0, 300_000), min_size=3, max_size=3)))
        profile = profile.replace(
            goal="switch",
            target_role="target",
            role=Role("target", "Target", low, typical, high),
            target_salary=draw(st.none() | floats(0, 300_000)),
        )
    return profile


def assert_same(pairs: list[tuple[Credential, Profile]], metrics: tuple[str, ...] = METRIC_KEYS) -> None:
    """Every metric of every pair: the columnar value equals evaluate()'s within 1e-9 relative.

    Relative to the money at stake: a figure that is a difference of large present values (an NPV near
    0) is compared to the size of those values, as 1e-9 of the terms is all a float sum can promise.
    """
    table = columnar.CredentialTable([c for c, _ in pairs])
    out = columnar.evaluate_columns(table, np.arange(len(pairs)), columnar.columns_of(pairs), metrics)
    for i, (cred, profile) in enumerate(pairs):
        expected = evaluate(cred, profile).as_dict()
        scale = abs(expected["investment"]) + abs(expected["annual_benefit"]) * (profile.horizon_years + 1) * 2
        scale += cred.renewal_cost * profile.horizon_years * 13
        for key in metrics:
            want, got = expected[key], float(out[key][i])
            where = f"{key} of {cred} for {profile}"
            if want is None:
                assert math.isnan(got), where
            elif key in WHOLE or key == "eligible":
                assert got == float(want), where
            elif key in {"npv", "break_even_uplift"}:
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9 * scale), where  # type: ignore[arg-type]
            else:
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), where  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(credentials(), profiles()), min_size=1, max_size=12))
def test_columnar_equals_scalar_on_random_inputs(pairs: list[tuple[Credential, Profile]]) -> None:
    """On random credentials and profiles (several to a batch, each with its own timing) both engines agree."""
    assert_same(pairs)


def test_columnar_equals_scalar_on_the_bundled_catalog() -> None:
    """Every bundled entry under a few profiles, including a long horizon, no discounting and no growth."""
    profiles_ = [
        Profile(),
        Profile(salary=120_000, horizon_years=40, discount_rate=0.0),
        Profile(salary_growth=0.0, lag_months=2.5, experience_years=1.0),
        Profile(salary=20_000, scenario="low", discount_rate=-0.04),
    ]
    assert_same([(c, p) for c in load_catalog().credentials() for p in profiles_])


def test_several_roots_and_no_root_agree() -> None:
    """Renewals larger than a month's benefit give flows with 0, 1 and several IRRs: the counts and rates agree."""
    rng = random.Random(17)
    pairs = []
    for _ in range(1_500):
        cred = Credential(
            id="x",
            name="X",
            kind="certification",
            study_weeks=rng.uniform(0.1, 50),
            study_hours_per_week=rng.uniform(1, 20),
            recognition=rng.uniform(0, 1),
            uplift_low=0.0,
            uplift_typical=rng.choice([0.0, 0.001, 0.01, 0.05]),
            uplift_high=0.2,
            exam_fee=rng.choice([0.0, 100.0, 1_000.0]),
            pass_rate=rng.uniform(0.1, 1),
            validity_years=rng.choice([None, 0.05, 0.3, 1.0, 2.0, 3.0]),
            renewal_cost=rng.choice([0.0, 50.0, 500.0, 5_000.0, 50_000.0]),
        )
        profile = Profile(
            salary=rng.choice([0.0, 30_000.0, 80_000.0]),
            horizon_years=rng.choice([0.1, 1.0, 5.0, 10.0, 40.0]),
            discount_rate=rng.choice([-0.05, 0.0, 0.03, 0.2]),
            salary_growth=rng.choice([-0.05, 0.0, 0.02]),
            time_value=rng.choice([None, 0.0, 5.0]),
            lag_months=rng.choice([None, 0.0, 2.5]),
        )
        pairs.append((cred, profile))
    roots = {evaluate(c, p).irr_roots for c, p in pairs}
    assert roots == {0, 1, 2}
    assert_same(pairs)


def test_metrics_not_asked_are_not_computed() -> None:
    """Asking for the NPV alone gives the NPV (the same number) without the IRR."""
    pairs = [(c, Profile()) for c in load_catalog().credentials()]
    table = columnar.CredentialTable([c for c, _ in pairs])
    cols = columnar.columns_of(pairs)
    alone = columnar.evaluate_columns(table, np.arange(len(pairs)), cols, ["npv"])
    full = columnar.evaluate_columns(table, np.arange(len(pairs)), cols)
    assert "irr" not in alone
    assert np.array_equal(alone["npv"], full["npv"])
