"""The simulation: repeatable, independent of which credentials run together, consistent with the model."""

from __future__ import annotations

import bisect
import collections
import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credroi.catalog import load_catalog
from credroi.model import simulate as sim
from credroi.model.engine import Credential, linear_parts
from credroi.model.profile import Profile

from .contract import SIMULATION_KEYS
from .strategies import credentials, profiles

CATALOG = load_catalog()
P = Profile()


def test_same_seed_same_numbers_different_seed_different_numbers() -> None:
    cred = CATALOG.get("aws-saa").to_credential()
    a = sim.simulate(cred, P, draws=2_000, seed=7)
    b = sim.simulate(cred, P, draws=2_000, seed=7)
    c = sim.simulate(cred, P, draws=2_000, seed=8)
    assert a == b
    assert a.npv_mean != c.npv_mean


def test_a_credential_gets_the_same_draws_alone_or_with_others() -> None:
    creds = [CATALOG.get(i).to_credential() for i in ("cissp", "aws-saa", "google-it-support")]
    together = {s.credential.id: s for s in sim.simulate_all(creds, P, draws=1_000)}
    alone = sim.simulate(creds[1], P, draws=1_000)
    assert together["aws-saa"] == alone


def test_summary_matches_the_draws() -> None:
    cred = CATALOG.get("comptia-security-plus").to_credential()
    values = sim.draw_npvs(cred, P, 5_001, sim.DEFAULT_SEED)
    s = sim.simulate(cred, P, draws=5_001)
    ordered = sorted(values)
    assert s.npv_p50 == pytest.approx(ordered[2_500])  # odd count: the middle draw
    assert s.npv_p10 == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[0])
    assert s.p_npv_positive == sum(v > 0 for v in values) / 5_001
    assert s.npv_mean == pytest.approx(math.fsum(values) / 5_001)


@pytest.mark.parametrize("cred_id", ["cissp", "aws-saa", "comptia-a-plus", "google-cybersecurity", "cka"])
def test_mean_is_statistically_consistent_with_the_model(cred_id: str) -> None:
    """The simulated mean lies within 4 standard errors of the exact expectation."""
    cred = CATALOG.get(cred_id).to_credential()
    s = sim.simulate(cred, P, draws=20_000, seed=11)
    values = sim.draw_npvs(cred, P, 20_000, 11)
    se = statistics.pstdev(values) / math.sqrt(len(values))
    assert abs(s.npv_mean - sim.expected_npv(cred, P)) <= 4 * se + 1e-9


def test_share_paid_follows_recognition() -> None:
    """A free credential with no costs: NPV > 0 exactly when employers pay and the raise is > 0."""
    cred = Credential(
        id="free",
        name="Free",
        kind="micro-credential",
        study_weeks=1,
        study_hours_per_week=1,
        recognition=0.3,
        uplift_low=0.01,
        uplift_typical=0.02,
        uplift_high=0.03,
    )
    s = sim.simulate(cred, P.replace(time_value=0.0), draws=20_000, seed=3)
    se = math.sqrt(0.3 * 0.7 / 20_000)
    assert abs(s.p_npv_positive - 0.3) <= 4 * se


def test_attempts_follow_the_pass_rate() -> None:
    """With only an exam fee, the mean cost is fee / pass_rate (geometric attempts)."""
    cred = Credential(
        id="exam",
        name="Exam",
        kind="certification",
        study_weeks=1,
        study_hours_per_week=1,
        recognition=0.0,
        uplift_low=0,
        uplift_typical=0,
        uplift_high=0,
        exam_fee=100,
        pass_rate=0.25,
    )
    values = sim.draw_npvs(cred, P.replace(time_value=0.0), 40_000, 5)
    mean_attempts = -math.fsum(values) / len(values) / 100
    assert mean_attempts == pytest.approx(4.0, rel=0.03)
    assert max(values) == -100.0  # never fewer than one attempt; a quarter pass the first time


@settings(max_examples=30, deadline=None)
@given(credentials(), profiles())
def test_simulation_is_finite_and_ordered(cred: Credential, profile: Profile) -> None:
    s = sim.simulate(cred, profile, draws=200, seed=1)
    for v in (s.npv_mean, s.npv_p10, s.npv_p50, s.npv_p90):
        assert math.isfinite(v)
    assert s.npv_p10 <= s.npv_p50 <= s.npv_p90
    assert 0.0 <= s.p_npv_positive <= 1.0


def test_as_dict_keys_follow_the_contract() -> None:
    s = sim.simulate(CATALOG.get("ccna").to_credential(), P, draws=10)
    assert list(s.as_dict()) == list(sim.SIMULATION_KEYS) == SIMULATION_KEYS
    assert s.as_dict()["draws"] == 10
    assert s.as_dict()["seed"] == sim.DEFAULT_SEED


@pytest.mark.parametrize(
    ("n", "p"),
    [(5, 0.3), (30, 0.2), (12, 0.95), (200, 0.5), (1_000, 0.07), (10_000, 0.9), (400, 0.5), (60, 0.25)],
)
def test_binomial_counts_follow_the_exact_distribution(n: int, p: float) -> None:
    """Both samplers (waiting times for n*p < 10, BTRS otherwise) match the exact CDF (Kolmogorov-Smirnov)."""
    rng = random.Random(f"binomial:{n}:{p}")
    samples = 20_000
    counts = collections.Counter(sim.binomial(rng, n, p) for _ in range(samples))
    assert min(counts) >= 0
    assert max(counts) <= n
    worst, cdf, seen = 0.0, 0.0, 0
    for k in range(n + 1):
        cdf += math.exp(
            math.lgamma(n + 1)
            - math.lgamma(k + 1)
            - math.lgamma(n - k + 1)
            + k * math.log(p)
            + (n - k) * math.log1p(-p)
        )
        seen += counts.get(k, 0)
        worst = max(worst, abs(seen / samples - cdf))
    assert worst < 1.95 / math.sqrt(samples)  # the 0.1 % critical value of the KS statistic
    mean = sum(k * c for k, c in counts.items()) / samples
    assert abs(mean - n * p) <= 5 * math.sqrt(n * p * (1 - p) / samples)


@given(st.integers(-3, 10**9), st.floats(-0.5, 1.5), st.integers(0, 2**32))
def test_binomial_stays_within_zero_and_n(n: int, p: float, seed: int) -> None:
    k = sim.binomial(random.Random(seed), n, p)
    assert 0 <= k <= max(n, 0)
    if p <= 0.0 or n <= 0:
        assert k == 0
    if p >= 1.0 and n > 0:
        assert k == n


@settings(max_examples=30, deadline=None)
@given(credentials(), profiles(), st.integers(1, 3_000))
def test_draws_come_sorted_and_complete(cred: Credential, profile: Profile, draws: int) -> None:
    values = sim.draw_npvs(cred, profile, draws, 5)
    assert len(values) == draws
    assert values == sorted(values)
    parts = linear_parts(cred, profile)
    top = parts.per_gain * profile.salary
    assert values[-1] <= parts.fixed - parts.per_attempt + top * cred.uplift_high + 1e-6 * (1 + abs(parts.fixed) + top)


def test_draws_match_a_one_by_one_simulation() -> None:
    """Grouped draws and plain one-at-a-time draws of the same model agree in distribution (two-sample KS)."""
    cred = CATALOG.get("comptia-security-plus").to_credential()
    parts = linear_parts(cred, P)
    rng = random.Random(99)
    plain = []
    for _ in range(20_000):
        attempts = 1
        while rng.random() >= cred.pass_rate:
            attempts += 1
        paid = rng.random() < cred.recognition
        uplift = rng.triangular(cred.uplift_low, cred.uplift_high, cred.uplift_typical)
        plain.append(parts.fixed - parts.per_attempt * attempts + (parts.per_gain * P.salary * uplift if paid else 0.0))
    plain.sort()
    grouped = sim.draw_npvs(cred, P, 20_000, 4)
    points = sorted(set(plain[::50] + grouped[::50]))
    worst = max(abs(bisect.bisect_right(plain, x) - bisect.bisect_right(grouped, x)) / 20_000 for x in points)
    assert worst < 1.95 * math.sqrt(2 / 20_000)


@pytest.mark.parametrize(
    ("n", "p", "repeats"),
    [(20_000, 0.3, 5), (40, 0.3, 2_500), (20_000, 0.002, 5), (20_000, 1e-6, 1)],
)
def test_attempt_groups_are_geometric_on_both_paths(n: int, p: float, repeats: int) -> None:
    """Binomial splits (many draws, usual pass rates) and per-draw inversion (few draws or a low
    pass rate) both give counts that add up to n and a mean number of attempts near 1 / p."""
    rng = random.Random(f"attempts:{n}:{p}")
    total = 0.0
    for _ in range(repeats):
        groups = sim._attempt_groups(rng, n, p)
        assert sum(c for _, c in groups) == n
        assert [k for k, _ in groups] == sorted({k for k, _ in groups})
        assert min(k for k, _ in groups) >= 1
        total += sum(k * c for k, c in groups)
    draws = n * repeats
    sd = math.sqrt(1 - p) / p  # of one geometric draw
    assert abs(total / draws - 1 / p) <= 5 * sd / math.sqrt(draws)


# --- Version 2: the simulation under the goal switch ------------------------------------------------------


def _switch_profile(salary: float, target_salary: float | None = None) -> Profile:
    """A switch into ``it-support`` (pay 47,000 / 60,340 / 77,000) from ``salary``."""
    from credroi.model.profile import Role

    role = Role("it-support", "Computer user support specialist", 47_000.0, 60_340.0, 77_000.0)
    return Profile(salary=salary, goal="switch", target_role="it-support", role=role, target_salary=target_salary)


def _switch_credential(roles: tuple[str, ...]) -> Credential:
    """A credential with a retaken exam (pass rate 0.7) that prepares for ``roles``."""
    return Credential(
        id="switcher",
        name="Switcher",
        kind="certification",
        study_weeks=24,
        study_hours_per_week=10,
        recognition=0.4,
        uplift_low=0.0,
        uplift_typical=0.0,
        uplift_high=0.0,
        exam_fee=250.0,
        subscription_monthly=49.0,
        pass_rate=0.7,
        roles=roles,
    )


@pytest.mark.parametrize(
    ("salary", "target_salary"),
    [(30_000.0, None), (52_000.0, None), (65_000.0, None), (90_000.0, None), (33_700.0, 58_000.0)],
)
def test_switch_mean_is_statistically_consistent_with_expected_npv(salary: float, target_salary: float | None) -> None:
    """Under switch, the simulated mean of an entry that prepares for the role lies within 4 standard errors of
    ``expected_npv`` (salary below the role's pay, inside its triangle, above it, or a fixed target salary)."""
    cred = _switch_credential(("other", "it-support"))
    profile = _switch_profile(salary, target_salary)
    values = sim.draw_npvs(cred, profile, 40_000, 17)
    mean = math.fsum(values) / len(values)
    se = statistics.pstdev(values) / math.sqrt(len(values))
    expected = sim.expected_npv(cred, profile)
    assert abs(mean - expected) <= 4 * se + 1e-9 * (1 + abs(expected))
    assert sim.simulate(cred, profile, draws=40_000, seed=17).npv_mean == pytest.approx(mean, rel=1e-12, abs=1e-9)
    if salary < 77_000.0 or (target_salary or 0.0) > salary:
        assert max(values) > linear_parts(cred, profile).fixed - 250.0  # some draws do gain from the move


@pytest.mark.parametrize("recognition", [0.4, 1.0])
def test_switch_entry_that_does_not_prepare_gains_nothing(recognition: float) -> None:
    """Under switch, every draw of an entry that does not prepare for the role is ``fixed - fee * k``, k >= 1."""
    cred = _switch_credential(("other",)).replace(recognition=recognition)
    profile = _switch_profile(30_000.0)
    parts = linear_parts(cred, profile)
    values = sim.draw_npvs(cred, profile, 5_000, 23)
    for v in values:
        k = (parts.fixed - v) / parts.per_attempt
        assert k == pytest.approx(round(k), abs=1e-9)
        assert round(k) >= 1
    assert max(values) == parts.fixed - parts.per_attempt
    assert sim.expected_npv(cred, profile) == pytest.approx(parts.fixed - parts.per_attempt / cred.pass_rate)


def _excess_by_midpoint(low: float, mode: float, high: float, floor: float, points: int = 200_000) -> float:
    """``E[max(0, X - floor)]`` for X ~ triangular(low, mode, high) by the midpoint rule on [low, high]."""
    import numpy as np

    width = high - low
    x = low + (np.arange(points) + 0.5) * (width / points)
    rising = 2.0 * (x - low) / (width * (mode - low)) if mode > low else np.zeros_like(x)
    falling = 2.0 * (high - x) / (width * (high - mode)) if high > mode else np.zeros_like(x)
    pdf = np.where(x < mode, rising, falling)
    return float(np.sum(np.maximum(0.0, x - floor) * pdf) * (width / points))


def _triangles() -> list[tuple[float, float, float, float]]:
    """Random triangles with floors below low, between low and mode, between mode and high and above high,
    and degenerate triangles (low = mode, mode = high)."""
    rng = random.Random(2026)
    cases = []
    for _ in range(4):
        low, mode, high = sorted(rng.uniform(-50_000, 150_000) for _ in range(3))
        for floor in (
            low - rng.uniform(1, 20_000),
            rng.uniform(low, mode),
            rng.uniform(mode, high),
            high + rng.uniform(1, 20_000),
            mode,
        ):
            cases.append((low, mode, high, floor))
    cases += [
        (40_000.0, 40_000.0, 90_000.0, 30_000.0),
        (40_000.0, 40_000.0, 90_000.0, 55_000.0),
        (40_000.0, 90_000.0, 90_000.0, 55_000.0),
        (40_000.0, 90_000.0, 90_000.0, 95_000.0),
        (0.0, 1.0, 2.0, 1.0),
    ]
    return cases


@pytest.mark.parametrize(("low", "mode", "high", "floor"), _triangles())
def test_expected_excess_matches_numerical_integration(low: float, mode: float, high: float, floor: float) -> None:
    """``expected_excess`` equals the midpoint-rule integral of ``max(0, x - floor)`` against the triangular density."""
    want = _excess_by_midpoint(low, mode, high, floor)
    got = sim.expected_excess(low, mode, high, floor)
    assert got == pytest.approx(want, rel=1e-6, abs=1e-7 * (high - low))
    assert got >= 0.0
    if floor <= low:
        assert got == pytest.approx((low + mode + high) / 3 - floor, rel=1e-12, abs=1e-9 * (high - low))


@pytest.mark.parametrize("floor", [10.0, 50_000.0, 60_000.0])
def test_expected_excess_of_a_point_mass(floor: float) -> None:
    """A degenerate triangle low = mode = high is a point mass: the excess is ``max(0, low - floor)``."""
    assert sim.expected_excess(50_000.0, 50_000.0, 50_000.0, floor) == max(0.0, 50_000.0 - floor)
