"""Monte Carlo simulation of the NPV (docs/model.md, "Uncertainty"): pure Python, no I/O.

One draw: the uplift fraction ~ triangular(low, typical, high); the attempts ~ geometric(pass_rate)
(1 + the number of failures); the market pays the raise with probability ``recognition`` (and then
in full). NPV is linear in the attempts and in the paid raise (:func:`credroi.model.engine.linear_parts`),
so a draw never needs a month-by-month loop; :func:`draw_npvs` says how the draws are grouped.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from credroi.model.engine import Credential, gain_distribution, linear_parts
from credroi.model.profile import Profile

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 2026
"""The seed used when none is given, so that repeated runs print equal numbers."""
MAX_DRAWS = 10_000_000

SIMULATION_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "p_npv_positive",
    "npv_mean",
    "npv_p10",
    "npv_p50",
    "npv_p90",
    "draws",
    "seed",
)


@dataclass(frozen=True, slots=True)
class Simulation:
    """The distribution of one credential's NPV over ``draws`` draws."""

    credential: Credential
    p_npv_positive: float
    npv_mean: float
    npv_p10: float
    npv_p50: float
    npv_p90: float
    draws: int
    seed: int

    def as_dict(self) -> dict[str, object]:
        """The simulation object of machine output, keys in :data:`SIMULATION_KEYS` order."""
        return {
            "id": self.credential.id,
            "name": self.credential.name,
            "kind": self.credential.kind,
            "p_npv_positive": self.p_npv_positive,
            "npv_mean": self.npv_mean,
            "npv_p10": self.npv_p10,
            "npv_p50": self.npv_p50,
            "npv_p90": self.npv_p90,
            "draws": self.draws,
            "seed": self.seed,
        }


def draw_npvs(cred: Credential, profile: Profile, draws: int, seed: int) -> list[float]:
    """The NPVs of ``draws`` independent draws, in ascending order.

    The random stream depends only on ``seed`` and the id, so a credential gets the same
    numbers whether it is simulated alone or with others. Every statistic the simulation
    reports (share positive, mean, percentiles) depends only on the multiset of draws, so the
    draws are generated grouped rather than one by one, with exactly the same distribution:

    1. how many draws employers reward (recognition): ``Binomial(draws, recognition)``;
    2. in each of the two groups, how many draws need k attempts, k = 1, 2, ...: a
       geometric split, drawn as ``Binomial(left, pass_rate)`` passes at each attempt among
       those still trying (the geometric distribution is memoryless), or for a low pass rate
       by counting each draw's attempts (:func:`_attempt_groups`);
    3. an unpaid draw's NPV is then ``fixed - fee * k``, the same for all of its group, and
       only the paid draws need an uplift each: triangular(low, typical, high) by inversion
       of sorted uniforms, which gives each group's NPVs already in order.

    So the work per draw is one uniform and its share of a sort for the paid draws only, and
    a merge of a few sorted runs, instead of three uniforms, a logarithm and a full sort.
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    parts = linear_parts(cred, profile)
    rng = random.Random(f"credroi:{seed}:{cred.id}")
    fixed, fee, per_gain = parts.fixed, parts.per_attempt, parts.per_gain
    paid = binomial(rng, draws, cred.recognition)
    out: list[float] = []
    for k, count in _attempt_groups(rng, draws - paid, cred.pass_rate):
        out += [fixed - fee * k] * count
    low, mode, high, scale, offset = gain_distribution(cred, profile)
    clip = scale * low + offset < 0.0  # a drawn pay below the salary: the move gains nothing, not less
    for k, count in _attempt_groups(rng, paid, cred.pass_rate):
        base = fixed - fee * k
        npvs = _sorted_triangular(rng, count, base + per_gain * offset, per_gain * scale, low, mode, high)
        out += [max(v, base) for v in npvs] if clip else npvs
    out.sort()  # a merge of a few ascending runs
    return out


def _attempt_groups(rng: random.Random, n: int, pass_rate: float) -> list[tuple[int, int]]:
    """(attempts, how many of ``n`` draws need that many) for geometric(pass_rate) attempts, k = 1, 2, ...

    Drawn as ``Binomial(left, pass_rate)`` passes at each attempt among those still trying,
    which takes about ``ln(n) / pass_rate`` steps; where that would exceed a tenth of ``n``
    (a low pass rate or few draws), each draw's attempts are drawn by inversion,
    ``1 + floor(ln(1 - U) / ln(1 - p))``, and counted.
    """
    if n <= 0:
        return []
    if pass_rate >= 1.0 or math.log1p(n) / pass_rate <= n / 10.0:
        groups = []
        k = 1
        while n > 0:
            passed = binomial(rng, n, pass_rate)
            if passed:
                groups.append((k, passed))
            n -= passed
            k += 1
        return groups
    inv = 1.0 / math.log1p(-pass_rate)
    log, rand = math.log, rng.random
    counts: dict[int, int] = {}
    for _ in range(n):
        k = 1 + int(log(1.0 - rand()) * inv)
        counts[k] = counts.get(k, 0) + 1
    return sorted(counts.items())


def _sorted_triangular(
    rng: random.Random, n: int, base: float, scale: float, low: float, mode: float, high: float
) -> list[float]:
    """``n`` values ``base + scale * x`` in ascending order, x ~ triangular(low, mode, high), ``scale >= 0``.

    x is the inverse of the triangular CDF at sorted uniforms: ``low + sqrt(u * (high - low) *
    (mode - low))`` below the mode's cut, ``high - sqrt((1 - u) * (high - low) * (high - mode))``
    above it; it rises with ``u``, so the values come out sorted.
    """
    span = high - low
    if span <= 0.0:
        return [base + scale * low] * n
    us = sorted(itertools.starmap(rng.random, itertools.repeat((), n)))
    cut = (mode - low) / span
    sqrt = math.sqrt
    a_low, b_low = base + scale * low, scale * sqrt(span * (mode - low))
    a_high, b_high = base + scale * high, scale * sqrt(span * (high - mode))
    return [a_low + b_low * sqrt(u) if u < cut else a_high - b_high * sqrt(1.0 - u) for u in us]


def binomial(rng: random.Random, n: int, p: float) -> int:
    """A ``Binomial(n, p)`` count from ``rng`` in a time that does not grow with ``n``.

    For ``n * p < 10`` (with ``p <= 1/2``, by symmetry) it counts successes by jumping from one
    to the next (geometric waiting times); otherwise it uses Hormann's BTRS rejection sampler
    (W. Hormann, "The generation of binomial random variates", J. Statist. Comput. Simul. 46,
    1993), which needs about 1.1 pairs of uniforms per count.
    """
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        return n - binomial(rng, n, 1.0 - p)
    rand = rng.random
    if n * p < 10.0:
        log_q = math.log1p(-p)
        count, trials = 0, 0
        while True:
            gap = math.log(1.0 - rand()) / log_q  # failures before the next success (may be inf)
            if gap >= n - trials:
                return count
            trials += int(gap) + 1
            count += 1
    spq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    lpq = math.log(p / (1.0 - p))
    m = math.floor((n + 1) * p)
    h = math.lgamma(m + 1) + math.lgamma(n - m + 1)
    while True:
        u = rand() - 0.5
        v = rand()
        us = 0.5 - abs(u)
        if us <= 0.0:
            continue
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        if math.log(v * alpha / (a / (us * us) + b)) <= h - math.lgamma(k + 1) - math.lgamma(n - k + 1) + (k - m) * lpq:
            return k


def simulate(cred: Credential, profile: Profile, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> Simulation:
    """Simulate ``draws`` NPVs of ``cred`` and summarise them.

    Percentiles interpolate linearly between order statistics (see :func:`percentile`);
    ``p_npv_positive`` counts NPV > 0 strictly.
    """
    ordered = draw_npvs(cred, profile, draws, seed)
    p10, p50, p90 = (percentile(ordered, q) for q in (0.1, 0.5, 0.9))
    return Simulation(
        credential=cred,
        p_npv_positive=(draws - bisect.bisect_right(ordered, 0.0)) / draws,
        npv_mean=math.fsum(ordered) / draws,
        npv_p10=p10,
        npv_p50=p50,
        npv_p90=p90,
        draws=draws,
        seed=seed,
    )


def percentile(ordered: Sequence[float], q: float) -> float:
    """The ``q`` quantile of sorted data by linear interpolation between order statistics.

    The definition of ``statistics.quantiles(method="inclusive")`` and numpy's default, written as
    ``x[i] + (x[i+1] - x[i]) * frac`` so that equal neighbours give exactly their value and the
    10th, 50th and 90th percentiles are always in order.
    """
    pos = q * (len(ordered) - 1)
    i = math.floor(pos)
    if i + 1 >= len(ordered):
        return ordered[-1]
    return ordered[i] + (ordered[i + 1] - ordered[i]) * (pos - i)


def simulate_all(
    creds: Iterable[Credential],
    profile: Profile,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[Credential], None] | None = None,
) -> list[Simulation]:
    """Simulate each credential; sorted by P(NPV > 0), then median NPV (highest first), then id."""
    out = []
    for cred in creds:
        out.append(simulate(cred, profile, draws, seed))
        if progress is not None:
            progress(cred)
    out.sort(key=lambda s: (-s.p_npv_positive, -s.npv_p50, s.credential.id))
    return out


def expected_excess(low: float, mode: float, high: float, floor: float) -> float:
    """``E[max(0, X - floor)]`` for X ~ triangular(low, mode, high), exactly: the integral of ``1 - F`` above it."""
    if high <= low:
        return max(0.0, low - floor)
    total = 0.0
    if floor < low:
        total += low - floor
    lo = max(floor, low)
    if lo < mode:  # 1 - (x - low)^2 / ((high - low)(mode - low)) between lo and mode
        total += (mode - lo) - ((mode - low) ** 3 - (lo - low) ** 3) / (3.0 * (high - low) * (mode - low))
    lo = max(floor, mode)
    if lo < high:  # (high - x)^2 / ((high - low)(high - mode)) between lo and high
        total += (high - lo) ** 3 / (3.0 * (high - low) * (high - mode))
    return total


def expected_npv(cred: Credential, profile: Profile) -> float:
    """The exact mean of the simulated NPV: ``E[attempts] = 1 / p`` and ``E[uplift] = (l + t + h) / 3``.

    It differs from :func:`credroi.model.engine.evaluate`'s NPV, which uses the typical (modal) uplift.
    """
    parts = linear_parts(cred, profile)
    low, mode, high, scale, offset = gain_distribution(cred, profile)
    mean_gain = scale * expected_excess(low, mode, high, -offset / scale) if scale > 0.0 else max(0.0, offset)
    return parts.fixed - parts.per_attempt / cred.pass_rate + parts.per_gain * mean_gain * cred.recognition
