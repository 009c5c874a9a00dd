"""Monte Carlo simulation of the NPV (MODEL.md, "Uncertainty"): pure Python, no I/O.

One draw: the uplift fraction ~ triangular(low, typical, high); the attempts ~ geometric(pass_rate)
(1 + the number of failures); the market pays the raise with probability ``recognition`` (and then
in full). NPV is linear in the attempts and in the paid raise (:func:`credroi.engine.linear_parts`),
so a draw costs three random numbers and a few multiplications, never a month-by-month loop.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from credroi.engine import Credential, Profile, linear_parts

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


class Simulation(NamedTuple):
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
    """The NPV of each draw, from a random stream that depends only on ``seed`` and the id.

    So a credential gets the same numbers whether it is simulated alone or with others. Each
    draw uses three uniforms: the attempts by inversion of the geometric distribution,
    ``1 + floor(ln(1 - U) / ln(1 - p))``; whether employers pay (``U < recognition``); and
    the uplift by inversion of the triangular distribution.
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    parts = linear_parts(cred, profile)
    rng = random.Random(f"credroi:{seed}:{cred.id}")
    rand = rng.random
    attempts_u = [rand() for _ in range(draws)]
    paid_u = [rand() for _ in range(draws)]
    uplift_u = [rand() for _ in range(draws)]
    low, mode, high = cred.uplift_low, cred.uplift_typical, cred.uplift_high
    rec = cred.recognition
    fixed, fee, scale = parts.fixed, parts.per_attempt, parts.per_uplift
    fail = 1.0 - cred.pass_rate
    if 0.0 < fail < 1.0:
        inv = 1.0 / math.log(fail)
        log = math.log
        cost = [fixed - fee * (1 + int(log(1.0 - a) * inv)) for a in attempts_u]
    else:
        cost = [fixed - fee] * draws
    span = high - low
    if span <= 0.0:
        gain = [scale * low if p < rec else 0.0 for p in paid_u]
    else:
        cut = (mode - low) / span
        k_low, k_high = span * (mode - low), span * (high - mode)
        sqrt = math.sqrt
        gain = [
            (scale * (low + sqrt(u * k_low) if u < cut else high - sqrt((1.0 - u) * k_high)) if p < rec else 0.0)
            for p, u in zip(paid_u, uplift_u, strict=True)
        ]
    return [c + g for c, g in zip(cost, gain, strict=True)]


def simulate(cred: Credential, profile: Profile, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> Simulation:
    """Simulate ``draws`` NPVs of ``cred`` and summarise them.

    Percentiles interpolate linearly between order statistics (see :func:`percentile`);
    ``p_npv_positive`` counts NPV > 0 strictly.
    """
    values = draw_npvs(cred, profile, draws, seed)
    ordered = sorted(values)
    p10, p50, p90 = (percentile(ordered, q) for q in (0.1, 0.5, 0.9))
    return Simulation(
        credential=cred,
        p_npv_positive=sum(1 for v in values if v > 0.0) / draws,
        npv_mean=math.fsum(values) / draws,
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


def expected_npv(cred: Credential, profile: Profile) -> float:
    """The exact mean of the simulated NPV: ``E[attempts] = 1 / p`` and ``E[uplift] = (l + t + h) / 3``.

    It differs from :func:`credroi.engine.evaluate`'s NPV, which uses the typical (modal) uplift.
    """
    parts = linear_parts(cred, profile)
    mean_uplift = (cred.uplift_low + cred.uplift_typical + cred.uplift_high) / 3.0
    return parts.fixed - parts.per_attempt / cred.pass_rate + parts.per_uplift * mean_uplift * cred.recognition
