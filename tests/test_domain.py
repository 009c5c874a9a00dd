"""Every engine path is total over the accepted domain: each profile field at and near its bounds.

A value the profile table accepts must never crash a command's computation or put NaN or an
infinity into a result: compare (evaluate), rank, sensitivity, flip, simulate and plan are all
fed every field's extremes, one field at a time, against credentials chosen for their shapes.
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credroi.catalog import load_catalog
from credroi.model import analysis
from credroi.model.engine import Credential, evaluate
from credroi.model.plan import PlanLimits, best_plan
from credroi.model.profile import PROFILE_FIELDS, Profile, ProfileError, Setting
from credroi.model.simulate import simulate

NUMERIC = [s for s in PROFILE_FIELDS if s.spec.unit != "text" and not s.spec.choices]
SHAPES = ["aws-ccp", "cissp", "google-it-support", "pmp", "salesforce-superbadge"]


def edges(setting: Setting) -> list[float]:
    """The extremes a user may type for one field: its bounds, just inside them, the tiniest normal number, huge."""
    spec = setting.spec
    low = spec.low if spec.low is not None else -1e12
    high = spec.high if spec.high is not None else 1e12
    above = math.nextafter(low, math.inf)
    if 0.0 < abs(above) < sys.float_info.min:  # subnormal numbers are refused (test_hostile checks that)
        above = sys.float_info.min
    out = [above, math.nextafter(high, -math.inf), high, (low + high) / 2]
    if not spec.low_open:
        out.append(low)
    if low <= sys.float_info.min <= high:
        out.append(sys.float_info.min)
    return out


CASES = [(s.name, v) for s in NUMERIC for v in edges(s)]


@pytest.fixture(scope="module")
def creds() -> list[Credential]:
    cat = load_catalog(cache=False)
    return [cat.credential(i) for i in SHAPES if i in cat.ids]


def finite_or_none(value: object) -> bool:
    return value is None or not isinstance(value, float) or math.isfinite(value)


def check_profile(profile: Profile, creds: list[Credential]) -> None:
    results = [evaluate(c, profile) for c in creds]
    for result in results:
        for name in type(result).__slots__:
            value = getattr(result, name, None)
            assert finite_or_none(value), (name, value)
    analysis.rank(creds, profile)
    for swing in analysis.sensitivity(creds[0], profile):
        assert all(math.isfinite(x) for x in (swing.low_value, swing.high_value, swing.npv_low, swing.npv_high))
    for flip in analysis.flip_points(creds[0], creds[1], profile):
        assert finite_or_none(flip.flip_value)
        assert math.isfinite(flip.low)
        assert math.isfinite(flip.high)
    sim = simulate(creds[1], profile, draws=64, seed=1)
    assert math.isfinite(sim.p_npv_positive)
    assert math.isfinite(sim.npv_p10)
    assert math.isfinite(sim.npv_p90)
    plan = best_plan(creds, profile, PlanLimits(max_credentials=2))
    if plan is not None:
        assert math.isfinite(plan.npv)


@pytest.mark.parametrize(("name", "value"), CASES, ids=[f"{n}={v:.3g}" for n, v in CASES])
def test_every_field_at_its_edges(creds: list[Credential], name: str, value: float) -> None:
    """One field at a time at each of its extremes; the rest at their defaults."""
    try:
        profile = replace(Profile(), **{name: value})
    except ProfileError:
        pytest.fail(f"{name}={value!r} is within the table's bounds but refused")
    check_profile(profile, creds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fields_at_their_edges_together(creds: list[Credential], data: st.DataObject) -> None:
    """Several fields at their extremes at once (hypothesis picks which and where)."""
    chosen = data.draw(st.lists(st.sampled_from(NUMERIC), min_size=2, max_size=5, unique_by=lambda s: s.name))
    values = {s.name: data.draw(st.sampled_from(edges(s))) for s in chosen}
    try:
        profile = replace(Profile(), **values)
    except ProfileError:
        return  # a combination the profile refuses as a whole (e.g. a target pay without a role)
    check_profile(profile, creds)
