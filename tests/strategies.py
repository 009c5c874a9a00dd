"""Hypothesis strategies shared by the property tests: credentials and profiles over wide ranges."""

from __future__ import annotations

from hypothesis import strategies as st

from credroi.model.engine import Credential
from credroi.model.profile import Profile


def floats(*args: float | None, **kwargs: object) -> st.SearchStrategy[float]:
    """``st.floats`` without subnormal numbers: credroi refuses them as input (test_domain, test_hostile)."""
    return st.floats(*args, allow_subnormal=False, **kwargs)  # type: ignore[arg-type]


money = floats(min_value=0, max_value=5_000, allow_nan=False)
fraction = floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def credentials(draw: st.DrawFn) -> Credential:
    low, typical, high = sorted(draw(st.lists(floats(0, 0.5), min_size=3, max_size=3)))
    return Credential(
        id="x",
        name="X",
        kind=draw(st.sampled_from(["certification", "micro-credential"])),
        study_weeks=draw(floats(0.1, 150)),
        study_hours_per_week=draw(floats(0.5, 60)),
        recognition=draw(fraction),
        uplift_low=low,
        uplift_typical=typical,
        uplift_high=high,
        exam_fee=draw(money),
        training=draw(money),
        materials=draw(money),
        subscription_monthly=draw(floats(0, 500)),
        pass_rate=draw(floats(0.05, 1.0)),
        validity_years=draw(st.none() | floats(0.25, 10)),
        renewal_cost=draw(money),
    )


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    return Profile(
        salary=draw(floats(0, 500_000)),
        hours_per_week=draw(st.none() | floats(0.5, 60)),
        horizon_years=draw(floats(0.1, 30)),
        discount_rate=draw(floats(-0.05, 0.3)),
        salary_growth=draw(floats(-0.05, 0.1)),
        tax_rate=draw(fraction),
        time_value=draw(st.none() | floats(0, 200)),
        employer_share=draw(fraction),
        selection_adjustment=draw(fraction),
        lag_months=draw(floats(0, 36)),
        scenario=draw(st.sampled_from(["low", "typical", "high"])),
    )


# --- Version 2: goals, roles and experience ---------------------------------------------------------------

from credroi.model.profile import Role  # noqa: E402  (appended section: the lines above stay as they were)

TARGET_ROLE = "target"


@st.composite
def target_roles(draw: st.DrawFn) -> Role:
    """A role ``target`` with ordered pay low <= typical <= high (sometimes all equal)."""
    low, typical, high = sorted(draw(st.lists(floats(0, 300_000), min_size=3, max_size=3)))
    if draw(st.booleans()) and draw(st.booleans()):
        low = typical = high
    return Role(TARGET_ROLE, "Target", low, typical, high)


@st.composite
def credentials_v2(draw: st.DrawFn) -> Credential:
    """A credential that may prepare for the role ``target`` (or others) and may ask for experience."""
    cred = draw(credentials())
    roles = draw(st.sampled_from([(), (TARGET_ROLE,), ("other", TARGET_ROLE), ("other",)]))
    return cred.replace(roles=roles, experience_required=draw(st.sampled_from([0.0, 1.0, 2.5, 5.0])))


@st.composite
def profiles_v2(draw: st.DrawFn) -> Profile:
    """A profile with goal raise or switch (into ``target``), the lag set or not, experience set or not."""
    base = draw(profiles())
    changes: dict[str, object] = {
        "lag_months": draw(st.none() | floats(0, 36)),
        "experience_years": draw(st.none() | st.sampled_from([0.0, 1.0, 2.5, 4.0, 10.0])),
    }
    if draw(st.booleans()):
        changes.update(
            goal="switch",
            target_role=TARGET_ROLE,
            role=draw(target_roles()),
            target_salary=draw(st.none() | floats(0, 300_000)),
        )
    return base.replace(**changes)
