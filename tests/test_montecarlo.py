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
