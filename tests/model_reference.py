"""A deliberately naive, independent reading of MODEL.md, used only to cross-check the engine.

It loops month by month with plain arithmetic, shares no code with credroi.model.engine,
and solves IRR by brute-force bisection on a monthly rate grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Case:
    """Inputs of one credential and one profile, MODEL.md names."""

    exam_fee: float = 0.0
    training: float = 0.0
    materials: float = 0.0
    subscription_monthly: float = 0.0
    weeks: float = 8.0
    hours_per_week: float = 10.0
    pass_rate: float = 1.0
    validity_years: float | None = None
    renewal_cost: float = 0.0
    recognition: float = 0.5
    uplift: float = 0.05
    salary: float = 75_000.0
    pace: float | None = None
    horizon_years: float = 5.0
    discount_rate: float = 0.03
    salary_growth: float = 0.02
    tax_rate: float = 0.25
    time_value: float | None = None
    employer_share: float = 0.0
    selection_adjustment: float = 0.25
    lag_months: float = 0.0


def half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def flows(c: Case) -> tuple[list[float], list[float], list[float], float]:
    """(benefit, renewal, cash_flow, investment) for t = 0..N."""
    hours = c.weeks * c.hours_per_week
    pace = c.pace if c.pace is not None else c.hours_per_week
    weeks = hours / pace
    m = math.ceil(weeks * 12 / 52 - 1e-9)
    attempts = 1 / c.pass_rate
    direct = c.training + c.materials + c.exam_fee * attempts + c.subscription_monthly * m
    v = c.time_value if c.time_value is not None else 0.5 * c.salary / 2080
    investment = direct * (1 - c.employer_share) + hours * v
    b_year = c.uplift * c.salary * c.recognition * (1 - c.selection_adjustment) * (1 - c.tax_rate)
    n = half_up(12 * c.horizon_years)
    benefit = [0.0] * (n + 1)
    renewal = [0.0] * (n + 1)
    for t in range(1, n + 1):
        if t > m + c.lag_months:
            benefit[t] = b_year / 12 * (1 + c.salary_growth) ** ((t - 1) // 12)
    if c.validity_years is not None:
        k = 1
        while m + half_up(12 * c.validity_years * k) <= n:
            renewal[max(1, m + half_up(12 * c.validity_years * k))] += c.renewal_cost * (1 - c.employer_share)
            k += 1
    cash = [benefit[t] - renewal[t] for t in range(n + 1)]
    cash[0] = -investment
    return benefit, renewal, cash, investment


def npv(c: Case) -> float:
    _, _, cash, _ = flows(c)
    rm = (1 + c.discount_rate) ** (1 / 12) - 1
    return sum(f / (1 + rm) ** t for t, f in enumerate(cash))


def payback(cash: list[float]) -> int | None:
    total = 0.0
    for t, f in enumerate(cash):
        total += f
        if total >= -1e-9:
            return t
    return None
