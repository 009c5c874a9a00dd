"""Hypothesis strategies shared by the property tests: credentials and profiles over wide ranges."""

from __future__ import annotations

from hypothesis import strategies as st

from credroi.model.engine import Credential
from credroi.model.profile import Profile

money = st.floats(min_value=0, max_value=5_000, allow_nan=False)
fraction = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def credentials(draw: st.DrawFn) -> Credential:
    low, typical, high = sorted(draw(st.lists(st.floats(0, 0.5), min_size=3, max_size=3)))
    return Credential(
        id="x",
        name="X",
        kind=draw(st.sampled_from(["certification", "micro-credential"])),
        study_weeks=draw(st.floats(0.1, 150)),
        study_hours_per_week=draw(st.floats(0.5, 60)),
        recognition=draw(fraction),
        uplift_low=low,
        uplift_typical=typical,
        uplift_high=high,
        exam_fee=draw(money),
        training=draw(money),
        materials=draw(money),
        subscription_monthly=draw(st.floats(0, 500)),
        pass_rate=draw(st.floats(0.05, 1.0)),
        validity_years=draw(st.none() | st.floats(0.25, 10)),
        renewal_cost=draw(money),
    )


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    return Profile(
        salary=draw(st.floats(0, 500_000)),
        hours_per_week=draw(st.none() | st.floats(0.5, 60)),
        horizon_years=draw(st.floats(0.1, 30)),
        discount_rate=draw(st.floats(-0.05, 0.3)),
        salary_growth=draw(st.floats(-0.05, 0.1)),
        tax_rate=draw(fraction),
        time_value=draw(st.none() | st.floats(0, 200)),
        employer_share=draw(fraction),
        selection_adjustment=draw(fraction),
        lag_months=draw(st.floats(0, 36)),
        scenario=draw(st.sampled_from(["low", "typical", "high"])),
    )
